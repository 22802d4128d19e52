import { describe, expect, it } from 'vitest';
import { addNew, applyBatch, inSlices } from '../../../src/renderer/db/batch-writes';
import { OnCallDb } from '../../../src/renderer/db/database';
import { delivery, signal } from '../../helpers/fixtures';

let n = 0;

describe('batch writes', () => {
  it('adds rows believed new and names those that existed, leaving them as they were', async () => {
    const db = new OnCallDb(`batch-${++n}`);
    const [old] = applyBatch([delivery({ id: 'a', signals: [signal({ id: 'p1', title: 'Old' })] })], new Map()).current.values();
    await db.pages.add(old!);
    const fresh = applyBatch([delivery({ id: 'b', signals: [signal({ id: 'p1', title: 'New' }), signal({ id: 'p2' })] })], new Map());
    const existed = await db.transaction('rw', db.pages, () => addNew(db.pages, [...fresh.current.values()], (p) => p.id));
    expect(existed).toEqual(['p1']);
    expect((await db.pages.get('p1'))!.title).toBe('Old');
    expect(await db.pages.get('p2')).toBeDefined();
    db.close();
  });

  it('applying a batch leaves the stored pages it started from untouched', () => {
    const stored = applyBatch([delivery({ id: 'a', signals: [signal({ id: 'p1' })] })], new Map()).current;
    const before = structuredClone([...stored]);
    const next = applyBatch([delivery({ id: 'b', receivedAt: 9, commands: [{ type: 'acknowledge', ids: ['p1'], at: 9, by: 'me' }] })], stored);
    expect(next.current.get('p1')!.status).toBe('acknowledged');
    expect([...next.dirty]).toEqual(['p1']);
    expect(next.events.map((e) => [e.kind, e.detail])).toEqual([['acknowledged', 'me']]);
    expect([...stored]).toEqual(before);
  });

  it('runs every slice, two at a time, and keeps results in order', async () => {
    let flying = 0;
    let most = 0;
    const out = await inSlices(Array.from({ length: 1_000 }, (_, i) => i), async (slice) => {
      most = Math.max(most, ++flying);
      // resolves on a later microtask, so the next slice can start meanwhile
      await Promise.resolve();
      flying--;
      return slice[0];
    });
    expect(out).toEqual([0, 400, 800]);
    expect(most).toBe(2);
  });
});
