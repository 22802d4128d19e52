import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it, vi } from 'vitest';
import type { RelayEnvelope } from '../../../src/core/relay/envelope';
import { backoffDelay, createRelayClient, isSmeeUrl, memoryCursorStore, type ClientTimers } from '../../../src/main/relay';

/** Waits on a condition; generous, because CI shares 2 cores with other suites. */
const until = (check: () => void) => vi.waitFor(check, { timeout: 20_000, interval: 5 });

/** Timers the test fires by hand. */
function manualTimers() {
  let next = 1;
  const pending = new Map<number, { fn: () => void; ms: number }>();
  const timers: ClientTimers = {
    setTimeout: (fn, ms) => {
      const id = next++;
      pending.set(id, { fn, ms });
      return id;
    },
    clearTimeout: (id) => void pending.delete(id as number),
  };
  const fire = (match: (ms: number) => boolean) => {
    const found = [...pending].find(([, t]) => match(t.ms));
    if (!found) throw new Error(`no timer pending that matches; pending: ${[...pending.values()].map((t) => t.ms).join(', ')}`);
    pending.delete(found[0]);
    found[1].fn();
    return found[1].ms;
  };
  return { timers, pending, fire };
}

const SSE = { 'content-type': 'text/event-stream; charset=utf-8' };
const relaySource = { mode: 'relay' as const, url: 'http://relay.test', channel: 'ops', token: 't' };

/** A fetch whose every answer is an event stream that sends `text` and then stays open. */
const serving = (text: string) => async () => new Response(new ReadableStream<Uint8Array>({ start: (ctl) => ctl.enqueue(new TextEncoder().encode(text)) }), { status: 200, headers: SSE });

