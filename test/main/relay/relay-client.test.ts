import { createHmac } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { compareEventIds, type RelayEnvelope } from '../../../src/core/relay/envelope';
import { createRelayClient, envelopeToWebhookInput, memoryCursorStore, type RelayClient, type RelayClientDeps, type RelaySourceConfig } from '../../../src/main/relay';
import { freePort, postHook, RELAY_INGEST_TOKEN, RELAY_SUBSCRIBER_TOKEN, startRedis, startRelayProcess, tempDir, type RelayProcess } from './relay-process';

/** Waits on a condition; generous, because CI shares 2 cores with other suites. */
const until = (check: () => void) => vi.waitFor(check, { timeout: 20_000, interval: 5 });

/** Starting the relay runs tsx in a child process: seconds on a loaded 2-core machine. */
const SPAWN_TIMEOUT = 60_000;

const realTimers = { setTimeout: (fn: () => void, ms: number) => setTimeout(fn, ms), clearTimeout: (h: unknown) => clearTimeout(h as NodeJS.Timeout) };

/** The app's side in miniature: a page store keyed by event id, which counts duplicates. */
function appStore() {
  const pages = new Map<string, RelayEnvelope>();
  const order: string[] = [];
  let duplicates = 0;
  const waiters: { n: number; resolve: () => void }[] = [];
  return {
    pages,
    order,
    duplicates: () => duplicates,
    async onEvent(env: RelayEnvelope) {
      if (pages.has(env.id)) duplicates++;
      pages.set(env.id, env);
      order.push(env.id);
      for (const w of [...waiters]) if (pages.size >= w.n) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    },
    waitFor: (n: number) => (pages.size >= n ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ n, resolve }))),
    bodies: () => order.map((id) => Buffer.from(pages.get(id)!.body, 'base64').toString('utf8')),
  };
}

function client(source: RelaySourceConfig, over: Partial<RelayClientDeps> & Pick<RelayClientDeps, 'onEvent' | 'cursor'>): RelayClient {
  return createRelayClient({ source, fetch, now: Date.now, timers: realTimers, backoff: { initialMs: 20, maxMs: 200 }, ...over });
}

/** Posts until the relay accepts, as Alertmanager retries a failed delivery; returns the id. */
async function postUntilAccepted(base: () => string, body: string): Promise<string> {
  for (;;) {
    const id = await postHook(base(), body);
    if (id) return id;
    await new Promise((r) => setImmediate(r));
  }
}

