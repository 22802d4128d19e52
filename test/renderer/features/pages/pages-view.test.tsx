import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SettingsView } from '../../../../src/core/ipc-contract';
import type {} from '../../../../src/renderer/bridge';
import { db } from '../../../../src/renderer/db/instance';
import { storeDelivery } from '../../../../src/renderer/db/pages-repo';
import { resetAcks, UNDO_MS } from '../../../../src/renderer/features/pages/ack-store';
import { PagesView } from '../../../../src/renderer/features/pages/pages-view';
import { setupI18n } from '../../../../src/renderer/i18n';
import { useAppStore } from '../../../../src/renderer/store';
import { fakeApi } from '../../../helpers/fake-api';
import { delivery, signal } from '../../../helpers/fixtures';

const now = Date.now();
const GROUP = '{}:{alertname="KubePodCrashLooping"}';

// jsdom lays nothing out: give the scrolling list a window-sized box so the virtualizer renders rows
const sizes = { clientHeight: 600, clientWidth: 800 };
const saved: Record<string, PropertyDescriptor | undefined> = {};
beforeAll(() => {
  for (const [k, v] of Object.entries(sizes)) {
    saved[k] = Object.getOwnPropertyDescriptor(HTMLElement.prototype, k);
    Object.defineProperty(HTMLElement.prototype, k, { configurable: true, get: () => v });
  }
});
afterAll(() => {
  for (const k of Object.keys(sizes)) {
    if (saved[k]) Object.defineProperty(HTMLElement.prototype, k, saved[k]);
    else delete (HTMLElement.prototype as unknown as Record<string, unknown>)[k];
  }
});

function crashLoop(i: number, over: Parameters<typeof signal>[0] = {}) {
  return signal({
    id: `am:pod${i}`,
    groupKey: GROUP,
    title: 'KubePodCrashLooping',
    severity: 'P2',
    summary: `Pod payments-api-${i} is crash looping`,
    instance: '',
    labels: { alertname: 'KubePodCrashLooping', namespace: 'payments', severity: 'warning', pod: `payments-api-${i}` },
    annotations: { summary: `Pod payments-api-${i} is crash looping` },
    startsAt: now - (10 - i) * 60_000,
    ...over,
  });
}

function seed() {
  return storeDelivery(
    db,
    delivery({
      id: `seed-${Math.random()}`,
      receivedAt: now,
      events: [{ pageId: 'am:cpu', kind: 'notified', at: now }],
      groups: [{ groupKey: GROUP, truncatedAlerts: 4 }],
      signals: [
        signal({ id: 'am:warn', groupKey: 'g-warn', title: 'HighLatency', severity: 'P3', summary: 'p99 above 2 s', instance: 'api-1', startsAt: now - 60_000, labels: { alertname: 'HighLatency', team: 'api' } }),
        signal({
          id: 'am:disk',
          groupKey: 'g-disk',
          title: 'DiskAlmostFull',
          severity: 'P1',
          summary: 'Disk on db-1 is 97% full',
          instance: 'db-1:9100',
          startsAt: now - 4 * 60_000,
          runbookUrl: 'https://runbooks.example.com/disk',
          generatorUrl: 'http://prometheus:9090/graph',
          labels: { alertname: 'DiskAlmostFull', instance: 'db-1:9100', severity: 'critical' },
          annotations: { summary: 'Disk on db-1 is 97% full', description: 'Only 3% left on /var', dashboard: 'https://grafana.example.com/d/disk' },
        }),
        signal({ id: 'am:cpu', groupKey: 'g-cpu', title: 'CpuHigh', severity: 'P2', summary: 'CPU 95%', instance: 'web-1', startsAt: now - 10_000 }),
        signal({ id: 'am:old', groupKey: 'g-old', title: 'OldThing', severity: 'P1', instance: 'batch-1', status: 'resolved', endsAt: now - 100_000, startsAt: now - 200_000 }),
        ...Array.from({ length: 6 }, (_, i) => crashLoop(i)),
      ],
    }),
    now,
  );
}

