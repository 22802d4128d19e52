import Dexie from 'dexie';
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Delivery } from '../../../src/core/ipc-contract';
import { normalizeAlertmanagerWebhook } from '../../../src/core/alertmanager';
import { OnCallDb } from '../../../src/renderer/db/database';
import { attentionCounts, linePages, mostUrgentLines, onLinesChanged, openLinesAfter, pagesForSeeding, pageTimeline, resolvedLines, storeDeliveries, storeDelivery, truncatedGroups } from '../../../src/renderer/db/pages-repo';
import { buildLine, lineKey, type TriageLine } from '../../../src/renderer/features/pages/triage-line';
import { capture, delivery, signal } from '../../helpers/fixtures';
import { shippedDb } from '../../helpers/shipped-schemas';

/** A line in a form that does not depend on the order its parts were learned in. */
function normal(line: TriageLine | undefined | null) {
  if (!line) return line;
  const parts = (t: string) => t.split('\n').filter(Boolean).sort();
  return {
    ...line,
    titles: [...line.titles].sort(),
    text: parts(line.text),
    members: line.members.map((m) => ({ ...m, title: line.titles[m.title], text: parts(m.text) })),
  };
}

let n = 0;
const freshDb = () => new OnCallDb(`test-${++n}`);
const ID = 'alertmanager:cdfe032e9f2869d1';
const firing = (): Delivery =>
  delivery({ id: 'd-fire', receivedAt: 1_000, signals: normalizeAlertmanagerWebhook(capture('webhook-firing.json')), events: [{ pageId: ID, kind: 'notified', at: 1_010 }] });
const resolved = (): Delivery => delivery({ id: 'd-res', receivedAt: 5_000, signals: normalizeAlertmanagerWebhook(capture('webhook-resolved.json')) });
const ack = (id: string, ids: string[], at: number): Delivery => delivery({ id, receivedAt: at, commands: [{ type: 'acknowledge', ids, at, by: 'alice' }] });

