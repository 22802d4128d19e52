import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareEventIds } from '../../src/core/relay/envelope';
import { openEmbeddedStore } from '../src/store/embedded';
import { openRedisStore } from '../src/store/redis';
import { removeDir, startRedis, tempDir, type RedisServer } from './support';

const ev = (n: number, at = 1000) => ({ channel: 'ops', source: 'am', receivedAt: at, headers: { 'content-type': 'text/plain' }, body: Buffer.from(`event ${n}`) });

describe('embedded store', () => {
  it('keeps ids increasing across a restart, even when the clock went back and everything expired', async () => {
    const dir = tempDir('relay-store-');
    let now = 5_000_000;
    let store = await openEmbeddedStore(dir, () => now);
    const first = await Promise.all([1, 2, 3].map((n) => store.append(ev(n))));
    expect(first.map((e) => e.id)).toEqual(['5000000-0', '5000000-1', '5000000-2']);
    expect(await store.trim('ops', now + 1)).toBe(3);
    expect(await store.readAfter('ops', null, 10)).toEqual([]);
    await store.close();
    now = 4_000_000; // the clock stepped back an hour
    store = await openEmbeddedStore(dir, () => now);
    const after = await store.append(ev(4));
    expect(compareEventIds(after.id, '5000000-2')).toBeGreaterThan(0);
    expect((await store.readAfter('ops', null, 10)).map((e) => e.body.toString())).toEqual(['event 4']);
    await store.close();
    removeDir(dir);
  });

  it('remembers the newest id retention dropped, per channel, across a restart', async () => {
    const dir = tempDir('relay-store-');
    let now = 1_000;
    let store = await openEmbeddedStore(dir, () => now);
    expect(await store.trimmedThrough('ops')).toBeNull();
    await store.append(ev(1));
    await store.append(ev(2));
    now = 2_000;
    await store.append(ev(3));
    await store.append({ ...ev(4), channel: 'other' });
    expect(await store.trim('ops', 1_500)).toBe(2);
    expect(await store.trim('ops', 1_500)).toBe(0);
    await store.close();
    store = await openEmbeddedStore(dir, () => now);
    expect(await store.trimmedThrough('ops')).toBe('1000-1');
    expect(await store.trimmedThrough('other')).toBeNull();
    // everything gone: the channel's newest id is still known, so ids and positions stay where they were
    expect(await store.trim('ops', 3_000)).toBe(1);
    expect(await store.trimmedThrough('ops')).toBe('2000-0');
    expect(await store.lastId('ops')).toBe('2000-0');
    await store.close();
    removeDir(dir);
  });

  it('trims only events older than the retention and keeps channels apart', async () => {
    const dir = tempDir('relay-store-');
    let now = 1_000;
    const store = await openEmbeddedStore(dir, () => now);
    await store.append(ev(1));
    now = 2_000;
    await store.append(ev(2));
    await store.append({ ...ev(3), channel: 'other' });
    expect(await store.trim('ops', 1_500)).toBe(1);
    expect((await store.readAfter('ops', null, 10)).map((e) => e.body.toString())).toEqual(['event 2']);
    expect((await store.readAfter('other', null, 10)).length).toBe(1);
    await store.close();
    removeDir(dir);
  });
});

describe('Redis Streams store', () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(() => redis.stop());

  it('uses the stream id as event id, replays with XRANGE after an id, and trims by MINID', async () => {
    const now = Date.now();
    const store = await openRedisStore({ url: redis.url, keyPrefix: 'store-test:', retentionMs: 60_000, clock: () => now });
    const a = await store.append(ev(1));
    const b = await store.append(ev(2));
    expect(compareEventIds(b.id, a.id)).toBeGreaterThan(0);
    expect((await store.readAfter('ops', a.id, 10)).map((e) => e.id)).toEqual([b.id]);
    expect(await store.lastId('ops')).toBe(b.id);
    const replayed = await store.readAfter('ops', null, 10);
    expect(replayed[0]).toMatchObject({ id: a.id, source: 'am', headers: { 'content-type': 'text/plain' } });
    expect(replayed[0]!.body.equals(Buffer.from('event 1'))).toBe(true);
    expect(await store.trimmedThrough('ops')).toBeNull();
    expect(await store.trim('ops', Number(b.id.split('-')[0]) + 1)).toBe(2);
    expect(await store.readAfter('ops', null, 10)).toEqual([]);
    // XTRIM does not move Redis's own max-deleted-entry-id; the store records the newest dropped id itself
    expect(await store.trimmedThrough('ops')).toBe(b.id);
    // and an emptied stream still knows its newest id, for fresh subscribers' positions
    expect(await store.lastId('ops')).toBe(b.id);
    await store.close();
  });

  it('drops by age on append (MINID) and by length (MAXLEN), recording the newest id either drops', async () => {
    let now = Date.now();
    const store = await openRedisStore({ url: redis.url, keyPrefix: 'store-retain:', retentionMs: 60_000, maxLen: 3, clock: () => now });
    const ids: string[] = [];
    for (let n = 1; n <= 5; n++) ids.push((await store.append(ev(n))).id);
    expect((await store.readAfter('ops', null, 10)).map((e) => e.id)).toEqual(ids.slice(2));
    expect(await store.trimmedThrough('ops')).toBe(ids[1]);
    // an hour later, the next append drops all that came before it, by age
    now += 3_600_000;
    const late = await store.append(ev(6));
    expect((await store.readAfter('ops', null, 10)).map((e) => e.id)).toEqual([late.id]);
    expect(await store.trimmedThrough('ops')).toBe(ids[4]);
    await store.close();
  });
});
