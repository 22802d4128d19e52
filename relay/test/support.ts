import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import type * as http from 'node:http';
import { Readable } from 'node:stream';
import { mkdtempSync, rmSync } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { createSseParser, type SseEvent } from '../../src/core/relay/sse-parser';
import { parseRelayConfig, type RelayConfig } from '../src/config';
import { openEmbeddedStore } from '../src/store/embedded';
import { openRedisStore } from '../src/store/redis';
import type { EventStore } from '../src/store/types';

/** A port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** A temporary folder, on tmpfs when there is one (fsync there is cheap, which keeps fuzzing fast). */
export function tempDir(prefix: string, fast = false): string {
  const base = fast && os.platform() === 'linux' ? '/dev/shm' : os.tmpdir();
  return mkdtempSync(path.join(base, prefix));
}

/** Removes a temporary folder. */
export const removeDir = (dir: string) => rmSync(dir, { recursive: true, force: true });

/** Waits until a child process prints a line matching `pattern`; rejects if it exits first. */
export function waitForLine(child: ChildProcess, pattern: RegExp): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const onData = (d: Buffer) => {
      seen += d.toString('utf8');
      const m = pattern.exec(seen);
      if (m) {
        child.stdout?.off('data', onData);
        child.off('exit', onExit);
        resolve(m);
      }
    };
    const onExit = (code: number | null) => reject(new Error(`process exited (${code}) before printing ${pattern}: ${seen}`));
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
  });
}

/** A real redis-server started for the test, without persistence; stop() kills it by PID. */
export interface RedisServer {
  url: string;
  port: number;
  /** SIGSTOP/SIGCONT: a Redis that keeps its connections open but answers nothing, then recovers. */
  freeze(): void;
  thaw(): void;
  stop(): Promise<void>;
}

/** Starts `redis-server --port <free, or the given one> --bind 127.0.0.1 --save '' --daemonize no`. */
export async function startRedis(port?: number): Promise<RedisServer> {
  const p = port ?? (await freePort());
  const child = spawn('redis-server', ['--port', String(p), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'], { stdio: ['ignore', 'pipe', 'inherit'] });
  await waitForLine(child, /Ready to accept connections/);
  return {
    url: `redis://127.0.0.1:${p}`,
    port: p,
    freeze: () => process.kill(child.pid!, 'SIGSTOP'),
    thaw: () => process.kill(child.pid!, 'SIGCONT'),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        process.kill(child.pid!, 'SIGKILL');
      }),
  };
}

/** Tokens for the test channel "ops". */
export const INGEST = 'ingest-token-0123456789';
export const SUBSCRIBE = 'subscriber-token-0123456789';
export const PD_SECRETS = ['pd-secret-old', 'pd-secret-new'];

/** A config with channel "ops" (bearer) and "pd" (PagerDuty signatures), for tests. */
export function testConfig(over: Record<string, unknown> = {}): RelayConfig {
  return parseRelayConfig({
    port: 0,
    channels: {
      ops: { ingestToken: INGEST, subscriberToken: SUBSCRIBE, keepHeaders: ['X-Webhook-Timestamp'] },
      pd: { pagerdutySecrets: PD_SECRETS, subscriberToken: SUBSCRIBE },
    },
    ...over,
  });
}

/** A test-side SSE consumer built on the shared parser: collects events and can wait for a count. */
export interface Collected {
  events: SseEvent[];
  comments: string[];
  /** Ids set by id-only frames (the relay's "you are here" on a fresh subscription). */
  positions: string[];
  status: number;
  waitFor(n: number): Promise<SseEvent[]>;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  close(): void;
}

