import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type {} from '../../../../src/renderer/bridge';
import { db } from '../../../../src/renderer/db/instance';
import { addRotaSource, applySourceResult, saveAppSchedule, setPref } from '../../../../src/renderer/db/rota-repo';
import { NowView } from '../../../../src/renderer/features/rota/now-view';
import { RotaView } from '../../../../src/renderer/features/rota/rota-view';
import { ScheduleForm } from '../../../../src/renderer/features/rota/schedule-form';
import { initials } from '../../../../src/renderer/features/rota/timeline-layout';
import { setupI18n } from '../../../../src/renderer/i18n';
import { useAppStore } from '../../../../src/renderer/store';
import { fakeApi } from '../../../helpers/fake-api';

const NOW = Date.parse('2026-03-16T10:00:00Z'); // Monday 10:00 UTC

async function renderWith(ui: React.ReactNode, language = 'en') {
  window.oncall = fakeApi().api;
  await act(async () => {
    render(<I18nextProvider i18n={setupI18n(language)}>{ui}</I18nextProvider>);
  });
}

async function feedSchedule(shifts: Array<{ person: string; start: string; end: string }>) {
  await addRotaSource(db, { kind: 'ical', label: 'Feed', location: 'https://example.com/f.ics' }, 'feed1');
  const fixedShifts = shifts.map((s) => ({ person: s.person, start: Date.parse(s.start), end: Date.parse(s.end) }));
  await applySourceResult(db, { status: 'updated', sourceId: 'feed1', at: NOW, schedules: [{ id: 'feed1', name: 'Platform', timeZone: 'UTC', layers: [], overrides: [], fixedShifts }], etag: null, lastModified: null });
}

describe('the Rota view at a glance', () => {
  beforeEach(async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: NOW });
    await Promise.all([db.schedules.clear(), db.prefs.clear(), db.overrides.clear(), db.rotaSources.where('id').notEqual('app').delete()]);
    await setPref(db, 'timeZone', 'UTC');
    useAppStore.setState({ rotaRange: 'week', rotaAnchor: null });
  });
  afterEach(() => vi.useRealTimers());

  it('shows the week and month with their month and year', async () => {
    await feedSchedule([{ person: 'Ann', start: '2026-03-16T00:00:00Z', end: '2026-03-23T00:00:00Z' }]);
    await renderWith(<RotaView />);
    const text = (el: HTMLElement) => el.textContent!.replace(/[\u2009\u202f]/g, ' ');
    expect(text(await screen.findByTestId('rota-period'))).toBe('Mar 16 – 22, 2026');
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Month' })));
    expect(text(screen.getByTestId('rota-period'))).toBe('March 2026');
  });

  it('names every person in a legend, and short shifts by initials rather than "h…"', async () => {
    await feedSchedule([
      { person: 'Jean-Luc Picard', start: '2026-03-16T00:00:00Z', end: '2026-03-21T00:00:00Z' },
      { person: 'Hikaru Sulu', start: '2026-03-21T00:00:00Z', end: '2026-03-21T12:00:00Z' },
    ]);
    await renderWith(<RotaView />);
    const legend = await screen.findByRole('list', { name: 'Who is who' });
    expect(within(legend).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['Hikaru Sulu', 'Jean-Luc Picard']);
    const blocks = document.querySelectorAll('.lane-row[data-schedule="feed1"] .shift');
    expect([...blocks].map((b) => b.textContent)).toEqual(['Jean-Luc Picard', 'HS']); // 12 h of a week is ~54 px: room for initials, not the name
    expect(initials('Jean-Luc Picard')).toBe('JP');
  });

  it('puts overlapping feed shifts on separate rows of the lane', async () => {
    await feedSchedule([
      { person: 'Ann', start: '2026-03-16T00:00:00Z', end: '2026-03-19T00:00:00Z' },
      { person: 'Ben', start: '2026-03-17T00:00:00Z', end: '2026-03-20T00:00:00Z' },
    ]);
    await renderWith(<RotaView />);
    await screen.findByRole('list', { name: 'Who is who' });
    const tops = [...document.querySelectorAll<HTMLElement>('.lane-row[data-schedule="feed1"] .shift')].map((b) => [b.dataset['person'], b.style.top]);
    expect(tops).toEqual([
      ['Ann', '5px'],
      ['Ben', '31px'],
    ]);
  });

  it('keeps overrides, sources and a new schedule on their own tabs', async () => {
    await feedSchedule([{ person: 'Ann', start: '2026-03-16T00:00:00Z', end: '2026-03-23T00:00:00Z' }]);
    await renderWith(<RotaView />);
    await screen.findByTestId('rota-period');
    expect(screen.queryByRole('form', { name: 'New schedule' })).toBeNull();
    expect(screen.queryByRole('form', { name: 'Add an override' })).toBeNull();
    await act(async () => fireEvent.click(screen.getByRole('tab', { name: 'New schedule' })));
    expect(screen.getByRole('form', { name: 'New schedule' })).toBeTruthy();
    expect(screen.queryByTestId('rota-period')).toBeNull();
    await act(async () => fireEvent.click(screen.getByRole('tab', { name: 'Overrides' })));
    expect(screen.getByRole('form', { name: 'Add an override' })).toBeTruthy();
    await act(async () => fireEvent.click(screen.getByRole('tab', { name: 'Sources' })));
    expect(screen.getByRole('region', { name: 'Sources' })).toBeTruthy();
  });

  it('lists my next few shifts and the rest on request', async () => {
    await setPref(db, 'me', 'Ann');
    await feedSchedule(Array.from({ length: 12 }, (_, i) => ({ person: 'Ann', start: new Date(NOW + (i * 2 + 1) * 86_400_000).toISOString(), end: new Date(NOW + (i * 2 + 1.5) * 86_400_000).toISOString() })));
    await renderWith(<RotaView />);
    const mine = await screen.findByRole('region', { name: 'My shifts (next 90 days)' });
    expect(within(mine).getAllByRole('listitem')).toHaveLength(4);
    await act(async () => fireEvent.click(within(mine).getByRole('button', { name: 'Show all 12' })));
    expect(within(mine).getAllByRole('listitem')).toHaveLength(12);
  });
});

