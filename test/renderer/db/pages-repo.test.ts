import Dexie from 'dexie';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Delivery } from '../../../src/core/ipc-contract';
import { normalizeAlertmanagerWebhook } from '../../../src/core/alertmanager';
import { OnCallDb } from '../../../src/renderer/db/database';
import { attentionCounts, listPages, pagesForSeeding, pageTimeline, storeDelivery } from '../../../src/renderer/db/pages-repo';
import { capture, delivery, signal } from '../../helpers/fixtures';

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

  it('default list shows open pages and those resolved in the last 12 h; "all" shows older ones too', async () => {
    const now = 100 * 3600_000;
    await storeDelivery(
      db,
      delivery({ id: 'x', signals: [signal({ id: 'open' }), signal({ id: 'recent', status: 'resolved', endsAt: now - 3600_000 }), signal({ id: 'old', status: 'resolved', endsAt: now - 13 * 3600_000 })] }),
      now,
    );
    expect((await listPages(db, false, now)).map((p) => p.id).sort()).toEqual(['open', 'recent']);
    expect(await listPages(db, true, now)).toHaveLength(3);
  });

  it('a delivery that fails half-way stores nothing of it', async () => {
    await storeDelivery(db, firing(), 2_000);
    const broken = delivery({ id: 'bad', signals: [signal({ id: 'ok-1' }), { ...signal({ id: 'x' }), id: undefined as unknown as string }] });
    await expect(storeDelivery(db, broken, 3_000)).rejects.toThrow();
    expect(await db.pages.count()).toBe(1);
    expect(await db.deliveries.get('bad')).toBeUndefined();
  });
});

describe('schema upgrade', () => {
  it('opens a version 1 database and keeps its pages and timeline', async () => {
    const name = `upgrade-${++n}`;
    const v1 = new Dexie(name);
    v1.version(1).stores({ pages: 'id, status, severity, receivedAt', events: '++seq, pageId, at' });
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
    const v3 = new Dexie(name);
    v3.version(1).stores({ pages: 'id, status, severity, receivedAt', events: '++seq, pageId, at' });
    v3.version(2).stores({ pages: 'id, status, severity, receivedAt, updatedAt, groupKey', deliveries: 'id, storedAt' });
    v3.version(3).stores({ rotaSources: 'id, kind', schedules: 'id, sourceId', overrides: 'id, scheduleId, start', prefs: 'key' });
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