describe('relay client against the real relay (embedded backend)', () => {
  const tmp = tempDir('relay-client-');
  let relay: RelayProcess;
  let c: RelayClient | null = null;
  beforeAll(async () => {
    relay = await startRelayProcess({ dataDir: tmp.dir });
  }, SPAWN_TIMEOUT);
  afterEach(async () => {
    await c?.stop();
    c = null;
  });
  afterAll(async () => {
    await relay.kill();
    tmp.remove();
  });

  it('moves the cursor only after the page is stored, and redelivers an event the app failed to store', async () => {
    const cursor = memoryCursorStore();
    const app = appStore();
    let failOnce = true;
    c = client(
      { mode: 'relay', url: relay.base, channel: 'ops', token: RELAY_SUBSCRIBER_TOKEN },
      {
        cursor,
        onEvent: async (env) => {
          if (failOnce && Buffer.from(env.body, 'base64').toString() === '{"n":2}') {
            failOnce = false;
            expect(cursor.value()).not.toBe(env.id);
            throw new Error('disk full');
          }
          await app.onEvent(env);
          expect(cursor.value()).not.toBe(env.id); // not saved before the store resolved
        },
      },
    );
    c.start();
    await until(() => expect(c!.status().state).toBe('connected'));
    for (let i = 1; i <= 3; i++) await postHook(relay.base, `{"n":${i}}`);
    await app.waitFor(3);
    expect(app.bodies()).toEqual(['{"n":1}', '{"n":2}', '{"n":3}']);
    expect(app.duplicates()).toBe(0);
    await until(() => expect(cursor.value()).toBe(app.order.at(-1)));
    expect(c.status()).toMatchObject({ mode: 'relay', replay: true, state: 'connected' });
  }, SPAWN_TIMEOUT);

  it('gets every event of a 1,000-event burst exactly once after being offline', async () => {
    const cursor = memoryCursorStore();
    const app = appStore();
    const source = { mode: 'relay' as const, url: relay.base, channel: 'ops', token: RELAY_SUBSCRIBER_TOKEN };
    c = client(source, { cursor, onEvent: app.onEvent });
    c.start();
    await until(() => expect(c!.status().state).toBe('connected'));
    await postHook(relay.base, '{"burst":"before"}');
    await app.waitFor(1);
    await c.stop();
    const ids = await Promise.all(Array.from({ length: 1000 }, (_, i) => postHook(relay.base, `{"burst":${i}}`)));
    expect(ids.every((id) => id !== null)).toBe(true);
    c = client(source, { cursor, onEvent: app.onEvent });
    c.start();
    await app.waitFor(1001);
    expect(app.duplicates()).toBe(0);
    expect(new Set(app.bodies()).size).toBe(1001);
  }, SPAWN_TIMEOUT);

  it('an app that quits before its first event still gets what was sent while it was stopped', async () => {
    const cursor = memoryCursorStore();
    const app = appStore();
    const source = { mode: 'relay' as const, url: relay.base, channel: 'ops', token: RELAY_SUBSCRIBER_TOKEN };
    c = client(source, { cursor, onEvent: app.onEvent });
    c.start();
    // no event arrives on this first subscription: the relay's "you are here" is all there is to keep
    await until(() => expect(cursor.value()).not.toBeNull());
    await c.stop();
    const ids = await Promise.all(Array.from({ length: 20 }, (_, i) => postHook(relay.base, `{"whileStopped":${i}}`)));
    c = client(source, { cursor, onEvent: app.onEvent });
    c.start();
    await app.waitFor(20);
    expect(app.order).toEqual(ids);
    expect(app.duplicates()).toBe(0);
  }, SPAWN_TIMEOUT);

  it('says why the relay cannot be reached: the refusal and the address, not just "fetch failed"', async () => {
    const port = await freePort();
    c = client({ mode: 'relay', url: `http://127.0.0.1:${port}`, channel: 'ops', token: RELAY_SUBSCRIBER_TOKEN }, { cursor: memoryCursorStore(), onEvent: async () => undefined });
    c.start();
    await until(() => expect(c!.status()).toMatchObject({ state: 'waiting', lastError: { code: 'network', params: { message: `fetch failed (connect ECONNREFUSED 127.0.0.1:${port})` } } }));
  }, SPAWN_TIMEOUT);

  it('delivers the exact bytes and signature header, so a PagerDuty signature verifies in the app', async () => {
    const app = appStore();
    c = client({ mode: 'relay', url: relay.base, channel: 'ops', token: RELAY_SUBSCRIBER_TOKEN }, { cursor: memoryCursorStore(), onEvent: app.onEvent });
    c.start();
    await until(() => expect(c!.status().state).toBe('connected'));
    const body = '{ "event" : {"event_type":"incident.triggered", "data":{"id":"Q1","title":"Ümlaut ✓"}}}\n';
    const signature = `v1=${createHmac('sha256', 'pd-secret').update(body).digest('hex')}`;
    const res = await fetch(`${relay.base}/hooks/ops/pagerduty`, { method: 'POST', headers: { authorization: `Bearer ${RELAY_INGEST_TOKEN}`, 'content-type': 'application/json', 'x-pagerduty-signature': signature }, body });
    expect(res.status).toBe(202);
    await app.waitFor(1);
    const input = envelopeToWebhookInput([...app.pages.values()][0]!);
    expect(input.rawBody).toBe(body);
    expect(input.headers['x-pagerduty-signature']).toBe(signature);
    expect(`v1=${createHmac('sha256', 'pd-secret').update(input.rawBody).digest('hex')}`).toBe(input.headers['x-pagerduty-signature']);
    expect(input.headers.authorization).toBeUndefined();
  }, SPAWN_TIMEOUT);

  it('reports a wrong subscriber token and keeps retrying with back-off', async () => {
    c = client({ mode: 'relay', url: relay.base, channel: 'ops', token: 'not-the-token-at-all' }, { cursor: memoryCursorStore(), onEvent: async () => undefined });
    c.start();
    await until(() => expect(c!.status().lastError).toEqual({ code: 'unauthorized', params: { status: 401, refusal: 'wrongToken' } }));
    expect(c.status().state === 'waiting' || c.status().state === 'connecting').toBe(true);
  }, SPAWN_TIMEOUT);
});

