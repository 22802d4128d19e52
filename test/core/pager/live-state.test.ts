import { describe, expect, it } from 'vitest';
import { DEFAULT_HEARTBEAT_MATCHERS } from '../../../src/core/pager/heartbeat';
import {
  applyCommand,
  attention,
  emptyState,
  nextTickAt,
  openGroups,
  reduce,
  type LiveState,
  type PagerEffect,
  type PagerInput,
  type PagerPolicy,
  type RingEffect,
} from '../../../src/core/pager/live-state';
import { fromSnapshot, parseInput, snapshotSchema, toSnapshot } from '../../../src/core/pager/snapshot';
import { applySignal, type PageSignal } from '../../../src/core/page';
import { signal } from '../../helpers/fixtures';

const policy: PagerPolicy = { coalesceMs: 10_000, heartbeats: DEFAULT_HEARTBEAT_MATCHERS, keepResolvedMs: 7 * 24 * 3600_000 };
const GROUP = '{}:{alertname="KubePodCrashLooping"}';

const alert = (i: number, over: Partial<PageSignal> = {}): PageSignal =>
  signal({ id: `alertmanager:fp${i}`, fingerprint: `fp${i}`, groupKey: GROUP, title: 'KubePodCrashLooping', severity: 'P2', instance: `pod-${i}`, startsAt: 1_000, ...over });

/** A tiny driver: feeds inputs through the reducer and collects what rang. */
function pager(state: LiveState = emptyState()) {
  const rings: RingEffect[] = [];
  const effects: PagerEffect[] = [];
  const send = (input: PagerInput) => {
    const r = reduce(state, input, policy);
    state = r.state;
    effects.push(...r.effects);
    rings.push(...r.effects.filter((e): e is RingEffect => e.type === 'notify'));
    return r.effects;
  };
  return {
    rings,
    effects,
    state: () => state,
    signals: (at: number, ...signals: PageSignal[]) => send({ type: 'signals', at, signals, groups: [] }),
    ack: (at: number, target: Extract<PagerInput, { type: 'acknowledge' }>['target']) => send({ type: 'acknowledge', at, target, by: 'alice' }),
    tick: (at: number) => send({ type: 'tick', at }),
  };
}

/** Serializes and re-reads the state, as a restart of main does. */
const restart = (state: LiveState) => fromSnapshot(snapshotSchema.parse(JSON.parse(JSON.stringify(toSnapshot(state)))));

describe('pager reducer: what rings', () => {
  it('a group of 50 newly firing alerts rings once, as "first +49 more" with the group\'s highest severity', () => {
    const p = pager();
    const alerts = Array.from({ length: 50 }, (_, i) => alert(i, i === 17 ? { severity: 'P1', summary: 'the worst one' } : {}));
    p.signals(5_000, ...alerts);
    expect(p.rings).toHaveLength(1);
    expect(p.rings[0]).toMatchObject({ groupKey: GROUP, severity: 'P1', count: 50, summary: 'the worst one', pageId: 'alertmanager:fp17' });
    expect(p.rings[0]!.pageIds).toHaveLength(50);
    expect(attention(p.state())).toEqual({ unacknowledged: 50, firing: 50 });
  });

  it('a storm of webhooks for one group inside the window rings once; after the window a new alert rings again', () => {
    const p = pager();
    for (let i = 0; i < 10; i++) p.signals(1_000 + i * 100, alert(i));
    expect(p.rings).toHaveLength(1);
    expect(nextTickAt(p.state())).toBe(11_000);
    p.tick(11_000);
    expect(p.rings).toHaveLength(1);
    p.signals(12_000, alert(99));
    expect(p.rings).toHaveLength(2);
  });

  it('held alerts that are more urgent than what rang ring once when the window ends', () => {
    const p = pager();
    p.signals(1_000, alert(1, { severity: 'P3' }));
    p.signals(2_000, alert(2, { severity: 'P1' }), alert(3, { severity: 'P2' }));
    expect(p.rings).toHaveLength(1);
    p.tick(10_999);
    expect(p.rings).toHaveLength(1);
    p.tick(11_000);
    expect(p.rings).toHaveLength(2);
    expect(p.rings[1]).toMatchObject({ severity: 'P1', count: 2 });
  });

  it('different groups each get their own notification', () => {
    const p = pager();
    p.signals(1_000, alert(1), alert(2, { groupKey: 'other' }));
    expect(p.rings.map((r) => r.groupKey).sort()).toEqual([GROUP, 'other'].sort());
  });

  it('never rings twice for the same firing instance: re-send, acknowledged, or after a restart', () => {
    const p = pager();
    p.signals(1_000, alert(1), alert(2));
    p.ack(2_000, { ids: ['alertmanager:fp1'] });
    p.tick(20_000);
    p.signals(60_000, alert(1), alert(2));
    const q = pager(restart(p.state()));
    q.signals(120_000, alert(1), alert(2));
    expect(p.rings).toHaveLength(1);
    expect(q.rings).toHaveLength(0);
    expect(q.state().pages.get('alertmanager:fp1')?.status).toBe('acknowledged');
  });

  it('a stale firing re-sent after its resolve does not ring, nor reopen', () => {
    const p = pager();
    p.signals(1_000, alert(1));
    p.signals(2_000, alert(1, { status: 'resolved', endsAt: 1_900 }));
    p.signals(30_000, alert(1));
    expect(p.rings).toHaveLength(1);
    expect(p.state().pages.get('alertmanager:fp1')?.status).toBe('resolved');
  });

  it('a resolve that arrives before its firing: the page is resolved and never rings', () => {
    const p = pager();
    p.signals(1_000, alert(1, { status: 'resolved', endsAt: 1_500 }));
    p.signals(1_100, alert(1));
    expect(p.rings).toHaveLength(0);
    expect(p.state().pages.get('alertmanager:fp1')?.status).toBe('resolved');
  });

  it('an alert that resolved and fires again later (new startsAt) rings again', () => {
    const p = pager();
    p.signals(1_000, alert(1));
    p.signals(2_000, alert(1, { status: 'resolved', endsAt: 1_900 }));
    p.signals(50_000, alert(1, { startsAt: 49_000 }));
    expect(p.rings).toHaveLength(2);
  });

  it('heartbeats (Watchdog, severity="none") never page, and their last-seen time is kept', () => {
    const p = pager();
    const watchdog = alert(1, { title: 'Watchdog', labels: { alertname: 'Watchdog', severity: 'none' } });
    const info = alert(2, { title: 'InfoInhibitor', labels: { alertname: 'InfoInhibitor', severity: 'none' } });
    const effects = p.signals(1_000, watchdog, info);
    p.signals(61_000, watchdog);
    expect(p.rings).toHaveLength(0);
    expect(effects.filter((e) => e.type === 'deliver')).toEqual([]);
    expect(p.state().pages.size).toBe(0);
    expect(p.state().heartbeats.get('alertmanager:Watchdog')).toMatchObject({ lastSeenAt: 61_000, status: 'firing' });
    expect(p.state().heartbeats.get('alertmanager:InfoInhibitor')?.lastSeenAt).toBe(1_000);
  });
});

