import { createHmac } from 'node:crypto';
import * as net from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRelay, type Relay } from '../src/server';
import { openEmbeddedStore } from '../src/store/embedded';
import { openRedisStore } from '../src/store/redis';
import type { EventStore } from '../src/store/types';
import { post, removeDir, startRedis, SUBSCRIBE, tempDir, testConfig, type RedisServer } from './support';

/** Waits on a condition; generous, because CI shares 2 cores with other suites. */
const until = (check: () => void) => vi.waitFor(check, { timeout: 20_000, interval: 5 });

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  vi.restoreAllMocks();
});

async function redisRelay(redis: RedisServer, log: (l: string) => void = () => undefined): Promise<{ store: EventStore; relay: Relay; base: string }> {
  const store = await openRedisStore({ url: redis.url, keyPrefix: 'ops-test:', retentionMs: 86_400_000, log });
  const relay = createRelay({ config: testConfig(), store });
  const base = `http://127.0.0.1:${await relay.listen()}`;
  cleanups.push(() => store.close(), () => relay.close());
  return { store, relay, base };
}

async function embeddedRelay(over: Record<string, unknown> = {}): Promise<{ store: EventStore; relay: Relay; base: string; port: number }> {
  const dir = tempDir('relay-ops-', true);
  const store = await openEmbeddedStore(dir);
  const relay = createRelay({ config: testConfig(over), store });
  const port = await relay.listen();
  cleanups.push(() => removeDir(dir), () => store.close(), () => relay.close());
  return { store, relay, base: `http://127.0.0.1:${port}`, port };
}

/** A raw SSE subscriber that reads nothing after its request: its buffers fill and stay full. */
async function stuckSubscriber(port: number): Promise<{ closed: Promise<void>; socket: net.Socket }> {
  const socket = net.connect(port, '127.0.0.1');
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  socket.write(`GET /channels/ops/events HTTP/1.1\r\nHost: relay\r\nAuthorization: Bearer ${SUBSCRIBE}\r\n\r\n`);
  socket.pause();
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  cleanups.push(() => void socket.destroy());
  return { closed, socket };
}

describe('Redis outages', () => {
  it('logs one line when Redis goes away and one when it is back, never ioredis\'s unhandled-error line', async () => {
    const consoleError = vi.spyOn(console, 'error');
    let redis = await startRedis();
    const lines: string[] = [];
    const store = await openRedisStore({ url: redis.url, keyPrefix: 'outage:', retentionMs: 86_400_000, log: (l) => lines.push(l) });
    cleanups.push(() => store.close());
    const unwatch = store.watch('ops', () => undefined); // a second connection (the tailer's) fails too
    cleanups.push(unwatch);
    await store.append({ channel: 'ops', source: 'am', receivedAt: 1, headers: {}, body: Buffer.from('x') });
    await redis.stop();
    await until(() => expect(lines.some((l) => l.includes('unreachable'))).toBe(true));
    // requests fail while it is down (each after reconnect attempts), and no line is added per retry
    await expect(store.ping()).rejects.toThrow();
    await expect(store.ping()).rejects.toThrow();
    redis = await startRedis(redis.port);
    cleanups.push(() => redis.stop());
    await until(() => expect(lines.some((l) => l.endsWith('is back'))).toBe(true));
    await store.ping();
    expect(lines.length).toBe(2);
    expect(lines[0]).toMatch(new RegExp(`^relay: Redis at redis://127\\.0\\.0\\.1:${redis.port} is unreachable \\(E[A-Z]+\\); retrying$`));
    expect(lines[1]).toBe(`relay: Redis at redis://127.0.0.1:${redis.port} is back`);
    expect(consoleError.mock.calls.filter((c) => String(c[0]).includes('[ioredis] Unhandled error event'))).toEqual([]);
  });

  it('/healthz answers 503 with the reason within 2 s when Redis accepts connections but answers nothing', async () => {
    const redis = await startRedis();
    cleanups.push(() => redis.stop());
    const { base } = await redisRelay(redis);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    redis.freeze();
    cleanups.push(() => redis.thaw());
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ status: 'storage unavailable', backend: 'redis', reason: 'no answer from the redis storage within 2 s' });
  });

  it('a Redis that cannot be reached at start is named, without its password', async () => {
    const redis = await startRedis();
    await redis.stop();
    const url = `redis://:hunter2-secret@127.0.0.1:${redis.port}`;
    const err = await openRedisStore({ url, keyPrefix: 'x:', retentionMs: 1 }).then(
      () => null,
      (e: unknown) => e as Error,
    );
    expect(err?.message).toBe(`cannot reach Redis at redis://:***@127.0.0.1:${redis.port}: ECONNREFUSED`);
    expect(String((err?.cause as Error).message)).toContain('ECONNREFUSED');
  });
});

