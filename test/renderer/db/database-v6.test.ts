import { describe, expect, it } from 'vitest';
import type { Page } from '../../../src/core/page';
import { OnCallDb } from '../../../src/renderer/db/database';
import { mostUrgentLines, storeDelivery } from '../../../src/renderer/db/pages-repo';
import { delivery, signal } from '../../helpers/fixtures';
import { shippedDb } from '../../helpers/shipped-schemas';

let n = 0;

async function pagesLike(signals: ReturnType<typeof signal>[]): Promise<Page[]> {
  const scratch = new OnCallDb(`v6-src-${++n}`);
  await storeDelivery(scratch, delivery({ id: 'src', receivedAt: 1_000, signals }), 1_000);
  const pages = await scratch.pages.toArray();
  scratch.close();
  return pages;
}

describe('schema upgrade to version 6', () => {
  it('builds one triage line per group and lone page from a version 5 database, and keeps them up to date afterwards', async () => {
    const name = `upgrade-v5-${++n}`;
    // more groups than one upgrade step reads, so the stepping is exercised
    const signals = Array.from({ length: 1_203 }, (_, i) =>
      signal({ id: `p${i}`, groupKey: i < 1_200 ? `g${i % 600}` : '', severity: i % 2 === 0 ? 'P1' : 'P4', startsAt: i, labels: { team: 'a', pod: `pod-${i}` }, status: i % 600 === 7 ? 'resolved' : 'firing', endsAt: i % 600 === 7 ? 5_000 : null }),
    );
    const pages = await pagesLike(signals);
    const old = shippedDb(name, 5);
    await old.open();
    await old.table('pages').bulkAdd(pages);
    await old.table('groups').add({ groupKey: 'g1', truncatedAlerts: 4, updatedAt: 1 });
    old.close();

    const db = new OnCallDb(name);
    await db.open();
    expect(db.verno).toBeGreaterThanOrEqual(6); // later versions move other tables; the lines must survive them
    expect(await db.pages.count()).toBe(1_203);
    // 600 groups plus three lone pages
    expect(await db.triage.count()).toBe(603);
    expect(await db.triage.get('g5')).toMatchObject({ total: 2, firing: 2, shared: { team: 'a' } });
    expect(await db.triage.get('g7')).toMatchObject({ total: 2, firing: 0, resolved: 2, lastResolvedAt: 5_000 });
    expect((await db.triage.get('p1201'))?.members.map((m) => m.id)).toEqual(['p1201']);
    // the urgency index answers the first screen: firing P1 lines, newest first
    const first = await mostUrgentLines(db, 4);
    expect(first.map((l) => l.key)).toEqual(['p1202', 'p1200', 'g598', 'g596']);
    // groups kept their facts and gained the truncatedAlerts index
    expect((await db.groups.where('truncatedAlerts').above(0).toArray()).map((g) => g.groupKey)).toEqual(['g1']);
    await storeDelivery(db, delivery({ id: 'ack', receivedAt: 2_000, commands: [{ type: 'acknowledge', ids: ['p5', 'p605'], at: 2_000, by: 'me' }] }), 2_000);
    expect(await db.triage.get('g5')).toMatchObject({ firing: 0, acknowledged: 2 });
    db.close();
  });

  it('an empty version 5 database upgrades to an empty triage table', async () => {
    const name = `upgrade-v5-empty-${++n}`;
    const old = shippedDb(name, 5);
    await old.open();
    old.close();
    const db = new OnCallDb(name);
    await db.open();
    expect(await db.triage.count()).toBe(0);
    db.close();
  });
});
