import { describe, expect, it } from 'vitest';
import { OnCallDb } from '../../../src/renderer/db/database';
import { storeDeliveries, storeDelivery } from '../../../src/renderer/db/pages-repo';
import { delivery, signal } from '../../helpers/fixtures';
import { shippedDb } from '../../helpers/shipped-schemas';

let n = 0;

describe('schema upgrade to version 9 (a receipt row per stored batch) and 10 (old receipts dropped)', () => {
  it('every delivery a version 8 database stored is still a no-op when main re-delivers it; new ones are stored', async () => {
    const name = `upgrade-v8-${++n}`;
    const old = shippedDb(name, 8);
    await old.open();
    // more receipts than one upgraded row holds, so the steps are exercised
    await old.table('deliveries').bulkAdd(Array.from({ length: 1_201 }, (_, i) => ({ id: `d${i}`, storedAt: 1_000 + i, signals: 1 })));
    old.close();

    const db = new OnCallDb(name);
    await db.open();
    expect(db.verno).toBe(10);
    expect(db.tables.map((t) => t.name)).not.toContain('deliveries');
    for (const id of ['d0', 'd499', 'd500', 'd1200']) {
      expect(await storeDelivery(db, delivery({ id, signals: [signal({ id: `again-${id}` })] }), 5_000)).toBe(false);
    }
    expect(await db.pages.count()).toBe(0);
    expect(await storeDelivery(db, delivery({ id: 'd1201', signals: [signal({ id: 'new' })] }), 5_000)).toBe(true);
    expect(await db.pages.get('new')).toBeTruthy();
    db.close();
  });
});

describe('delivery receipts', () => {
  it('a batch keeps one receipt row; a delivery pulled again after a reload is found in it and skipped', async () => {
    const db = new OnCallDb(`receipts-${++n}`);
    const batch = Array.from({ length: 300 }, (_, i) => ({ ...delivery({ id: `r${i}`, signals: [signal({ id: `p${i}` })] }), neverPulled: true }));
    expect(await storeDeliveries(db, batch, 1_000)).toBe(300);
    expect(await db.receipts.count()).toBe(1);
    // after a reload main hands the unconfirmed ones out again, no longer marked: one is new
    const again = [...batch.slice(250).map(({ neverPulled: _, ...d }) => d), delivery({ id: 'r300', signals: [signal({ id: 'p300' })] })];
    expect(await storeDeliveries(db, again, 2_000)).toBe(1);
    expect(await db.pages.count()).toBe(301);
    expect(await db.receipts.count()).toBe(2);
    db.close();
  });

  it('deliveries main marks as never handed out are written without looking for their receipts', async () => {
    const db = new OnCallDb(`receipts-${++n}`);
    await db.open();
    let lookups = 0;
    const where = db.receipts.where.bind(db.receipts);
    db.receipts.where = ((index: string) => {
      lookups++;
      return where(index);
    }) as typeof db.receipts.where;
    await storeDeliveries(db, [{ ...delivery({ id: 'a', signals: [signal({ id: 'pa' })] }), neverPulled: true }], 1_000);
    expect(lookups).toBe(0);
    await storeDeliveries(db, [delivery({ id: 'b', signals: [signal({ id: 'pb' })] })], 1_000);
    expect(lookups).toBe(1);
    expect(await db.pages.count()).toBe(2);
    db.close();
  });
});