describe('ingest credentials', () => {
  it('a channel that takes only PagerDuty signatures says so when the signature is missing or wrong', async () => {
    const { base } = await embeddedRelay();
    const body = '{"event":{"event_type":"incident.triggered"}}';
    const unsigned = await post(base, 'pd', 'pagerduty', body, { 'content-type': 'application/json' });
    expect(unsigned.status).toBe(401);
    expect(unsigned.json.reason).toMatch(/^missing or wrong X-PagerDuty-Signature/);
    const wrong = await post(base, 'pd', 'pagerduty', body, { 'x-pagerduty-signature': `v1=${createHmac('sha256', 'not-the-secret').update(body).digest('hex')}` });
    expect(wrong.status).toBe(401);
    expect(wrong.json.reason).toMatch(/^missing or wrong X-PagerDuty-Signature/);
    const bearer = await post(base, 'pd', 'pagerduty', body, { authorization: 'Bearer some-token-0123456789' });
    expect(bearer.status).toBe(401);
    expect(bearer.json.reason).toContain('expected X-PagerDuty-Signature');
    const signed = await post(base, 'pd', 'pagerduty', body, { 'x-pagerduty-signature': `v1=${createHmac('sha256', 'pd-secret-new').update(body).digest('hex')}` });
    expect(signed.status).toBe(202);
  });
});

describe('dead subscribers', () => {
  it('a subscriber that stops acknowledging is cut after two pings with nothing sent, not after the slow-client timeout', async () => {
    // slow-client limits out of reach: only the ping check can notice this one
    const { relay, base, port } = await embeddedRelay({ pingSeconds: 0.05, slowClientSeconds: 600, maxBufferedBytes: 1024 * 1024 * 1024, maxBodyBytes: 2 * 1024 * 1024 });
    const stuck = await stuckSubscriber(port);
    await until(() => expect(relay.subscriberCount('ops')).toBe(1));
    const body = Buffer.alloc(1024 * 1024, 0x61);
    // enough to fill the kernel's buffers on both sides, so bytes wait in the relay's
    for (let i = 0; i < 48 && relay.subscriberCount('ops') > 0; i++) expect((await post(base, 'ops', 'am', body)).status).toBe(202);
    await until(() => expect(relay.subscriberCount('ops')).toBe(0));
    stuck.socket.destroy();
    await stuck.closed;
  });

  it('a subscriber that reads slowly but steadily is kept', async () => {
    const { relay, base, port } = await embeddedRelay({ pingSeconds: 0.05, slowClientSeconds: 600, maxBufferedBytes: 1024 * 1024 * 1024 });
    const socket = net.connect(port, '127.0.0.1');
    cleanups.push(() => void socket.destroy());
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.write(`GET /channels/ops/events HTTP/1.1\r\nHost: relay\r\nAuthorization: Bearer ${SUBSCRIBE}\r\n\r\n`);
    let received = 0;
    socket.on('data', (d: Buffer) => {
      received += d.length;
      // a slow reader: takes a chunk, then waits for the next ping interval before reading on
      socket.pause();
      setTimeout(() => socket.resume(), 20);
    });
    await until(() => expect(relay.subscriberCount('ops')).toBe(1));
    const body = Buffer.alloc(256 * 1024, 0x62);
    for (let i = 0; i < 8; i++) expect((await post(base, 'ops', 'am', body)).status).toBe(202);
    await until(() => expect(received).toBeGreaterThan(8 * 256 * 1024 * 1.3));
    expect(relay.subscriberCount('ops')).toBe(1);
  });

  it('close() finishes although a subscriber socket is stuck with unsent data', async () => {
    const { relay, base, port } = await embeddedRelay({ pingSeconds: 30, slowClientSeconds: 600, maxBufferedBytes: 1024 * 1024 * 1024, maxBodyBytes: 2 * 1024 * 1024 });
    const stuck = await stuckSubscriber(port);
    await until(() => expect(relay.subscriberCount('ops')).toBe(1));
    for (let i = 0; i < 16; i++) expect((await post(base, 'ops', 'am', Buffer.alloc(1024 * 1024, 0x63))).status).toBe(202);
    await relay.close();
    expect(relay.subscriberCount('ops')).toBe(0);
    // the relay hung up: the client sees the end once it reads what had arrived
    stuck.socket.resume();
    await stuck.closed;
  });

  it('storage lag counts from the newest stored id right after a restart, before anything new arrives', async () => {
    const dir = tempDir('relay-lag-', true);
    cleanups.push(() => removeDir(dir));
    const first = await openEmbeddedStore(dir);
    for (let i = 0; i < 16; i++) await first.append({ channel: 'ops', source: 'am', receivedAt: Date.now(), headers: {}, body: Buffer.alloc(1024 * 1024, 0x64) });
    await first.close();
    const store = await openEmbeddedStore(dir);
    const relay = createRelay({ config: testConfig({ pingSeconds: 30, slowClientSeconds: 600, maxBufferedBytes: 1024 * 1024 * 1024 }), store });
    const port = await relay.listen();
    cleanups.push(() => store.close(), () => relay.close());
    // a subscriber replaying from the start that stops reading stays behind the newest stored event
    const socket = net.connect(port, '127.0.0.1');
    cleanups.push(() => void socket.destroy());
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.write(`GET /channels/ops/events HTTP/1.1\r\nHost: relay\r\nAuthorization: Bearer ${SUBSCRIBE}\r\nLast-Event-ID: 0-0\r\n\r\n`);
    socket.pause();
    await until(() => expect(relay.subscriberCount('ops')).toBe(1));
    await until(async () => {
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      const lag = Number(/^relay_storage_lag_seconds\{channel="ops"\} (\S+)$/m.exec(text)?.[1]);
      expect(lag).toBeGreaterThan(0);
    });
  });
});
