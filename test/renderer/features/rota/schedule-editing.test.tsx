import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type {} from '../../../../src/renderer/bridge';
import { db } from '../../../../src/renderer/db/instance';
import { NowView } from '../../../../src/renderer/features/rota/now-view';
import { ScheduleForm } from '../../../../src/renderer/features/rota/schedule-form';
import { setupI18n } from '../../../../src/renderer/i18n';
import { fakeApi } from '../../../helpers/fake-api';

async function renderWith(ui: React.ReactNode) {
  window.oncall = fakeApi().api;
  await act(async () => {
    render(<I18nextProvider i18n={setupI18n('en')}>{ui}</I18nextProvider>);
  });
}

describe('editing a schedule in the app', () => {
  beforeEach(async () => {
    await db.schedules.clear();
    await db.prefs.clear();
  });
  afterEach(() => vi.useRealTimers());

  it('a saved daily rotation shows up on the Now view with the person on call', async () => {
    // only Date is faked: IndexedDB and React still need real timers
    vi.useFakeTimers({ toFake: ['Date'], now: Date.parse('2020-01-02T12:00:00Z') });
    await db.prefs.put({ key: 'timeZone', value: 'UTC' }); // not the machine's zone
    await renderWith(
      <>
        <ScheduleForm zone="UTC" />
        <NowView />
      </>,
    );
    const form = screen.getByRole('form', { name: 'New schedule' });
    fireEvent.change(within(form).getByLabelText('Schedule name'), { target: { value: 'Database' } });
    fireEvent.change(within(form).getByLabelText(/Participants/), { target: { value: 'ann, ben' } });
    fireEvent.change(within(form).getByLabelText('Rotation'), { target: { value: 'daily' } });
    fireEvent.change(within(form).getByLabelText('First handoff on'), { target: { value: '2020-01-01' } });
    await act(async () => fireEvent.click(within(form).getByRole('button', { name: 'Save schedule' })));
    expect((await screen.findByRole('status')).textContent).toBe('Saved');
    const card = await screen.findByRole('region', { name: 'Database' });
    expect(within(card).getByTestId('current-person').textContent).toBe('ben');
    expect(within(card).getByTestId('current-until').textContent).toBe('until Fri 09:00');
    expect(within(card).getByTestId('next-person').textContent).toBe('ann');
  });

  it('a broken custom RRULE is refused with the field named, and nothing is stored', async () => {
    await renderWith(<ScheduleForm zone="UTC" />);
    const form = screen.getByRole('form', { name: 'New schedule' });
    fireEvent.change(within(form).getByLabelText('Schedule name'), { target: { value: 'Broken' } });
    fireEvent.change(within(form).getByLabelText(/Participants/), { target: { value: 'ann' } });
    fireEvent.change(within(form).getByLabelText('Rotation'), { target: { value: 'custom' } });
    fireEvent.change(within(form).getByLabelText('RRULE'), { target: { value: 'FREQ=HOURLY;INTERVAL=3' } });
    await act(async () => fireEvent.click(within(form).getByRole('button', { name: 'Save schedule' })));
    expect((await screen.findByRole('alert')).textContent).toMatch(/^layers\[0\]\.rotation: invalid RRULE "FREQ=HOURLY;INTERVAL=3": rotations are DAILY or longer/);
    expect(await db.schedules.count()).toBe(0);
  });
});
