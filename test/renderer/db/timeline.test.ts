import { describe, expect, it } from 'vitest';
import type { PageEvent } from '../../../src/core/page';
import { OnCallDb } from '../../../src/renderer/db/database';
import { chunkEvents, readTimeline } from '../../../src/renderer/db/timeline';

let n = 0;
const ev = (pageId: string, at: number, kind: PageEvent['kind'] = 'received'): PageEvent => ({ pageId, kind, at });

describe('timeline chunks', () => {
  it('puts at most the given number of pages in a row, each page whole and in order', () => {
    const events = [ev('a', 1), ev('b', 1), ev('a', 2, 'notified'), ev('c', 3), ev('d', 4), ev('b', 5, 'notified')];
    const chunks = chunkEvents(events, 2);
    expect(chunks.map((c) => c.pageIds)).toEqual([['a', 'b'], ['c', 'd']]);
    expect(chunks[0]!.entries).toEqual([ev('a', 1), ev('a', 2, 'notified'), ev('b', 1), ev('b', 5, 'notified')]);
    expect(chunkEvents([])).toEqual([]);
  });

  it('a storm of 10,000 pages with two entries each is 157 rows', () => {
    const events = Array.from({ length: 10_000 }, (_, i) => [ev(`p${i}`, 1), ev(`p${i}`, 2, 'notified')]).flat();
    expect(chunkEvents(events)).toHaveLength(157);
  });

  it('reads one page, or several, oldest first, without the other pages of the same rows', async () => {
    const db = new OnCallDb(`timeline-${++n}`);
    await db.timeline.bulkAdd(chunkEvents([ev('a', 5), ev('b', 1), ev('c', 2)]));
    await db.timeline.bulkAdd(chunkEvents([ev('a', 3, 'acknowledged'), ev('b', 4, 'resolved')]));
    expect((await readTimeline(db, ['a'])).map((e) => [e.kind, e.at])).toEqual([
      ['acknowledged', 3],
      ['received', 5],
    ]);
    // a row naming both pages is read once: no entry twice
    const both = await readTimeline(db, ['a', 'b']);
    expect(both.map((e) => `${e.pageId}@${e.at}`)).toEqual(['b@1', 'a@3', 'b@4', 'a@5']);
    expect(new Set(both.map((e) => e.key)).size).toBe(4);
    expect(await readTimeline(db, ['zzz'])).toEqual([]);
    expect(await readTimeline(db, [])).toEqual([]);
    db.close();
  });

  it('entries at the same time keep the order they were stored in', async () => {
    const db = new OnCallDb(`timeline-${++n}`);
    await db.timeline.bulkAdd(chunkEvents([ev('a', 7, 'received'), ev('a', 7, 'notified')]));
    await db.timeline.bulkAdd(chunkEvents([ev('a', 7, 'acknowledged')]));
    expect((await readTimeline(db, ['a'])).map((e) => e.kind)).toEqual(['received', 'notified', 'acknowledged']);
    db.close();
  });
});