/** Connects to a relay channel's SSE stream. */
export async function collect(base: string, channel: string, opts: { token?: string; lastEventId?: string; query?: string } = {}): Promise<Collected> {
  const ac = new AbortController();
  const headers: Record<string, string> = {};
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.lastEventId) headers['last-event-id'] = opts.lastEventId;
  const res = await fetch(`${base}/channels/${channel}/events${opts.query ?? ''}`, { headers, signal: ac.signal });
  const events: SseEvent[] = [];
  const comments: string[] = [];
  const positions: string[] = [];
  const waiters: { n: number; resolve: (e: SseEvent[]) => void }[] = [];
  const parser = createSseParser({
    onEvent: (e) => {
      events.push(e);
      for (const w of [...waiters]) if (events.length >= w.n) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(events);
      }
    },
    onComment: (c) => comments.push(c),
    onBareId: (id) => positions.push(id),
  });
  const ended = (async () => {
    if (!res.body || res.status !== 200) return;
    const decoder = new TextDecoder();
    try {
      for await (const chunk of res.body) parser.push(decoder.decode(chunk as Uint8Array, { stream: true }));
    } catch {
      // aborted by close()
    }
  })();
  return {
    events,
    comments,
    positions,
    status: res.status,
    ended,
    waitFor: (n) => (events.length >= n ? Promise.resolve(events) : new Promise((resolve) => waiters.push({ n, resolve }))),
    close: () => ac.abort(),
  };
}

/** POSTs one webhook. */
export async function post(base: string, channel: string, source: string, body: string | Buffer, headers: Record<string, string> = { authorization: `Bearer ${INGEST}` }): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${base}/hooks/${channel}/${source}`, { method: 'POST', headers, body });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/** A request to hand straight to the relay's handler, without a socket. */
export interface InProcessRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: Uint8Array;
}

/**
 * Calls a Node request handler in-process with a minimal request stream and response: fast enough to
 * fuzz with tens of thousands of cases. The HTTP parser itself is covered by the socket tests.
 */
export function invoke(handle: (req: http.IncomingMessage, res: http.ServerResponse) => void, r: InProcessRequest): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => {
    const req = Readable.from(r.body && r.body.length > 0 ? [Buffer.from(r.body)] : []) as unknown as http.IncomingMessage & { complete: boolean };
    const headers: Record<string, string> = {};
    const rawHeaders: string[] = [];
    for (const [k, v] of Object.entries(r.headers)) {
      headers[k.toLowerCase()] = v;
      rawHeaders.push(k, v);
    }
    if (r.body) headers['content-length'] = String(r.body.length);
    Object.assign(req, { method: r.method, url: r.url, headers, rawHeaders });
    const chunks: Buffer[] = [];
    let status = 0;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      resolve({ status, body: Buffer.concat(chunks).toString('utf8') });
    };
    const res = new EventEmitter() as EventEmitter & { headersSent: boolean; destroyed: boolean; writableLength: number; [k: string]: unknown };
    Object.assign(res, {
      headersSent: false,
      destroyed: false,
      writableLength: 0,
      writeHead(s: number) {
        status = s;
        res.headersSent = true;
        return res;
      },
      write(c: string | Buffer) {
        chunks.push(Buffer.from(c));
        return true;
      },
      end(c?: string | Buffer) {
        if (c) chunks.push(Buffer.from(c));
        finish();
        return res;
      },
      destroy() {
        res.destroyed = true;
        finish();
        return res;
      },
    });
    handle(req, res as unknown as http.ServerResponse);
  });
}

/** One storage backend as a test suite runs it: started once, a fresh store per test, stopped at the end. */
export interface StoreBackend {
  name: string;
  setup(): Promise<void>;
  open(opts?: { maxLen?: number }): Promise<EventStore>;
  teardown(): Promise<void>;
}

/**
 * Both backends for `describe.each`: embedded in a fresh folder per store, and Redis Streams on a real
 * redis-server (a fresh key prefix per store). `prefix` names the folders and keys of the suite.
 */
export function storeBackends(prefix: string, opts: { fastDirs?: boolean } = {}): StoreBackend[] {
  let redis: RedisServer | null = null;
  let n = 0;
  const dirs: string[] = [];
  return [
    {
      name: 'embedded (classic-level)',
      setup: async () => undefined,
      open: () => {
        const dir = tempDir(`relay-${prefix}-`, opts.fastDirs ?? false);
        dirs.push(dir);
        return openEmbeddedStore(dir);
      },
      teardown: async () => {
        for (const d of dirs.splice(0)) removeDir(d);
      },
    },
    {
      name: 'Redis Streams (real redis-server)',
      setup: async () => {
        redis = await startRedis();
      },
      open: (o = {}) => openRedisStore({ url: redis!.url, keyPrefix: `${prefix}${n++}:`, retentionMs: 7 * 86_400_000, maxLen: o.maxLen }),
      teardown: async () => {
        await redis?.stop();
      },
    },
  ];
}