describe('pages repository', () => {
  let db: OnCallDb;
  beforeEach(() => {
    db = freshDb();
  });

  it('stores a delivery once, even when it arrives twice', async () => {
    expect(await storeDelivery(db, firing(), 2_000)).toBe(true);
    expect(await storeDelivery(db, firing(), 3_000)).toBe(false);
    expect(await db.pages.count()).toBe(1);
    expect((await pageTimeline(db, 'alertmanager:cdfe032e9f2869d1')).map((e) => [e.kind, e.at])).toEqual([
      ['received', 1_000],
      ['notified', 1_010],
    ]);
  });

  it('the same fingerprint in a new delivery updates its row, never adds one', async () => {
    await storeDelivery(db, firing(), 2_000);
    await storeDelivery(db, { ...firing(), id: 'd-fire-2', receivedAt: 3_000 }, 3_000);
    expect(await db.pages.count()).toBe(1);
  });

  it('acknowledge, then resolve: status and timeline follow', async () => {
    await storeDelivery(db, firing(), 2_000);
    expect(await attentionCounts(db)).toEqual({ unacknowledged: 1, firing: 1 });
    expect(await storeDelivery(db, ack('d-ack', [ID], 3_000), 3_000)).toBe(true);
    expect(await attentionCounts(db)).toEqual({ unacknowledged: 0, firing: 1 });
    await storeDelivery(db, resolved(), 6_000);
    const page = await db.pages.get('alertmanager:cdfe032e9f2869d1');
    expect(page).toMatchObject({ status: 'resolved', acknowledgedAt: 3_000, resolvedAt: Date.parse('2026-11-21T05:27:17.443Z') });
    expect((await pageTimeline(db, page!.id)).map((e) => [e.kind, e.detail])).toEqual([
      ['received', undefined],
      ['notified', undefined],
      ['acknowledged', 'alice'],
      ['resolved', undefined],
    ]);
    expect(await attentionCounts(db)).toEqual({ unacknowledged: 0, firing: 0 });
  });

  it('a command from main changes only the firing pages it names, and records the group facts', async () => {
    await storeDelivery(db, delivery({ id: 'a', signals: [signal({ id: 'p1' }), signal({ id: 'p2' }), signal({ id: 'p3', status: 'resolved', endsAt: 2 })], groups: [{ groupKey: 'g', truncatedAlerts: 7 }] }), 1);
    await storeDelivery(db, ack('b', ['p1', 'p3', 'unknown'], 10), 10);
    expect((await db.pages.toArray()).map((p) => [p.id, p.status])).toEqual([
      ['p1', 'acknowledged'],
      ['p2', 'firing'],
      ['p3', 'resolved'],
    ]);
    expect(await db.groups.get('g')).toMatchObject({ truncatedAlerts: 7 });
  });

  it('keeps group facts only while Alertmanager cuts a group short', async () => {
    await storeDelivery(db, delivery({ id: 'a', groups: [{ groupKey: 'cut', truncatedAlerts: 4 }, { groupKey: 'whole', truncatedAlerts: 0 }] }), 1);
    expect(await truncatedGroups(db)).toEqual(new Map([['cut', 4]]));
    expect(await db.groups.get('whole')).toBeUndefined();
    await storeDelivery(db, delivery({ id: 'b', groups: [{ groupKey: 'cut', truncatedAlerts: 0 }, { groupKey: 'whole', truncatedAlerts: 2 }] }), 2);
    expect(await truncatedGroups(db)).toEqual(new Map([['whole', 2]]));
    expect(await db.groups.count()).toBe(1);
  });

  it('hands main the open pages and last week\'s resolved ones for seeding, marked as already rung', async () => {
    const now = 30 * 86_400_000;
    await storeDelivery(db, delivery({ id: 's', receivedAt: now - 1_000, signals: [signal({ id: 'open' }), signal({ id: 'done', status: 'resolved', endsAt: now })] }), now);
    await db.pages.put({ ...(await db.pages.get('done'))!, id: 'ancient', updatedAt: now - 8 * 86_400_000 });
    const seeded = await pagesForSeeding(db, now);
    expect(seeded.map((p) => [p.id, p.status, p.rangAt]).sort()).toEqual([
      ['done', 'resolved', now - 1_000],
      ['open', 'firing', now - 1_000],
    ]);
  });

  it('the last shift\'s resolved lines and older ones are read by resolution time, newest first', async () => {
    const now = 100 * 3600_000;
    await storeDelivery(
      db,
      delivery({
        id: 'x',
        signals: [
          signal({ id: 'open', groupKey: 'go' }),
          signal({ id: 'recent', groupKey: 'gr', status: 'resolved', endsAt: now - 3600_000 }),
          signal({ id: 'old', groupKey: 'gx', status: 'resolved', endsAt: now - 13 * 3600_000 }),
        ],
      }),
      now,
    );
    expect((await resolvedLines(db, now - 12 * 3600_000, 0, 10)).map((l) => l.key)).toEqual(['gr']);
    expect((await resolvedLines(db, -Infinity, 0, 10)).map((l) => l.key)).toEqual(['gr', 'gx']);
    expect((await resolvedLines(db, -Infinity, 1, 10)).map((l) => l.key)).toEqual(['gx']);
    expect((await mostUrgentLines(db, 10)).map((l) => l.key)).toEqual(['go']);
  });

  it('keeps one line per group in the same transaction: counts, lead and urgency follow acknowledge and resolve', async () => {
    const sig = (id: string, severity: 'P1' | 'P3', startsAt: number) => signal({ id, groupKey: 'g', title: 'CpuHigh', severity, startsAt, labels: { team: 'a', pod: id } });
    await storeDelivery(db, delivery({ id: 'a', signals: [sig('p1', 'P3', 10), sig('p2', 'P1', 5), signal({ id: 'lone', groupKey: '', severity: 'P3' })] }), 1);
    const line = await db.triage.get('g');
    expect(line).toMatchObject({ total: 2, firing: 2, shared: { team: 'a' } });
    expect(line!.members.map((m) => m.id)).toEqual(['p2', 'p1']);
    expect(await db.triage.get('lone')).toMatchObject({ total: 1 });
    await storeDelivery(db, ack('b', ['p2'], 20), 20);
    expect(await db.triage.get('g')).toMatchObject({ firing: 1, acknowledged: 1 });
    expect((await db.triage.get('g'))!.members[0]!.id).toBe('p1');
    // un-acknowledging (Undo through main) turns the group back to firing
    await storeDelivery(db, delivery({ id: 'c', receivedAt: 30, commands: [{ type: 'unacknowledge', ids: ['p2'], at: 30, by: 'alice' }] }), 30);
    expect(await db.triage.get('g')).toMatchObject({ firing: 2, acknowledged: 0 });
    await storeDelivery(db, delivery({ id: 'd', signals: [{ ...sig('p1', 'P3', 10), status: 'resolved', endsAt: 40 }, { ...sig('p2', 'P1', 5), status: 'resolved', endsAt: 50 }] }), 50);
    expect(await db.triage.get('g')).toMatchObject({ firing: 0, resolved: 2, lastResolvedAt: 50 });
    expect((await mostUrgentLines(db, 10)).map((l) => l.key)).toEqual(['lone']);
    expect((await linePages(db, 'g')).map((p) => p.id)).toEqual(['p2', 'p1']);
  });

  it('open lines come by urgency, in chunks that continue where the last one stopped', async () => {
    const signals = Array.from({ length: 9 }, (_, i) => signal({ id: `p${i}`, groupKey: `g${i}`, severity: (['P1', 'P2', 'P3'] as const)[i % 3], startsAt: i }));
    await storeDelivery(db, delivery({ id: 'a', signals }), 1);
    await storeDelivery(db, ack('b', ['p0'], 2), 2);
    const first = await mostUrgentLines(db, 4);
    const rest = await openLinesAfter(db, first.at(-1)!, 100);
    const order = [...first, ...rest].map((l) => l.key);
    // firing P1 newest first, then P2, then P3, and the acknowledged P1 last
    expect(order).toEqual(['g6', 'g3', 'g7', 'g4', 'g1', 'g8', 'g5', 'g2', 'g0']);
  });

  it('tells listeners each line a committed batch changed, as stored, and nothing for a batch it had already stored', async () => {
    const heard: Array<Map<string, TriageLine | null>> = [];
    const off = onLinesChanged((from, lines) => from === db && heard.push(new Map(lines)));
    const batch = [delivery({ id: 'a', signals: [signal({ id: 'p1', groupKey: 'g' }), signal({ id: 'p2', groupKey: 'h' })] }), delivery({ id: 'b', commands: [{ type: 'acknowledge', ids: ['p1'], at: 3, by: 'me' }] })];
    expect(await storeDeliveries(db, batch, 3)).toBe(2);
    expect(await storeDeliveries(db, batch, 4)).toBe(0);
    expect(heard).toHaveLength(1);
    expect([...heard[0]!.keys()].sort()).toEqual(['g', 'h']);
    // what listeners hear is exactly what was committed
    expect(heard[0]!.get('g')).toEqual(await db.triage.get('g'));
    expect(heard[0]!.get('g')).toMatchObject({ acknowledged: 1, firing: 0 });
    off();
  });

  it('attention is counted on the status index, and truncated groups come from their own index', async () => {
    await storeDelivery(db, delivery({ id: 'a', signals: [signal({ id: 'p1' }), signal({ id: 'p2' })], groups: [{ groupKey: 'cut', truncatedAlerts: 3 }, { groupKey: 'whole', truncatedAlerts: 0 }] }), 1);
    await storeDelivery(db, ack('b', ['p1'], 2), 2);
    expect(await attentionCounts(db)).toEqual({ unacknowledged: 1, firing: 2 });
    expect(await truncatedGroups(db)).toEqual(new Map([['cut', 3]]));
  });

  it('after any sequence of signals and commands, each stored line is exactly the line built from all of its pages', async () => {
    const arbSignal = fc.record({
      n: fc.integer({ min: 0, max: 7 }),
      group: fc.constantFrom('', 'g1', 'g2'),
      status: fc.constantFrom('firing', 'resolved' as const),
      severity: fc.constantFrom('P1', 'P2', 'P4' as const),
      pod: fc.constantFrom('a', 'b'),
      summary: fc.constantFrom('disk full', 'Disk full', 'cpu'),
    });
    const arbStep = fc.oneof(
      fc.array(arbSignal, { minLength: 1, maxLength: 4 }).map((sigs) => ({ sigs, ack: null as null | { type: 'acknowledge' | 'unacknowledge'; n: number[] } })),
      fc.record({ type: fc.constantFrom('acknowledge', 'unacknowledge' as const), n: fc.array(fc.integer({ min: 0, max: 7 }), { minLength: 1, maxLength: 3 }) }).map((ack) => ({ sigs: [], ack })),
    );
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(arbStep, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 5 }), async (batches) => {
        const store = new OnCallDb(`lines-${++n}-${++run}`);
        let d = 0;
        for (const batch of batches) {
          const deliveries = batch.map((step) =>
            delivery({
              id: `d${++d}`,
              receivedAt: d * 10,
              signals: step.sigs.map((x) =>
                signal({ id: `p${x.n}`, groupKey: x.group, status: x.status, endsAt: x.status === 'resolved' ? d * 10 : null, severity: x.severity, summary: x.summary, labels: { team: 'a', pod: x.pod }, startsAt: x.n }),
              ),
              commands: step.ack ? [{ type: step.ack.type, ids: step.ack.n.map((i) => `p${i}`), at: d * 10, by: 'me' }] : [],
            }),
          );
          await storeDeliveries(store, deliveries, d);
        }
        const pages = await store.pages.toArray();
        const keys = new Set(pages.map(lineKey));
        const lines = await store.triage.toArray();
        expect(lines.map((l) => l.key).sort()).toEqual([...keys].sort());
        for (const line of lines) {
          const mine = pages.filter((p) => lineKey(p) === line.key);
          expect(normal(line)).toEqual(normal(buildLine(line.key, mine)));
        }
        store.close();
        await Dexie.delete(store.name);
      }),
      { numRuns: 40 },
    );
  });

  it('a page main has forgotten (hinted as new) that fires again is reopened, not replaced', async () => {
    await storeDelivery(db, delivery({ id: 'old', receivedAt: 1_000, signals: [signal({ id: 'p1' })] }), 1_000);
    await storeDelivery(db, delivery({ id: 'old-res', receivedAt: 2_000, signals: [signal({ id: 'p1', status: 'resolved', endsAt: 2_000 })] }), 2_000);
    // weeks later main no longer knows p1 and says so; p2 is truly new
    const again = delivery({ id: 'again', receivedAt: 9_000_000, signals: [signal({ id: 'p1', startsAt: 8_000_000 }), signal({ id: 'p2' })], newIds: ['p1', 'p2'] });
    expect(await storeDelivery(db, again, 9_000_000)).toBe(true);
    expect(await db.pages.get('p1')).toMatchObject({ status: 'firing', fireCount: 2, receivedAt: 1_000 });
    expect((await pageTimeline(db, 'p1')).map((e) => e.kind)).toEqual(['received', 'resolved', 'reopened']);
    expect(await db.pages.get('p2')).toMatchObject({ status: 'firing', fireCount: 1 });
    // both in one group: its line counts the reopened page as firing again
    expect(await db.triage.get('{}:{alertname="X"}')).toMatchObject({ total: 2, firing: 2 });
  });

  it('pages hinted as new are written without being read first', async () => {
    const reads: string[] = [];
    const bulkGet = db.pages.bulkGet.bind(db.pages);
    db.pages.bulkGet = ((keys: string[]) => {
      reads.push(...keys);
      return bulkGet(keys);
    }) as typeof db.pages.bulkGet;
    const signals = Array.from({ length: 900 }, (_, i) => signal({ id: `s${i}`, groupKey: 'g' }));
    await storeDelivery(db, delivery({ id: 'storm', signals, newIds: signals.slice(0, 899).map((s) => s.id) }), 1);
    expect(reads.filter((id) => id.startsWith('s'))).toEqual(['s899']);
    expect(await db.pages.count()).toBe(900);
  });

  it('whatever main hints, right or wrong, the stored pages, timelines and lines are those of no hint at all', async () => {
    const arbStep = fc.record({
      sigs: fc.array(fc.record({ n: fc.integer({ min: 0, max: 6 }), status: fc.constantFrom('firing', 'resolved' as const), hinted: fc.boolean() }), { maxLength: 4 }),
      ack: fc.array(fc.integer({ min: 0, max: 6 }), { maxLength: 2 }),
    });
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(arbStep, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 4 }), async (batches) => {
        const hinted = new OnCallDb(`hint-${++n}-${++run}`);
        const plain = new OnCallDb(`plain-${n}-${run}`);
        let d = 0;
        for (const batch of batches) {
          const deliveries = batch.map((step) => {
            d++;
            const signals = step.sigs.map((x) => signal({ id: `p${x.n}`, groupKey: x.n % 2 ? 'g' : '', status: x.status, endsAt: x.status === 'resolved' ? d * 10 : null }));
            return delivery({ id: `d${d}`, receivedAt: d * 10, signals, commands: step.ack.length ? [{ type: 'acknowledge', ids: step.ack.map((i) => `p${i}`), at: d * 10, by: 'me' }] : [], newIds: step.sigs.filter((x) => x.hinted).map((x) => `p${x.n}`) });
          });
          await storeDeliveries(hinted, deliveries, d);
          await storeDeliveries(plain, deliveries.map((x) => ({ ...x, newIds: [] })), d);
        }
        const byId = <T extends { id: string }>(list: T[]) => [...list].sort((a, b) => a.id.localeCompare(b.id));
        expect(byId(await hinted.pages.toArray())).toEqual(byId(await plain.pages.toArray()));
        expect(await hinted.triage.orderBy('key').toArray()).toEqual(await plain.triage.orderBy('key').toArray());
        for (let i = 0; i <= 6; i++) {
          const strip = (list: Array<{ key: string }>) => list.map(({ key: _k, ...e }) => e);
          expect(strip(await pageTimeline(hinted, `p${i}`))).toEqual(strip(await pageTimeline(plain, `p${i}`)));
        }
        for (const x of [hinted, plain]) {
          x.close();
          await Dexie.delete(x.name);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('a delivery that fails half-way stores nothing of it', async () => {
    await storeDelivery(db, firing(), 2_000);
    const broken = delivery({ id: 'bad', signals: [signal({ id: 'ok-1' }), { ...signal({ id: 'x' }), id: undefined as unknown as string }] });
    await expect(storeDelivery(db, broken, 3_000)).rejects.toThrow();
    expect(await db.pages.count()).toBe(1);
    expect(await db.receipts.where('ids').equals('bad').count()).toBe(0);
  });
});

describe('schema upgrade', () => {
  it('opens a version 1 database and keeps its pages and timeline', async () => {
    const name = `upgrade-${++n}`;
    const v1 = shippedDb(name, 1);
    const { fireCount: _f, groupKey: _g, ...oldPage } = { ...(await (async () => {
      const db = freshDb();
      await storeDelivery(db, firing(), 2_000);
      return (await db.pages.toArray())[0]!;
    })()) };
    await v1.table('pages').add(oldPage);
    await v1.table('events').add({ pageId: oldPage.id, kind: 'received', at: 1_000 });
    v1.close();

    const db = new OnCallDb(name);
    await db.open();
    expect(db.verno).toBeGreaterThanOrEqual(4); // later versions add tables; pages must survive them too
    const page = await db.pages.get(oldPage.id);
    expect(page).toMatchObject({ id: oldPage.id, status: 'firing', fireCount: 1, groupKey: oldPage.id, summary: 'Disk on db-1 is 97% full' });
    expect(await pageTimeline(db, oldPage.id)).toHaveLength(1);
    // the new store works, and new indexes are usable
    expect(await storeDelivery(db, resolved(), 6_000)).toBe(true);
    expect(await db.pages.where('groupKey').equals('{}:{alertname="DiskAlmostFull"}').count()).toBe(1);
  });

  it('upgrades a version 3 database to 4: ungrouped pages become their own group, grouped ones stay, groups table works', async () => {
    const name = `upgrade-v3-${++n}`;
    const v3 = shippedDb(name, 3);
    const source = await (async () => {
      const db = freshDb();
      await storeDelivery(db, firing(), 2_000);
      return (await db.pages.toArray())[0]!;
    })();
    await v3.table('pages').bulkAdd([
      { ...source, id: 'lone', groupKey: '' },
      { ...source, id: 'grouped', groupKey: 'g1' },
    ]);
    v3.close();
    const db = new OnCallDb(name);
    await db.open();
    expect(db.verno).toBeGreaterThanOrEqual(4); // later versions add tables; pages must survive them too
    expect((await db.pages.get('lone'))?.groupKey).toBe('lone');
    expect((await db.pages.get('grouped'))?.groupKey).toBe('g1');
    await storeDelivery(db, delivery({ id: 'g', groups: [{ groupKey: 'g1', truncatedAlerts: 3 }] }), 1);
    expect(await db.groups.get('g1')).toMatchObject({ truncatedAlerts: 3 });
  });
});