const settings = (delivered: boolean) => ({ listener: { url: 'http://127.0.0.1:9095/alertmanager' }, routes: [{ path: '/alertmanager', label: 'Alertmanager', lastDeliveredAt: delivered ? now : null, refusal: null }] }) as unknown as SettingsView;
const groupRows = () => screen.getAllByRole('listitem').filter((r) => r.classList.contains('group-row'));
const titles = () => groupRows().map((r) => r.querySelector('strong')!.textContent);
const row = (title: string) => screen.getByText(title).closest<HTMLElement>('[role="listitem"]')!;
const list = () => screen.getByRole('list', { name: 'Pages, most urgent first' });

async function renderView(lang = 'en', delivered = true, prepare?: (fake: ReturnType<typeof fakeApi>) => void) {
  const i18n = setupI18n(lang);
  const fake = fakeApi(settings(delivered));
  prepare?.(fake);
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

describe('triage view', () => {
  beforeEach(async () => {
    await db.pages.clear();
    await db.timeline.clear();
    await db.receipts.clear();
    await db.groups.clear();
    await db.triage.clear();
    resetAcks();
    useAppStore.setState({ filter: '', showResolved: false, selectedPageId: null, sort: null, focusedRow: null, expandedGroups: new Set() });
  });
  afterEach(() => vi.useRealTimers());

  it('before any source delivered, says how to connect one and sends the test page', async () => {
    const sent: number[] = [];
    await renderView('en', false, (fake) => {
      const original = fake.api.sendTestPage;
      fake.api.sendTestPage = () => {
        sent.push(1);
        return original();
      };
    });
    expect(await screen.findByText('No source has delivered a page yet')).toBeTruthy();
    expect(screen.queryByText('No pages. Quiet shift so far.')).toBeNull();
    expect(screen.getByText(/http:\/\/127\.0\.0\.1:9095\/alertmanager/)).toBeTruthy();
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Send a test page' })));
    expect(sent).toHaveLength(1);
    expect(await screen.findByText('Test page sent. It should appear here in a moment.')).toBeTruthy();
  });

  it('once a source has delivered, an empty list is a quiet shift', async () => {
    await renderView('en', true);
    expect(await screen.findByText('No pages. Quiet shift so far.')).toBeTruthy();
  });

  it('one line per group, most urgent first, with count, age and the truncated note', async () => {
    await renderView();
    await act(seed);
    await screen.findByText('DiskAlmostFull');
    expect(titles()).toEqual(['DiskAlmostFull', 'CpuHigh', 'KubePodCrashLooping', 'HighLatency', 'OldThing']);
    const crash = row('KubePodCrashLooping');
    expect(within(crash).getByText('×6')).toBeTruthy();
    expect(await within(crash).findByText('Alertmanager left out 4 alerts')).toBeTruthy();
    const disk = row('DiskAlmostFull');
    expect(within(disk).getByText('P1')).toBeTruthy();
    expect(within(disk).getByText('Firing')).toBeTruthy();
    const age = within(disk).getByText('4 min');
    expect(age.getAttribute('title')).toMatch(/^Started /);
    expect(within(disk).getByRole('button', { name: 'Acknowledge' })).toBeTruthy();
    expect((await screen.findByText('9 unacknowledged')).getAttribute('role')).toBe('status');
  });

  it('a group expands to its alerts; labels they share are shown once, each alert shows only its own', async () => {
    await renderView();
    await act(seed);
    const crash = row(await screen.findByText('KubePodCrashLooping').then((e) => e.textContent!));
    fireEvent.click(within(crash).getByRole('button', { name: 'Show the alerts of KubePodCrashLooping' }));
    const shared = (await screen.findByText('Shared by all:')).parentElement!;
    expect(within(shared).getByText('namespace=payments')).toBeTruthy();
    expect(within(shared).getByText('severity=warning')).toBeTruthy();
    const alerts = screen.getAllByRole('listitem').filter((r) => r.classList.contains('alert-row'));
    expect(alerts).toHaveLength(6);
    expect(within(alerts[0]!).getByText('pod=payments-api-5')).toBeTruthy();
    expect(within(alerts[0]!).queryByText('namespace=payments')).toBeNull();
    expect(crash.getAttribute('aria-expanded')).toBe('true');
  });

  it('filters by text across alert, summary, instance and labels, and says when nothing matches', async () => {
    await renderView();
    await act(seed);
    await screen.findByText('DiskAlmostFull');
    fireEvent.change(screen.getByRole('searchbox', { name: 'Filter pages' }), { target: { value: 'team=api' } });
    expect(titles()).toEqual(['HighLatency']);
    fireEvent.change(screen.getByRole('searchbox', { name: 'Filter pages' }), { target: { value: 'payments-api-3' } });
    expect(titles()).toEqual(['KubePodCrashLooping']);
    expect(within(row('KubePodCrashLooping')).queryByText('×6')).toBeNull();
    fireEvent.change(screen.getByRole('searchbox', { name: 'Filter pages' }), { target: { value: 'nothing-like-this' } });
    expect(await screen.findByText('No page matches “nothing-like-this”.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Clear filter' }));
    expect(titles()).toHaveLength(5);
  });

  it('a header sort can be undone with one click back to urgency order', async () => {
    await renderView();
    await act(seed);
    await screen.findByText('DiskAlmostFull');
    const urgency = titles();
    fireEvent.click(screen.getByRole('button', { name: 'Sort by Alert' }));
    expect(titles()).toEqual(['CpuHigh', 'DiskAlmostFull', 'HighLatency', 'KubePodCrashLooping', 'OldThing']);
    fireEvent.click(screen.getByRole('button', { name: 'Sort by Alert' }));
    expect(titles()).toEqual(['OldThing', 'KubePodCrashLooping', 'HighLatency', 'DiskAlmostFull', 'CpuHigh']);
    fireEvent.click(screen.getByRole('button', { name: 'Urgency order' }));
    expect(titles()).toEqual(urgency);
    expect(screen.queryByRole('button', { name: 'Urgency order' })).toBeNull();
  });

  it('keyboard: every row takes focus, j/k and arrows move, Enter opens details, Esc closes, / filters', async () => {
    await renderView();
    await act(seed);
    await screen.findByText('DiskAlmostFull');
    const first = row('DiskAlmostFull');
    expect(first.tabIndex).toBe(0);
    expect(row('CpuHigh').tabIndex).toBe(-1);
    act(() => first.focus());
    fireEvent.keyDown(list(), { key: 'j' });
    expect(document.activeElement).toBe(row('CpuHigh'));
    fireEvent.keyDown(list(), { key: 'ArrowDown' });
    expect(document.activeElement).toBe(row('KubePodCrashLooping'));
    fireEvent.keyDown(list(), { key: 'ArrowRight' });
    // an open group's alerts are read by its index, for that group only
    await vi.waitFor(() => expect(screen.getAllByRole('listitem').filter((r) => r.classList.contains('alert-row'))).toHaveLength(6));
    fireEvent.keyDown(list(), { key: 'ArrowUp' });
    fireEvent.keyDown(list(), { key: 'k' });
    expect(document.activeElement).toBe(row('DiskAlmostFull'));
    fireEvent.keyDown(list(), { key: 'Enter' });
    const pane = await screen.findByRole('complementary', { name: 'Details' });
    expect(within(await within(pane).findByRole('region', { name: 'Description' })).getByText('Only 3% left on /var')).toBeTruthy();
    fireEvent.keyDown(document.activeElement!, { key: 'Escape' });
    expect(screen.queryByRole('complementary', { name: 'Details' })).toBeNull();
    expect(document.activeElement).toBe(row('DiskAlmostFull'));
    // a list taller than the screen: PageDown and PageUp move a screenful (less one row), and stop at the ends
    Object.defineProperty(list(), 'clientHeight', { configurable: true, value: 3 * 40 });
    fireEvent.keyDown(list(), { key: 'PageDown' });
    expect(document.activeElement).toBe(row('KubePodCrashLooping'));
    fireEvent.keyDown(list(), { key: 'PageUp' });
    fireEvent.keyDown(list(), { key: 'PageUp' });
    expect(document.activeElement).toBe(row('DiskAlmostFull'));
    fireEvent.keyDown(document.activeElement!, { key: '/' });
    expect(document.activeElement).toBe(screen.getByRole('searchbox', { name: 'Filter pages' }));
  });

  it('the detail pane shows summary, description, labels, annotations, links, fire count, who acknowledged and the timeline', async () => {
    const fake = await renderView();
    await act(seed);
    await act(() => storeDelivery(db, delivery({ id: 'ack', receivedAt: now, commands: [{ type: 'acknowledge', ids: ['am:disk'], at: now, by: 'alice' }] }), now));
    fireEvent.click(await screen.findByText('DiskAlmostFull'));
    const pane = await screen.findByRole('complementary', { name: 'Details' });
    await within(pane).findAllByText('Disk on db-1 is 97% full');
    expect(within(within(pane).getByRole('region', { name: 'Description' })).getByText('Only 3% left on /var')).toBeTruthy();
    expect(within(within(pane).getByRole('region', { name: 'Labels' })).getByText('db-1:9100')).toBeTruthy();
    expect(within(within(pane).getByRole('region', { name: 'Annotations' })).getByText('https://grafana.example.com/d/disk')).toBeTruthy();
    expect(within(pane).getByTestId('fire-count').textContent).toBe('once');
    expect(within(pane).getByTestId('acknowledged-by').textContent).toBe('alice');
    const links = within(pane).getByRole('navigation', { name: 'Links' });
    expect(within(links).getAllByRole('link').map((a) => a.textContent)).toEqual(['Runbook', 'Dashboard', 'Prometheus']);
    await act(async () => fireEvent.click(within(links).getByRole('link', { name: 'Dashboard' })));
    expect(fake.opened).toEqual(['https://grafana.example.com/d/disk']);
    const timeline = within(pane).getByRole('region', { name: 'Timeline' });
    expect(within(timeline).getByText('Received')).toBeTruthy();
    expect(within(timeline).getByText('Acknowledged')).toBeTruthy();
  });

  it('a: the row shows "Acknowledged" with Undo at once, main is asked at once, focus stays, the row keeps its place', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const fake = await renderView();
    await act(seed);
    await vi.waitFor(() => screen.getByText('DiskAlmostFull'));
    act(() => row('DiskAlmostFull').focus());
    await act(async () => fireEvent.keyDown(list(), { key: 'a' }));
    const disk = row('DiskAlmostFull');
    expect(within(disk).getByText(/^Acknowledged \d\d:\d\d/)).toBeTruthy();
    expect(within(disk).getByText('pending')).toBeTruthy();
    expect(within(disk).getByRole('button', { name: 'Undo' })).toBeTruthy();
    expect(document.activeElement).toBe(disk);
    // sent at once: closing the window now loses nothing
    expect(fake.acknowledged).toEqual([{ ids: ['am:disk'] }]);
    // main's command comes back as a delivery: the pending mark goes, the row stays where it was, Undo stays offered
    await act(() => storeDelivery(db, delivery({ id: 'ack', receivedAt: now, commands: [{ type: 'acknowledge', ids: ['am:disk'], at: now, by: 'me' }] }), now));
    await vi.waitFor(() => expect(within(row('DiskAlmostFull')).queryByText('pending')).toBeNull());
    expect(within(row('DiskAlmostFull')).getByText(/^Acknowledged \d\d:\d\d$/)).toBeTruthy();
    expect(within(row('DiskAlmostFull')).getByRole('button', { name: 'Undo' })).toBeTruthy();
    expect(titles()[0]).toBe('DiskAlmostFull');
    expect(document.activeElement).toBe(row('DiskAlmostFull'));
    // Undo is offered for 10 s
    await act(async () => vi.advanceTimersByTime(UNDO_MS));
    expect(within(row('DiskAlmostFull')).queryByRole('button', { name: 'Undo' })).toBeNull();
    // moving on lets it settle among the acknowledged
    fireEvent.keyDown(list(), { key: 'j' });
    await vi.waitFor(() => expect(titles().at(-2)).toBe('DiskAlmostFull'));
  });

  it('Undo within 10 s asks main to take the acknowledgement back, and the row is firing again', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const fake = await renderView();
    await act(seed);
    await vi.waitFor(() => screen.getByText('KubePodCrashLooping'));
    await act(async () => fireEvent.click(within(row('KubePodCrashLooping')).getByRole('button', { name: 'Acknowledge' })));
    expect(within(row('KubePodCrashLooping')).getByText('pending')).toBeTruthy();
    const ids = ['am:pod0', 'am:pod1', 'am:pod2', 'am:pod3', 'am:pod4', 'am:pod5'];
    expect([...(fake.acknowledged[0] as { ids: string[] }).ids].sort()).toEqual(ids);
    await act(() => storeDelivery(db, delivery({ id: 'ack', receivedAt: now, commands: [{ type: 'acknowledge', ids, at: now, by: 'me' }] }), now));
    await act(async () => fireEvent.click(within(row('KubePodCrashLooping')).getByRole('button', { name: 'Undo' })));
    await vi.waitFor(() => expect(fake.unacknowledged).toHaveLength(1));
    expect([...fake.unacknowledged[0]!].sort()).toEqual(ids);
    // firing again at once, before main's delivery says so
    expect(within(row('KubePodCrashLooping')).getByText('Firing')).toBeTruthy();
    await act(() => storeDelivery(db, delivery({ id: 'unack', receivedAt: now, commands: [{ type: 'unacknowledge', ids, at: now, by: 'me' }] }), now));
    await vi.waitFor(() => expect(within(row('KubePodCrashLooping')).getByRole('button', { name: 'Acknowledge' })).toBeTruthy());
    expect(within(row('KubePodCrashLooping')).getByText('Firing')).toBeTruthy();
  });

  it('acknowledging a group asks main for exactly its firing alerts; a refusal shows on the row, translated', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const fake = await renderView('de');
    await act(seed);
    await vi.waitFor(() => screen.getByText('KubePodCrashLooping'));
    const { AppError } = await import('../../../../src/core/errors');
    vi.spyOn(fake.bridge, 'acknowledgePages').mockRejectedValueOnce(new AppError('generic', { message: 'main said no' }));
    window.oncall = fakeApiWith(fake);
    fireEvent.click(within(row('KubePodCrashLooping')).getByRole('button', { name: 'Bestätigen' }));
    const alert = await vi.waitFor(() => within(row('KubePodCrashLooping')).getByRole('alert'));
    expect(alert.textContent).toMatch(/^Nicht bestätigt: /);
    await act(async () => fireEvent.click(within(alert).getByRole('button', { name: 'Erneut versuchen' })));
    // the refused request never reached main; the retry did, at once
    expect(fake.acknowledged).toHaveLength(1);
    const target = fake.acknowledged.at(-1) as { ids: string[] };
    expect([...target.ids].sort()).toEqual(['am:pod0', 'am:pod1', 'am:pod2', 'am:pod3', 'am:pod4', 'am:pod5']);
  });

  it('speaks German', async () => {
    await renderView('de');
    await act(seed);
    const disk = row((await screen.findByText('DiskAlmostFull')).textContent!);
    expect(within(disk).getByText('Aktiv')).toBeTruthy();
    expect(within(disk).getByRole('button', { name: 'Bestätigen' })).toBeTruthy();
    expect(within(disk).getByText('4 Min.')).toBeTruthy();
    expect((await screen.findByText('9 unbestätigt')).getAttribute('role')).toBe('status');
    expect(await screen.findByText('Alertmanager hat 4 Alarme ausgelassen')).toBeTruthy();
  });
});

/** Re-wraps a fake whose bridge was spied on, as the preload would. */
function fakeApiWith(fake: ReturnType<typeof fakeApi>) {
  const api = { ...fake.api };
  api.acknowledgePages = (target) =>
    fake.bridge.acknowledgePages(target).then(
      (value) => ({ ok: true as const, value }),
      (err: { code: string; params: Record<string, string> }) => ({ ok: false as const, error: { code: err.code, params: err.params } }),
    );
  return api;
}