describe('overlapping feed shifts on the Now view', () => {
  beforeEach(async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: NOW });
    await Promise.all([db.schedules.clear(), db.prefs.clear(), db.overrides.clear(), db.rotaSources.where('id').notEqual('app').delete()]);
    await setPref(db, 'timeZone', 'UTC');
  });
  afterEach(() => vi.useRealTimers());

  it('names everyone on call, not just one of them', async () => {
    await feedSchedule([
      { person: 'Ann', start: '2026-03-16T00:00:00Z', end: '2026-03-17T00:00:00Z' },
      { person: 'Ben', start: '2026-03-16T08:00:00Z', end: '2026-03-16T20:00:00Z' },
    ]);
    await renderWith(<NowView />);
    const card = await screen.findByRole('region', { name: 'Platform' });
    expect(within(card).getByTestId('current-person').textContent).toBe('Ann');
    expect(within(card).getByTestId('also-on-call').textContent).toBe('also Ben until Mon 20:00');
  });
});

describe('a schedule that has not begun', () => {
  beforeEach(async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: NOW });
    await Promise.all([db.schedules.clear(), db.prefs.clear(), db.overrides.clear()]);
    await setPref(db, 'timeZone', 'UTC');
  });
  afterEach(() => vi.useRealTimers());

  it('says when it starts instead of "Nobody on call"', async () => {
    await saveAppSchedule(db, { id: 'new', name: 'New team', timeZone: 'UTC', layers: [{ id: 'l', participants: ['ann', 'ben'], rotation: 'FREQ=WEEKLY;BYDAY=MO', start: '2026-03-23', handoff: '09:00' }] });
    await renderWith(<NowView />);
    const card = await screen.findByRole('region', { name: 'New team' });
    expect(within(card).getByTestId('starts').textContent).toBe('starts Mon, Mar 23, 09:00');
    expect(within(card).queryByText('Nobody on call')).toBeNull();
  });

  it('its empty lane in an earlier week of the Rota view says when it starts', async () => {
    await saveAppSchedule(db, { id: 'new', name: 'New team', timeZone: 'UTC', layers: [{ id: 'l', participants: ['ann', 'ben'], rotation: 'FREQ=WEEKLY;BYDAY=MO', start: '2026-03-30', handoff: '09:00' }] });
    useAppStore.setState({ rotaRange: 'week', rotaAnchor: null });
    await renderWith(<RotaView />);
    expect((await screen.findByTestId('lane-starts')).textContent).toBe('starts Mon, Mar 30, 09:00');
  });
});

describe('refusals in German', () => {
  it('a bad rotation is explained in the chosen language', async () => {
    await renderWith(<ScheduleForm zone="UTC" />, 'de');
    const form = screen.getByRole('form', { name: 'Neuer Dienstplan' });
    fireEvent.change(within(form).getAllByRole('textbox')[0]!, { target: { value: 'Kaputt' } });
    fireEvent.change(within(form).getByLabelText(/Teilnehmende/), { target: { value: 'ann' } });
    fireEvent.change(within(form).getByLabelText('Rotation'), { target: { value: 'custom' } });
    fireEvent.change(within(form).getByLabelText('RRULE'), { target: { value: 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30' } });
    await act(async () => fireEvent.click(within(form).getByRole('button', { name: /speichern/i })));
    expect((await screen.findByRole('alert')).textContent).toBe('layers[0].rotation: die Rotation "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30" kann nie übergeben: kein Monat hat diesen Tag');
  });
});