describe('relay client behaviour', () => {
  it('backs off exponentially up to the cap, with jitter between half and all of the step', () => {
    expect([0, 1, 2, 3, 10].map((n) => backoffDelay(n, 1000, 30_000, () => 1))).toEqual([1000, 2000, 4000, 8000, 30_000]);
    expect([0, 1, 10].map((n) => backoffDelay(n, 1000, 30_000, () => 0))).toEqual([500, 1000, 15_000]);
  });

  it('waits longer after each failed attempt, sends the stored id as Last-Event-ID, and reconnects at once when asked', async () => {
    const { timers, fire } = manualTimers();
    const seen: Record<string, string>[] = [];
    const fetchFn = vi.fn(async (_url: string, init?: RequestInit) => {
      seen.push(init?.headers as Record<string, string>);
      throw new TypeError('connect ECONNREFUSED');
    });
    const c = createRelayClient({ source: relaySource, fetch: fetchFn as unknown as typeof fetch, now: () => 0, timers, random: () => 1, cursor: memoryCursorStore('5-1'), onEvent: async () => undefined, backoff: { initialMs: 100, maxMs: 1000 } });
    c.start();
    const delays: number[] = [];
    for (let i = 0; i < 5; i++) {
      await until(() => expect(c.status().state).toBe('waiting'));
      delays.push(fire(() => true));
    }
    expect(delays).toEqual([100, 200, 400, 800, 1000]);
    expect(c.status().lastError).toEqual({ code: 'network', params: { message: 'connect ECONNREFUSED' } });
    expect(seen[0]).toMatchObject({ authorization: 'Bearer t', 'last-event-id': '5-1' });
    await until(() => expect(c.status().state).toBe('waiting'));
    const calls = fetchFn.mock.calls.length;
    c.reconnectNow();
    await until(() => expect(fetchFn.mock.calls.length).toBe(calls + 1));
    await c.stop();
    expect(c.status().state).toBe('stopped');
  });

  it('drops a stream that went silent (no ping) and reconnects', async () => {
    const { timers, fire } = manualTimers();
    let connects = 0;
    const fetchFn = async (_url: string, init?: RequestInit) => {
      connects++;
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode(': connected\n\n'));
          init?.signal?.addEventListener('abort', () => controller.error(new Error('aborted')));
        },
      });
      return new Response(stream, { status: 200, headers: { 'content-type': 'text/event-stream' } });
    };
    const c = createRelayClient({ source: relaySource, fetch: fetchFn as typeof fetch, now: () => 0, timers, random: () => 0, cursor: memoryCursorStore(), onEvent: async () => undefined, stallMs: 45_000 });
    c.start();
    await until(() => expect(c.status().state).toBe('connected'));
    fire((ms) => ms === 45_000);
    await until(() => expect(c.status().lastError).toEqual({ code: 'stalled', params: { seconds: 45 } }));
    fire(() => true); // the back-off delay
    await until(() => expect(connects).toBe(2));
    await c.stop();
  });

  it('on request (resume from sleep), drops a live connection and reconnects without back-off', async () => {
    const { timers, fire } = manualTimers();
    let connects = 0;
    const fetchFn = async (_url: string, init?: RequestInit) => {
      connects++;
      const body = new ReadableStream<Uint8Array>({
        start(ctl) {
          ctl.enqueue(new TextEncoder().encode(': connected\n\n'));
          init?.signal?.addEventListener('abort', () => ctl.error(new Error('aborted')));
        },
      });
      return new Response(body, { status: 200, headers: SSE });
    };
    const c = createRelayClient({ source: relaySource, fetch: fetchFn as typeof fetch, now: () => 0, timers, random: () => 1, cursor: memoryCursorStore(), onEvent: async () => undefined });
    c.start();
    await until(() => expect(c.status().state).toBe('connected'));
    c.reconnectNow();
    await until(() => expect(c.status().state).toBe('waiting'));
    expect(fire((ms) => ms !== 45_000)).toBe(0);
    await until(() => expect(connects).toBe(2));
    await until(() => expect(c.status().state).toBe('connected'));
    await c.stop();
  });

  it('does not count the time the app spends storing pages as relay silence', async () => {
    const { timers, pending } = manualTimers();
    let finishStoring: () => void = () => undefined;
    const storing = new Promise<void>((resolve) => (finishStoring = resolve));
    let started = false;
    const envelope = { id: '1-0', channel: 'ops', source: 'am', receivedAt: 1, headers: {}, body: '' };
    const fetchFn = serving(`id: 1-0\nevent: hook\ndata: ${JSON.stringify(envelope)}\n\n`);
    const cursor = memoryCursorStore();
    const c = createRelayClient({
      source: relaySource,
      fetch: fetchFn as typeof fetch,
      now: () => 0,
      timers,
      cursor,
      stallMs: 45_000,
      onEvent: () => {
        started = true;
        return storing;
      },
    });
    c.start();
    await until(() => expect(started).toBe(true));
    expect([...pending.values()].some((t) => t.ms === 45_000)).toBe(false);
    finishStoring();
    await until(() => expect(cursor.value()).toBe('1-0'));
    await until(() => expect([...pending.values()].some((t) => t.ms === 45_000)).toBe(true));
    await c.stop();
  });

  it('refuses a 200 answer that is not an event stream, such as a Wi-Fi login page', async () => {
    const { timers } = manualTimers();
    const fetchFn = async () => new Response('<html>Please log in</html>', { status: 200, headers: { 'content-type': 'text/html' } });
    const c = createRelayClient({ source: relaySource, fetch: fetchFn as typeof fetch, now: () => 0, timers, cursor: memoryCursorStore(), onEvent: async () => undefined });
    c.start();
    await until(() => expect(c.status().lastError).toEqual({ code: 'notEventStream', params: { contentType: 'text/html' } }));
    expect(c.status().state).toBe('waiting');
    await c.stop();
  });

  it('smee.io mode: relays smee messages, re-serialized and labelled as having no replay', async () => {
    const requests: http.IncomingHttpHeaders[] = [];
    const server = http.createServer((req, res) => {
      requests.push(req.headers);
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('event: ready\ndata: {}\n\n');
      res.write('event: ping\ndata: {}\n\n');
      const msg = { host: 'smee.io', 'content-type': 'application/json', 'x-github-event': 'push', authorization: 'Bearer leak', body: { alert: 'Disk', n: 1 }, query: {}, timestamp: 1732190000123 };
      res.write(`id: 0\ndata: ${JSON.stringify(msg)}\n\n`);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/AbCdEf123`;
    const got: RelayEnvelope[] = [];
    const c = createRelayClient({
      source: { mode: 'smee', url, source: 'grafana' },
      fetch,
      now: Date.now,
      timers: { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout) },
      cursor: memoryCursorStore('9-9'),
      onEvent: async (e) => void got.push(e),
    });
    c.start();
    await until(() => expect(got.length).toBe(1));
    await c.stop();
    server.closeAllConnections();
    server.close();
    expect(c.status()).toMatchObject({ mode: 'smee', replay: false });
    expect(got[0]).toMatchObject({ id: '1732190000123-0', channel: 'AbCdEf123', source: 'grafana', receivedAt: 1732190000123, headers: { 'content-type': 'application/json' }, bodyExact: false });
    expect(JSON.parse(Buffer.from(got[0]!.body, 'base64').toString())).toEqual({ alert: 'Disk', n: 1 });
    expect(requests[0]!['last-event-id']).toBeUndefined();
    expect(requests[0]!.authorization).toBeUndefined();
    expect(isSmeeUrl('https://smee.io/AbCdEf123')).toBe(true);
    expect(isSmeeUrl('http://smee.io/AbCdEf123')).toBe(false);
    expect(isSmeeUrl('https://evil.example/smee.io')).toBe(false);
  });

  it('reports an event whose envelope does not validate and moves past it, so later pages still arrive', async () => {
    const { timers } = manualTimers();
    const cursor = memoryCursorStore();
    const good = { id: '2-0', channel: 'ops', source: 'am', receivedAt: 1, headers: {}, body: '' };
    const got: string[] = [];
    const fetchFn = serving(`id: 1-0\nevent: hook\ndata: {"id":"1-0"}\n\nid: 2-0\nevent: hook\ndata: ${JSON.stringify(good)}\n\n`);
    const c = createRelayClient({ source: relaySource, fetch: fetchFn as typeof fetch, now: () => 0, timers, cursor, onEvent: async (e) => void got.push(e.id) });
    c.start();
    await until(() => expect(got).toEqual(['2-0']));
    await until(() => expect(cursor.value()).toBe('2-0'));
    expect(c.status().lastError).toEqual({ code: 'badEvent', params: { id: '1-0' } });
    await c.stop();
  });

  it('reports a gap the relay announces, before the events that follow it, and moves the cursor past what is gone', async () => {
    const { timers } = manualTimers();
    const cursor = memoryCursorStore('1-0');
    const log: string[] = [];
    const env = (id: string) => JSON.stringify({ id, channel: 'ops', source: 'am', receivedAt: 1, headers: {}, body: '' });
    const frames = `event: gap\ndata: {"after":"1-0","reason":"retention","lostThrough":"7-2"}\n\nid: 8-0\nevent: hook\ndata: ${env('8-0')}\n\nevent: gap\ndata: {"after":"oops"}\n\nid: 9-0\nevent: hook\ndata: ${env('9-0')}\n\n`;
    const fetchFn = serving(frames);
    const c = createRelayClient({
      source: relaySource,
      fetch: fetchFn as typeof fetch,
      now: () => 500,
      timers,
      cursor,
      onEvent: async () => undefined,
      onEvents: async (list) => void log.push(...list.map((e) => `event ${e.id} (cursor ${cursor.value()})`)),
      onGap: (gap) => void log.push(`gap ${gap.reason} ${gap.after}..${gap.lostThrough} (cursor ${cursor.value()})`),
    });
    c.start();
    await until(() => expect(cursor.value()).toBe('9-0'));
    // the cursor steps past what is gone (so a reconnect does not report it again), before the events after it
    expect(log).toEqual(['gap retention 1-0..7-2 (cursor 7-2)', 'event 8-0 (cursor 7-2)', 'event 9-0 (cursor 8-0)']);
    expect(c.status().lastGap).toEqual({ after: '1-0', reason: 'retention', lostThrough: '7-2', at: 500 });
    // a gap frame that does not validate is a bad event, not a gap
    expect(c.status().lastError).toEqual({ code: 'badEvent', params: { id: '8-0' } });
    await c.stop();
  });

  it('a reset relay (data lost): the cursor goes back to the start, since all the relay has is news', async () => {
    const cursor = memoryCursorStore('900-0');
    const gaps: string[] = [];
    const c = createRelayClient({
      source: relaySource,
      fetch: serving('event: gap\ndata: {"after":"900-0","reason":"reset","lostThrough":"0-0"}\n\n') as typeof fetch,
      now: () => 0,
      timers: manualTimers().timers,
      cursor,
      onEvent: async () => undefined,
      onGap: (gap) => void gaps.push(gap.reason),
    });
    c.start();
    await until(() => expect(gaps).toEqual(['reset']));
    expect(cursor.value()).toBe('0-0');
    await c.stop();
  });

  it('says when a lost connection is back and since when it was down, but not for the first one or a requested reconnect', async () => {
    const { timers, fire } = manualTimers();
    let now = 1_000;
    let connects = 0;
    const streams: ReadableStreamDefaultController<Uint8Array>[] = [];
    const fetchFn = async (_url: string, init?: RequestInit) => {
      connects++;
      const body = new ReadableStream<Uint8Array>({
        start(ctl) {
          streams.push(ctl);
          ctl.enqueue(new TextEncoder().encode(': connected\n\n'));
          init?.signal?.addEventListener('abort', () => ctl.error(new Error('aborted')));
        },
      });
      return new Response(body, { status: 200, headers: SSE });
    };
    const back: number[] = [];
    const c = createRelayClient({ source: relaySource, fetch: fetchFn as typeof fetch, now: () => now, timers, random: () => 1, cursor: memoryCursorStore(), onEvent: async () => undefined, onReconnected: (since) => void back.push(since) });
    c.start();
    await until(() => expect(c.status().state).toBe('connected'));
    // the relay goes away at 5,000, and the connection is open again at 95,000
    now = 5_000;
    streams[0]!.close();
    await until(() => expect(c.status().state).toBe('waiting'));
    now = 95_000;
    fire((ms) => ms !== 45_000);
    await until(() => expect(connects).toBe(2));
    await until(() => expect(c.status().state).toBe('connected'));
    expect(back).toEqual([5_000]);
    // resume from sleep asks for a reconnect: its caller catches up already
    c.reconnectNow();
    await until(() => expect(c.status().state).toBe('waiting'));
    fire((ms) => ms !== 45_000);
    await until(() => expect(connects).toBe(3));
    await until(() => expect(c.status().state).toBe('connected'));
    expect(back).toEqual([5_000]);
    await c.stop();
  });
});