describe('no page lost when the relay dies', () => {
  it('kill -9 and restart of the embedded relay mid-stream: nothing lost, ids continue', async () => {
    const tmp = tempDir('relay-kill-');
    const port = await freePort();
    let relay = await startRelayProcess({ dataDir: tmp.dir, port });
    const cursor = memoryCursorStore();
    const app = appStore();
    const c = client({ mode: 'relay', url: relay.base, channel: 'ops', token: RELAY_SUBSCRIBER_TOKEN }, { cursor, onEvent: app.onEvent });
    const accepted: string[] = [];
    try {
      c.start();
      await until(() => expect(c.status().state).toBe('connected'));
      for (let i = 0; i < 100; i++) accepted.push(await postUntilAccepted(() => relay.base, `{"k":${i}}`));
      await app.waitFor(50);
      await relay.kill();
      relay = await startRelayProcess({ dataDir: tmp.dir, port });
      for (let i = 100; i < 200; i++) accepted.push(await postUntilAccepted(() => relay.base, `{"k":${i}}`));
      await app.waitFor(200);
    } finally {
      await c.stop();
      await relay.kill();
      tmp.remove();
    }
    expect(app.duplicates()).toBe(0);
    expect([...app.pages.keys()].sort(compareEventIds)).toEqual(accepted);
    for (let i = 1; i < accepted.length; i++) expect(compareEventIds(accepted[i]!, accepted[i - 1]!)).toBeGreaterThan(0);
  }, SPAWN_TIMEOUT);

  it('two relays on one Redis: subscribed to the second, which is killed mid-stream, the client moves to the first and loses nothing', async () => {
    const redis = await startRedis();
    const tmpA = tempDir('relay-a-');
    const tmpB = tempDir('relay-b-');
    const started: RelayProcess[] = [];
    const cursor = memoryCursorStore();
    const app = appStore();
    const accepted: string[] = [];
    let c: RelayClient | null = null;
    try {
      const a = await startRelayProcess({ dataDir: tmpA.dir, backend: 'redis', redisUrl: redis.url });
      started.push(a);
      const b = await startRelayProcess({ dataDir: tmpB.dir, backend: 'redis', redisUrl: redis.url });
      started.push(b);
      c = client({ mode: 'relay', url: b.base, fallbackUrls: [a.base], channel: 'ops', token: RELAY_SUBSCRIBER_TOKEN }, { cursor, onEvent: app.onEvent });
      c.start();
      await until(() => expect(c!.status().state).toBe('connected'));
      const poster = (async () => {
        for (let i = 0; i < 300; i++) accepted.push(await postUntilAccepted(() => a.base, `{"f":${i}}`));
      })();
      await app.waitFor(100);
      await b.kill();
      await poster;
      await app.waitFor(300);
    } finally {
      await c?.stop();
      for (const p of started) await p.kill();
      await redis.stop();
      tmpA.remove();
      tmpB.remove();
    }
    expect(app.duplicates()).toBe(0);
    expect([...app.pages.keys()].sort(compareEventIds)).toEqual(accepted);
  }, SPAWN_TIMEOUT);
});
