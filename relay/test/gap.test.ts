import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { relayGapSchema } from '../../src/core/relay/envelope';
import { createRelay, type Relay } from '../src/server';
import type { EventStore } from '../src/store/types';
import { post, storeBackends, SUBSCRIBE, testConfig } from './support';

/** Waits on a condition; generous, because CI shares 2 cores with other suites. */
const until = <T>(check: () => T) => vi.waitFor(check, { timeout: 20_000, interval: 5 });

/** One frame of the raw stream, as the relay wrote it (comments dropped). */
interface Frame {
  lines: string[];
}

/**
 * Reads a channel's SSE stream as raw frames, so the test sees exactly which lines the relay wrote
 * (the gap frame must carry no `id:` line, which a parser would hide).
 */
async function rawStream(base: string, channel: string, lastEventId?: string) {
  const ac = new AbortController();
  const res = await fetch(`${base}/channels/${channel}/events`, { headers: { authorization: `Bearer ${SUBSCRIBE}`, ...(lastEventId ? { 'last-event-id': lastEventId } : {}) }, signal: ac.signal });
  expect(res.status).toBe(200);
  let text = '';
  void (async () => {
    const decoder = new TextDecoder();
    try {
      for await (const chunk of res.body!) text += decoder.decode(chunk as Uint8Array, { stream: true });
    } catch {
      // aborted by close()
    }
  })();
  const frames = (): Frame[] =>
    text
      .split('\n\n')
      .slice(0, -1)
      .map((f) => ({ lines: f.split('\n').filter((l) => !l.startsWith(':')) }))
      .filter((f) => f.lines.length > 0);
  return {
    frames,
    /** Waits until `n` hook events have arrived, and returns all frames so far. */
    async hooks(n: number): Promise<Frame[]> {
      return until(() => {
        const all = frames();
        expect(all.filter((f) => f.lines.includes('event: hook')).length).toBeGreaterThanOrEqual(n);
        return all;
      });
    },
    close: () => ac.abort(),
  };
}

const idOf = (f: Frame) => f.lines.find((l) => l.startsWith('id: '))?.slice(4);
const isGap = (f: Frame) => f.lines.includes('event: gap');
const gapData = (f: Frame) => relayGapSchema.parse(JSON.parse(f.lines.find((l) => l.startsWith('data: '))!.slice(6)));

const backends = storeBackends('gap', { fastDirs: true });

