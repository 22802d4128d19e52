import { describe, expect, it } from 'vitest';
import { createIncidentFromPages } from '../../../src/core/incidents/incident';
import { OnCallDb } from '../../../src/renderer/db/database';
import { loadIncidentDetail } from '../../../src/renderer/db/incidents-repo';
import { pageTimeline, storeDelivery } from '../../../src/renderer/db/pages-repo';
import { delivery, signal } from '../../helpers/fixtures';
import { shippedDb } from '../../helpers/shipped-schemas';

let n = 0;

describe('schema upgrade to version 7 (timeline chunks) and 8 (old table dropped)', () => {
  it('moves every timeline entry of a version 6 database, in order, with its detail, and new entries join them', async () => {
    const name = `upgrade-v6-${++n}`;
    const old = shippedDb(name, 6);
    await old.open();
    // more entries than one upgrade step reads, interleaved across pages, so order across steps is exercised
    const rows = Array.from({ length: 12_001 }, (_, i) => ({ pageId: `p${i % 7}`, kind: i % 3 === 0 ? 'received' : 'notified', at: 1_000 + Math.floor(i / 7), ...(i === 5 ? { detail: 'by ann' } : {}) }));
    await old.table('events').bulkAdd(rows);
    await old.table('pages').add({ id: 'p5', status: 'firing', groupKey: 'p5', receivedAt: 1, updatedAt: 1, startsAt: 1, title: 'Disk', severity: 'P2', labels: {}, annotations: {}, fireCount: 1 });
    old.close();

    const db = new OnCallDb(name);
    await db.open();
    expect(db.verno).toBeGreaterThanOrEqual(8); // later versions add tables; the timeline must survive them too
    expect(db.tables.map((t) => t.name)).not.toContain('events');
    const p5 = await pageTimeline(db, 'p5');
    const expected = rows.filter((r) => r.pageId === 'p5');
    expect(p5).toHaveLength(expected.length);
    expect(p5.map((e) => [e.kind, e.at])).toEqual(expected.map((e) => [e.kind, e.at]));
    expect(p5[0]).toMatchObject({ kind: 'notified', at: 1_000, detail: 'by ann' });
    // every entry moved exactly once, and each list key is unique
    const all = (await Promise.all(Array.from({ length: 7 }, (_, i) => pageTimeline(db, `p${i}`)))).flat();
    expect(all).toHaveLength(12_001);
    expect(new Set(all.map((e) => e.key)).size).toBe(12_001);

    await storeDelivery(db, delivery({ id: 'ack', receivedAt: 9_000, commands: [{ type: 'acknowledge', ids: ['p5'], at: 9_000, by: 'bob' }] }), 9_000);
    expect((await pageTimeline(db, 'p5')).at(-1)).toMatchObject({ kind: 'acknowledged', at: 9_000, detail: 'bob' });
    db.close();
  });

  it('an incident reads the merged timeline of its pages from the chunks', async () => {
    const db = new OnCallDb(`v7-incident-${++n}`);
    const signals = Array.from({ length: 150 }, (_, i) => signal({ id: `s${i}`, groupKey: 'g', title: `Alert ${i}` }));
    await storeDelivery(db, delivery({ id: 'd1', receivedAt: 1_000, signals }), 1_000);
    const pages = (await db.pages.bulkGet(['s3', 's140'])).filter((p) => p !== undefined);
    await db.incidents.put(createIncidentFromPages(pages, { id: 'inc', by: 'ann' }, 2_000).incident);
    const detail = await loadIncidentDetail(db, 'inc', 'me');
    const fromPages = detail!.timeline.filter((item) => item.source === 'page');
    // each page's "received" entry, and nothing of the 148 other pages sharing their rows
    expect(fromPages.map((item) => `${String(item.params['pageId'])} ${item.kind}`).sort()).toEqual(['s140 pageReceived', 's3 pageReceived']);
    db.close();
  });
});
