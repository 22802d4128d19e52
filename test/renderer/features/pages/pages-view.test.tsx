import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { beforeEach, describe, expect, it } from 'vitest';
import type {} from '../../../../src/renderer/bridge';
import { db } from '../../../../src/renderer/db/instance';
import { storeDelivery } from '../../../../src/renderer/db/pages-repo';
import { PagesView } from '../../../../src/renderer/features/pages/pages-view';
import { setupI18n } from '../../../../src/renderer/i18n';
import { useAppStore } from '../../../../src/renderer/store';
import { fakeApi } from '../../../helpers/fake-api';
import { delivery, signal } from '../../../helpers/fixtures';

const now = Date.now();
function seed() {
  return storeDelivery(
    db,
    delivery({
      id: `seed-${Math.random()}`,
      receivedAt: now,
      events: [{ pageId: 'am:cpu', kind: 'notified', at: now }],
      signals: [
        signal({ id: 'am:warn', title: 'HighLatency', severity: 'P3', summary: 'p99 above 2 s', instance: 'api-1', startsAt: now - 60_000, labels: { alertname: 'HighLatency', team: 'api' } }),
        signal({ id: 'am:disk', title: 'DiskAlmostFull', severity: 'P1', summary: 'Disk on db-1 is 97% full', instance: 'db-1:9100', startsAt: now - 30_000, runbookUrl: 'https://runbooks.example.com/disk' }),
        signal({ id: 'am:cpu', title: 'CpuHigh', severity: 'P2', summary: 'CPU 95%', instance: 'web-1', startsAt: now - 10_000 }),
        signal({ id: 'am:old', title: 'OldThing', severity: 'P1', instance: 'batch-1', status: 'resolved', endsAt: now - 100_000, startsAt: now - 200_000 }),
      ],
    }),
    now,
  );
}

const rowTitles = () => screen.getAllByRole('row').slice(1).map((r) => r.querySelector('strong')!.textContent);

async function renderView(lang = 'en') {
  const i18n = setupI18n(lang);
  const fake = fakeApi();
  window.oncall = fake.api;
  await act(async () => {
    render(
      <I18nextProvider i18n={i18n}>
        <PagesView />
      </I18nextProvider>,
    );
  });
  return fake;
}

describe('Pages view', () => {
  beforeEach(async () => {
    await db.pages.clear();
    await db.events.clear();
    await db.deliveries.clear();
    useAppStore.setState({ filter: '', showResolved: false, selectedPageId: null });
  });

  it('shows a calm empty state when there are no pages', async () => {
    await renderView();
    expect(await screen.findByText('No pages. Quiet shift so far.')).toBeTruthy();
  });

  it('lists pages live with severity, status, source, summary and labels, most urgent first', async () => {
    await renderView();
    await act(seed);
    await screen.findByText('DiskAlmostFull');
    expect(rowTitles()).toEqual(['DiskAlmostFull', 'CpuHigh', 'HighLatency', 'OldThing']);
    const disk = screen.getByText('DiskAlmostFull').closest('tr')!;
    expect(within(disk).getByText('P1')).toBeTruthy();
    expect(within(disk).getByText('Firing')).toBeTruthy();
    expect(within(disk).getByText('Alertmanager')).toBeTruthy();
    expect(within(disk).getByText('Disk on db-1 is 97% full')).toBeTruthy();
    expect(within(screen.getByText('HighLatency').closest('tr')!).getByText('team=api')).toBeTruthy();
    expect((await screen.findByText('3 unacknowledged')).getAttribute('role')).toBe('status');
  });

  it('sorts by a column when its header is clicked', async () => {
    await renderView();
    await act(seed);
    await screen.findByText('DiskAlmostFull');
    fireEvent.click(screen.getByRole('button', { name: /Started/ }));
    const asc = rowTitles();
    fireEvent.click(screen.getByRole('button', { name: /Started/ }));
    expect(rowTitles()).toEqual([...asc].reverse());
    expect(asc).toEqual(['OldThing', 'HighLatency', 'DiskAlmostFull', 'CpuHigh']);
  });

  it('filters by text across alert, summary, instance and labels', async () => {
    await renderView();
    await act(seed);
    await screen.findByText('DiskAlmostFull');
    fireEvent.change(screen.getByRole('searchbox', { name: 'Filter pages' }), { target: { value: 'team=api' } });
    expect(rowTitles()).toEqual(['HighLatency']);
    fireEvent.change(screen.getByRole('searchbox', { name: 'Filter pages' }), { target: { value: 'db-1' } });
    expect(rowTitles()).toEqual(['DiskAlmostFull']);
  });

  it('Acknowledge asks main, and the row follows main\'s command delivery', async () => {
    const fake = await renderView();
    await act(seed);
    const row = (await screen.findByText('DiskAlmostFull')).closest('tr')!;
    await act(async () => fireEvent.click(within(row).getByRole('button', { name: 'Acknowledge' })));
    expect(fake.acknowledged).toEqual([{ ids: ['am:disk'] }]);
    await act(() => storeDelivery(db, delivery({ id: 'ack', receivedAt: now, commands: [{ type: 'acknowledge', ids: ['am:disk'], at: now, by: 'me' }] }), now));
    await screen.findByText('2 unacknowledged');
    const after = screen.getByText('DiskAlmostFull').closest('tr')!;
    expect(within(after).getByText('Acknowledged')).toBeTruthy();
    expect(within(after).queryByRole('button', { name: 'Acknowledge' })).toBeNull();
    expect((await db.pages.get('am:disk'))!.status).toBe('acknowledged');
  });

  it('a runbook link opens through the bridge, not inside the app', async () => {
    const fake = await renderView();
    await act(seed);
    const row = (await screen.findByText('DiskAlmostFull')).closest('tr')!;
    await act(async () => fireEvent.click(within(row).getByRole('link', { name: 'Runbook' })));
    expect(fake.opened).toEqual(['https://runbooks.example.com/disk']);
  });

  it('clicking a row shows its timeline', async () => {
    await renderView();
    await act(seed);
    fireEvent.click((await screen.findByText('CpuHigh')).closest('tr')!);
    const timeline = await screen.findByRole('region', { name: 'Timeline' });
    expect(within(timeline).getByText('Received')).toBeTruthy();
    expect(within(timeline).getByText('Notified')).toBeTruthy();
  });

  it('speaks German', async () => {
    await renderView('de');
    await act(seed);
    const row = (await screen.findByText('DiskAlmostFull')).closest('tr')!;
    expect(within(row).getByText('Aktiv')).toBeTruthy();
    expect(within(row).getByRole('button', { name: 'Bestätigen' })).toBeTruthy();
    expect((await screen.findByText('3 unbestätigt')).getAttribute('role')).toBe('status');
  });
});
