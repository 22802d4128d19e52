import * as net from 'node:net';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createRelay, type Relay } from '../src/server';
import { openEmbeddedStore } from '../src/store/embedded';
import type { EventStore } from '../src/store/types';
import { collect, post, removeDir, SUBSCRIBE, tempDir, testConfig } from './support';

/** Waits on a condition; generous, because CI shares 2 cores with other suites. */
const until = (check: () => void) => vi.waitFor(check, { timeout: 20_000, interval: 5 });

describe('subscriptions: pings and slow clients', () => {
  let dir: string;
  let store: EventStore;
  let relay: Relay;
  let base: string;
  let port: number;

  beforeEach(async () => {
    dir = tempDir('relay-sub-', true);
    store = await openEmbeddedStore(dir);
    relay = createRelay({ config: testConfig({ pingSeconds: 0.05, slowClientSeconds: 0.2, maxBufferedBytes: 1024 * 1024, maxBodyBytes: 1024 * 1024 }), store });
    port = await relay.listen();
    base = `http://127.0.0.1:${port}`;
  });
  afterEach(async () => {
    await relay.close();
    await store.close();
    removeDir(dir);
  });

  it('sends ping comments at the configured interval', async () => {
    const sub = await collect(base, 'ops', { token: SUBSCRIBE });
    await until(() => expect(sub.comments.filter((c) => c === 'ping').length).toBeGreaterThanOrEqual(2));
    sub.close();
  });

  it('tells a subscriber without Last-Event-ID where "now" is, before any event, so it can come back from there', async () => {
    const empty = await collect(base, 'ops', { token: SUBSCRIBE });
    await until(() => expect(empty.positions).toEqual(['0-0']));
    empty.close();
    const first = await post(base, 'ops', 'am', '{"n":1}');
    const second = await post(base, 'ops', 'am', '{"n":2}');
    const fresh = await collect(base, 'ops', { token: SUBSCRIBE });
    await until(() => expect(fresh.positions).toEqual([second.json.id]));
    // coming back from that position brings what arrived after it, and nothing before
    const third = await post(base, 'ops', 'am', '{"n":3}');
    fresh.close();
    const back = await collect(base, 'ops', { token: SUBSCRIBE, lastEventId: fresh.positions[0] });
    await back.waitFor(1);
    expect(back.events.map((e) => e.id)).toEqual([third.json.id]);
    expect(back.positions).toEqual([]);
    back.close();
    // and from 0-0 (an empty channel's position) everything the channel holds
    const all = await collect(base, 'ops', { token: SUBSCRIBE, lastEventId: '0-0' });
    await all.waitFor(3);
    expect(all.events.map((e) => e.id)).toEqual([first.json.id, second.json.id, third.json.id]);
    all.close();
  });

  it('an event stored while a fresh subscription asks where "now" is: only that event follows, never the history before it', async () => {
    for (let i = 1; i <= 3; i++) expect((await post(base, 'ops', 'am', `{"old":${i}}`)).status).toBe(202);
    await relay.close();
    // as Redis under steady ingest: an append lands (and is announced) while the relay reads the last id
    let armed = false;
    const racing: EventStore = {
      ...store,
      lastId: async (channel) => {
        const id = await store.lastId(channel);
        if (armed) {
          armed = false;
          await store.append({ channel, source: 'am', receivedAt: Date.now(), headers: {}, body: Buffer.from('{"new":1}') });
        }
        return id;
      },
    };
    relay = createRelay({ config: testConfig({ pingSeconds: 30 }), store: racing });
    base = `http://127.0.0.1:${await relay.listen()}`;
    armed = true; // only the subscription's read races, not the relay's own at start
    const fresh = await collect(base, 'ops', { token: SUBSCRIBE });
    await fresh.waitFor(1);
    expect(fresh.events.map((e) => JSON.parse(e.data).body)).toEqual([Buffer.from('{"new":1}').toString('base64')]);
    const before = (await store.readAfter('ops', null, 10)).map((e) => e.id);
    expect(fresh.positions).toEqual([before[2]]);
    fresh.close();
  });

  it('storage that is down when a client subscribes is a 503 with the reason, not a stream that ends at once', async () => {
    await relay.close();
    const broken: EventStore = { ...store, lastId: () => Promise.reject(new Error('connection is closed')), ping: () => Promise.reject(new Error('connection is closed')) };
    relay = createRelay({ config: testConfig(), store: broken });
    base = `http://127.0.0.1:${await relay.listen()}`;
    for (const lastEventId of [undefined, '5-0']) {
      const res = await fetch(`${base}/channels/ops/events`, { headers: { authorization: `Bearer ${SUBSCRIBE}`, ...(lastEventId ? { 'last-event-id': lastEventId } : {}) } });
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('5');
      expect(await res.json()).toMatchObject({ error: 'storageUnavailable', reason: expect.stringContaining('connection is closed') });
    }
    expect(relay.subscriberCount('ops')).toBe(0);
  });

  it('disconnects a subscriber that stops reading, and keeps serving the others', async () => {
    // Here the slow-client cut is under test, with room for the healthy reader, which shares this
    // process and 2 busy cores with the relay while 20 MiB go through: a 0.2 s drain window, or two
    // 50 ms pings without progress (the half-open rule), sometimes cut it too.
    await relay.close();
    relay = createRelay({ config: testConfig({ pingSeconds: 10, slowClientSeconds: 2, maxBufferedBytes: 1024 * 1024, maxBodyBytes: 1024 * 1024 }), store });
    port = await relay.listen();
    base = `http://127.0.0.1:${port}`;
    const stuck = net.connect(port, '127.0.0.1');
    await new Promise<void>((resolve) => stuck.once('connect', () => resolve()));
    stuck.write(`GET /channels/ops/events HTTP/1.1\r\nHost: relay\r\nAuthorization: Bearer ${SUBSCRIBE}\r\n\r\n`);
    stuck.pause(); // never reads again: the kernel buffers fill, then the relay's own
    const closed = new Promise<void>((resolve) => stuck.once('close', () => resolve()));
    const healthy = await collect(base, 'ops', { token: SUBSCRIBE });
    await until(() => expect(relay.subscriberCount('ops')).toBe(2));
    const body = Buffer.alloc(512 * 1024, 0x61);
    for (let i = 0; i < 40; i++) expect((await post(base, 'ops', 'am', body)).status).toBe(202);
    await until(() => expect(relay.subscriberCount('ops')).toBe(1));
    stuck.destroy();
    await closed;
    await healthy.waitFor(40);
    expect(healthy.events.length).toBe(40);
    healthy.close();
  });
});