describe.each(backends)('the gap event: $name', (backend) => {
  let store: EventStore;
  let relay: Relay;
  let base: string;

  beforeAll(() => backend.setup());
  afterAll(() => backend.teardown());
  const start = async (opts?: { maxLen?: number }) => {
    store = await backend.open(opts);
    relay = createRelay({ config: testConfig({ pingSeconds: 30 }), store });
    base = `http://127.0.0.1:${await relay.listen()}`;
  };
  afterEach(async () => {
    await relay.close();
    await store.close();
  });

  /** Posts `n` events, each in a later millisecond than the one before, so a trim by time can split them. */
  async function postSpread(n: number): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 1; i <= n; i++) {
      const res = await post(base, 'ops', 'am', `{"n":${i}}`);
      expect(res.status).toBe(202);
      const id = res.json.id as string;
      ids.push(id);
      await until(() => expect(Date.now()).toBeGreaterThan(Number(id.split('-')[0])));
    }
    return ids;
  }

  describe('retention', () => {
    let ids: string[];
    beforeEach(async () => {
      await start();
      ids = await postSpread(4);
      // events 1 and 2 go, 3 and 4 stay
      expect(await store.trim('ops', Number(ids[2]!.split('-')[0]))).toBe(2);
      expect(await store.trimmedThrough('ops')).toBe(ids[1]);
    });

    it('a subscriber behind the retention gets one gap frame, without an id line, then exactly the retained events', async () => {
      const sub = await rawStream(base, 'ops', ids[0]);
      const frames = await sub.hooks(2);
      sub.close();
      expect(frames.length).toBe(3);
      expect(frames[0]).toEqual({ lines: ['event: gap', `data: {"after":"${ids[0]}","reason":"retention","lostThrough":"${ids[1]}"}`] });
      expect(gapData(frames[0]!)).toEqual({ after: ids[0], reason: 'retention', lostThrough: ids[1] });
      expect(frames.slice(1).map(idOf)).toEqual([ids[2], ids[3]]);
      expect(relay.metrics.value('relay_gaps_total', { channel: 'ops', reason: 'retention' })).toBe(1);
      expect(relay.metrics.render()).toContain('relay_gaps_total{channel="ops",reason="retention"} 1');
    });

    it('events trimmed while the subscription starts are reported too, not silently skipped', async () => {
      await relay.close();
      // retention runs (as on every Redis append) between the request and the replay's first read
      let trimmedOnce = false;
      const racing: EventStore = {
        ...store,
        readAfter: async (channel, afterId, limit) => {
          if (!trimmedOnce) {
            trimmedOnce = true;
            await store.trim(channel, Number(ids[3]!.split('-')[0]));
          }
          return store.readAfter(channel, afterId, limit);
        },
      };
      relay = createRelay({ config: testConfig({ pingSeconds: 30 }), store: racing });
      base = `http://127.0.0.1:${await relay.listen()}`;
      const sub = await rawStream(base, 'ops', ids[1]);
      const frames = await sub.hooks(1);
      sub.close();
      expect(frames.map((f) => (isGap(f) ? gapData(f) : idOf(f)))).toEqual([{ after: ids[1], reason: 'retention', lostThrough: ids[2] }, ids[3]]);
    });

    it('a subscriber whose Last-Event-ID is the newest dropped id, or later, is told of no gap', async () => {
      for (const [from, expected] of [
        [ids[1]!, [ids[2], ids[3]]],
        [ids[2]!, [ids[3]]],
      ] as const) {
        const sub = await rawStream(base, 'ops', from);
        const frames = await sub.hooks(expected.length);
        sub.close();
        expect(frames.some(isGap)).toBe(false);
        expect(frames.map(idOf)).toEqual(expected);
      }
      expect(relay.metrics.value('relay_gaps_total', { channel: 'ops', reason: 'retention' })).toBe(0);
    });

    it('once retention emptied the channel, a fresh subscriber starts at the newest id, and coming back from there is no gap', async () => {
      expect(await store.trim('ops', Number(ids[3]!.split('-')[0]) + 1)).toBe(2);
      const fresh = await rawStream(base, 'ops');
      const position = await until(() => {
        const f = fresh.frames()[0];
        expect(f).toBeDefined();
        return idOf(f!);
      });
      fresh.close();
      expect(position).toBe(ids[3]);
      const back = await rawStream(base, 'ops', position);
      const next = await post(base, 'ops', 'am', '{"n":5}');
      const frames = await back.hooks(1);
      back.close();
      expect(frames.map(idOf)).toEqual([next.json.id]);
    });
  });

  describe('reset', () => {
    beforeEach(() => start());

    it('an empty relay tells a subscriber that comes back with an id that it was reset, then goes live', async () => {
      const after = '1732190000000-5';
      const sub = await rawStream(base, 'ops', after);
      await until(() => expect(sub.frames().length).toBe(1));
      expect(gapData(sub.frames()[0]!)).toEqual({ after, reason: 'reset', lostThrough: '0-0' });
      expect(sub.frames()[0]!.lines.some((l) => l.startsWith('id:'))).toBe(false);
      const live = await post(base, 'ops', 'am', '{"live":1}');
      const frames = await sub.hooks(1);
      sub.close();
      expect(frames.slice(1).map(idOf)).toEqual([live.json.id]);
      expect(relay.metrics.value('relay_gaps_total', { channel: 'ops', reason: 'reset' })).toBe(1);
    });

    it('an empty channel and Last-Event-ID 0-0 is no gap', async () => {
      const sub = await rawStream(base, 'ops', '0-0');
      const live = await post(base, 'ops', 'am', '{"live":1}');
      const frames = await sub.hooks(1);
      sub.close();
      expect(frames.map(idOf)).toEqual([live.json.id]);
    });

    it('a relay whose newest id is older than Last-Event-ID replays all it holds from the start, then goes live', async () => {
      const ids = await postSpread(3);
      const newestMs = Number(ids[2]!.split('-')[0]);
      const after = `${newestMs + 60_000}-0`;
      const sub = await rawStream(base, 'ops', after);
      const frames = await sub.hooks(3);
      expect(frames[0]).toEqual({ lines: ['event: gap', `data: {"after":"${after}","reason":"reset","lostThrough":"${ids[2]}"}`] });
      expect(frames.slice(1).map(idOf)).toEqual(ids);
      const live = await post(base, 'ops', 'am', '{"live":1}');
      const all = await sub.hooks(4);
      sub.close();
      expect(all.slice(1).map(idOf)).toEqual([...ids, live.json.id]);
      expect(all.filter(isGap).length).toBe(1);
    });
  });

  if (backend.name.startsWith('Redis')) {
    it('MAXLEN trimming counts as retention: it is recorded and reported', async () => {
      await start({ maxLen: 2 });
      const ids: string[] = [];
      for (let i = 1; i <= 5; i++) ids.push((await post(base, 'ops', 'am', `{"n":${i}}`)).json.id as string);
      expect(await store.trimmedThrough('ops')).toBe(ids[2]);
      const sub = await rawStream(base, 'ops', ids[0]);
      const frames = await sub.hooks(2);
      sub.close();
      expect(gapData(frames[0]!)).toEqual({ after: ids[0], reason: 'retention', lostThrough: ids[2] });
      expect(frames.slice(1).map(idOf)).toEqual([ids[3], ids[4]]);
    });
  }
});