describe('pager reducer: commands and deliveries', () => {
  it('acknowledges one page, a group, or all; only firing pages change, and the renderer gets the command', () => {
    const p = pager();
    p.signals(1_000, alert(1), alert(2), alert(3, { groupKey: 'other' }));
    const one = p.ack(2_000, { ids: ['alertmanager:fp1', 'alertmanager:nope'] });
    expect(one).toEqual([{ type: 'deliver', signals: [], commands: [{ type: 'acknowledge', ids: ['alertmanager:fp1'], at: 2_000, by: 'alice' }], events: [], groups: [] }]);
    const group = p.ack(3_000, { groupKey: GROUP });
    expect(group[0]).toMatchObject({ commands: [{ ids: ['alertmanager:fp2'] }] });
    p.ack(4_000, { all: true });
    expect(attention(p.state())).toEqual({ unacknowledged: 0, firing: 3 });
    expect(p.ack(5_000, { all: true })).toEqual([]);
  });

  it('Undo: an acknowledged page fires again without ringing; resolved or firing pages are left alone; the journal replays it', () => {
    const p = pager();
    p.signals(1_000, alert(1), alert(2), alert(3));
    p.ack(2_000, { all: true });
    p.signals(2_500, alert(3, { status: 'resolved', endsAt: 2_400 }));
    const before = p.rings.length;
    const r = reduce(p.state(), { type: 'unacknowledge', at: 3_000, ids: ['alertmanager:fp1', 'alertmanager:fp3', 'alertmanager:nope'], by: 'alice' }, policy);
    expect(r.effects).toEqual([{ type: 'deliver', signals: [], commands: [{ type: 'unacknowledge', ids: ['alertmanager:fp1'], at: 3_000, by: 'alice' }], events: [], groups: [] }]);
    expect(p.state().pages.get('alertmanager:fp1')).toMatchObject({ status: 'firing', acknowledgedAt: null, updatedAt: 3_000 });
    expect(p.state().pages.get('alertmanager:fp3')?.status).toBe('resolved');
    expect(attention(p.state())).toEqual({ unacknowledged: 1, firing: 2 });
    expect(p.rings).toHaveLength(before);
    // it is journaled as it came, and a restart replays it
    expect(parseInput(JSON.parse(JSON.stringify(r.journal)))).toEqual(r.journal);
    expect(reduce(p.state(), { type: 'unacknowledge', at: 4_000, ids: ['alertmanager:fp1'], by: 'alice' }, policy).journal).toBeNull();
    // the renderer applies the same command with the same transition
    const page = { ...applySignal(undefined, alert(2), 1_000).page, status: 'acknowledged' as const, acknowledgedAt: 2_000 };
    const applied = applyCommand(page, { type: 'unacknowledge', ids: [page.id], at: 3_000, by: 'alice' });
    expect(applied.page).toMatchObject({ status: 'firing', acknowledgedAt: null });
    expect(applied.events).toEqual([{ pageId: page.id, kind: 'unacknowledged', at: 3_000 }]);
    expect(applyCommand(applied.page, { type: 'unacknowledge', ids: [page.id], at: 3_500, by: 'alice' }).changed).toBe(false);
  });

  it('a signal delivery carries the signals and a "notified" event per page that rang', () => {
    const p = pager();
    const effects = p.signals(1_000, alert(1), alert(2));
    const deliver = effects.find((e) => e.type === 'deliver');
    expect(deliver).toMatchObject({ signals: [{ id: 'alertmanager:fp1' }, { id: 'alertmanager:fp2' }] });
    expect(deliver?.type === 'deliver' && deliver.events.map((e) => [e.pageId, e.kind, e.at])).toEqual([
      ['alertmanager:fp1', 'notified', 1_000],
      ['alertmanager:fp2', 'notified', 1_000],
    ]);
  });

  it('seeding fills an unseeded state once, in batches, and never overrides what main already knows', () => {
    const state = emptyState(false);
    const p = pager(state);
    p.signals(500, alert(1));
    const seeded = { ...p.state().pages.get('alertmanager:fp1')!, status: 'acknowledged' as const };
    const other = { ...seeded, id: 'alertmanager:fp2', status: 'acknowledged' as const };
    reduce(state, { type: 'seed', at: 600, pages: [seeded], done: false }, policy);
    reduce(state, { type: 'seed', at: 600, pages: [other], done: true }, policy);
    reduce(state, { type: 'seed', at: 700, pages: [{ ...other, id: 'alertmanager:late' }], done: true }, policy);
    expect(state.seeded).toBe(true);
    expect(state.pages.get('alertmanager:fp1')?.status).toBe('firing');
    expect(state.pages.get('alertmanager:fp2')?.status).toBe('acknowledged');
    expect(state.pages.has('alertmanager:late')).toBe(false);
    p.signals(800, alert(2));
    expect(p.rings).toHaveLength(1);
  });

  it('resolved pages are forgotten after the retention period, open ones never', () => {
    const p = pager();
    p.signals(1_000, alert(1), alert(2));
    p.signals(2_000, alert(1, { status: 'resolved', endsAt: 2_000 }));
    p.tick(2_000 + policy.keepResolvedMs + 1);
    expect([...p.state().pages.keys()]).toEqual(['alertmanager:fp2']);
  });

  it('the tray lists unacknowledged groups, most urgent first', () => {
    const p = pager();
    p.signals(1_000, alert(1, { severity: 'P3', groupKey: 'a', title: 'A' }), alert(2, { severity: 'P1', groupKey: 'b', title: 'B' }), alert(3, { groupKey: 'b' }));
    expect(openGroups(p.state(), 5)).toEqual([
      { groupKey: 'b', title: 'B', severity: 'P1', count: 2, newest: 1_000 },
      { groupKey: 'a', title: 'A', severity: 'P3', count: 1, newest: 1_000 },
    ]);
  });

  it('journal lines that are not inputs are refused by the parser', () => {
    for (const bad of [null, 3, 'x', [], { type: 'explode' }, { type: 'tick' }]) expect(parseInput(bad)).toBeNull();
    expect(parseInput({ type: 'tick', at: 5 })).toEqual({ type: 'tick', at: 5 });
  });

  it('journals only what changed: a re-sent group is mostly repeats, and replaying the journal gives the same state', () => {
    const state = emptyState();
    const first = reduce(state, { type: 'signals', at: 1_000, signals: [alert(1), alert(2)], groups: [] }, policy);
    expect(first.journal).toMatchObject({ signals: [{ id: 'alertmanager:fp1' }, { id: 'alertmanager:fp2' }] });
    const again = reduce(state, { type: 'signals', at: 2_000, signals: [alert(1), alert(2), alert(3)], groups: [] }, policy);
    expect(again.journal).toMatchObject({ signals: [{ id: 'alertmanager:fp3' }] });
    expect(again.effects.find((e) => e.type === 'deliver')).toMatchObject({ signals: [{ id: 'alertmanager:fp3' }] });
    expect(reduce(state, { type: 'signals', at: 3_000, signals: [alert(1)], groups: [] }, policy).journal).toBeNull();
    const replayed = emptyState();
    for (const j of [first.journal!, again.journal!]) reduce(replayed, j, policy);
    expect(toSnapshot(replayed)).toEqual(toSnapshot(state));
  });
});
