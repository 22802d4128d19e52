import Dexie from 'dexie';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Delivery } from '../../../src/core/ipc-contract';
import { normalizeAlertmanagerWebhook } from '../../../src/core/alertmanager';
import { OnCallDb } from '../../../src/renderer/db/database';
import { acknowledgeAll, acknowledgePages, attentionCounts, listPages, pageTimeline, storeDelivery } from '../../../src/renderer/db/pages-repo';
import { capture, signal } from '../../helpers/fixtures';

let n = 0;
const freshDb = () => new OnCallDb(`test-${++n}`);
const firing = (): Delivery => ({ id: 'd-fire', receivedAt: 1_000, notifiedAt: 1_010, signals: normalizeAlertmanagerWebhook(capture('webhook-firing.json')) });
const resolved = (): Delivery => ({ id: 'd-res', receivedAt: 5_000, notifiedAt: null, signals: normalizeAlertmanagerWebhook(capture('webhook-resolved.json')) });

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
    expect(await acknowledgePages(db, ['alertmanager:cdfe032e9f2869d1'], 3_000)).toBe(1);
    expect(await attentionCounts(db)).toEqual({ unacknowledged: 0, firing: 1 });
    await storeDelivery(db, resolved(), 6_000);
    const page = await db.pages.get('alertmanager:cdfe032e9f2869d1');
    expect(page).toMatchObject({ status: 'resolved', acknowledgedAt: 3_000, resolvedAt: Date.parse('2026-11-21T05:27:17.443Z') });
    expect((await pageTimeline(db, page!.id)).map((e) => e.kind)).toEqual(['received', 'notified', 'acknowledged', 'resolved']);
    expect(await attentionCounts(db)).toEqual({ unacknowledged: 0, firing: 0 });
  });

  it('acknowledge all takes every firing page and leaves the rest', async () => {
    await storeDelivery(db, { id: 'a', receivedAt: 1, notifiedAt: 1, signals: [signal({ id: 'p1' }), signal({ id: 'p2' }), signal({ id: 'p3', status: 'resolved', endsAt: 2 })] }, 1);
    expect(await acknowledgeAll(db, 10)).toBe(2);
    expect((await db.pages.toArray()).map((p) => p.status).sort()).toEqual(['acknowledged', 'acknowledged', 'resolved']);
  });

  it('default list shows open pages and those resolved in the last 12 h; "all" shows older ones too', async () => {
    const now = 100 * 3600_000;
    await storeDelivery(db, {
      id: 'x',
      receivedAt: 1,
      notifiedAt: null,
      signals: [signal({ id: 'open' }), signal({ id: 'recent', status: 'resolved', endsAt: now - 3600_000 }), signal({ id: 'old', status: 'resolved', endsAt: now - 13 * 3600_000 })],
    }, now);
    expect((await listPages(db, false, now)).map((p) => p.id).sort()).toEqual(['open', 'recent']);
    expect(await listPages(db, true, now)).toHaveLength(3);
  });

  it('a delivery that fails half-way stores nothing of it', async () => {
    await storeDelivery(db, firing(), 2_000);
    const broken = { id: 'bad', receivedAt: 1, notifiedAt: null, signals: [signal({ id: 'ok-1' }), { ...signal({ id: 'x' }), id: undefined as unknown as string }] };
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
    expect(db.verno).toBe(3);
    const page = await db.pages.get(oldPage.id);
    expect(page).toMatchObject({ id: oldPage.id, status: 'firing', fireCount: 1, groupKey: '', summary: 'Disk on db-1 is 97% full' });
    expect(await pageTimeline(db, oldPage.id)).toHaveLength(1);
    // the new store works, and new indexes are usable
    expect(await storeDelivery(db, resolved(), 6_000)).toBe(true);
    expect(await db.pages.where('groupKey').equals('{}:{alertname="DiskAlmostFull"}').count()).toBe(1);
  });
});
