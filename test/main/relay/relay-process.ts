// Runs the real relay (relay/src/cli.ts) as a child process, and a real redis-server, for the client's tests and the bench.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../../..');

/** Tokens of the channel "ops" in every relay started here. */
export const RELAY_INGEST_TOKEN = 'ingest-token-for-tests-0001';
export const RELAY_SUBSCRIBER_TOKEN = 'subscriber-token-for-tests-0001';

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

/** A temporary folder and its removal. */
export function tempDir(prefix: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

function waitForLine(child: ChildProcess, pattern: RegExp): Promise<RegExpExecArray> {
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
    const onExit = (code: number | null) => reject(new Error(`exited (${code}) before ${pattern}: ${seen}`));
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
  });
}

function killAndWait(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    process.kill(child.pid!, signal);
  });
}

/** A relay running in its own process. */
export interface RelayProcess {
  base: string;
  port: number;
  pid: number;
  /** SIGKILL: no shutdown code runs, as when the machine loses power. */
  kill(): Promise<void>;
}

/** Starts the relay CLI with channel "ops"; `port` 0 picks one. */
export async function startRelayProcess(opts: { dataDir: string; port?: number; backend?: 'embedded' | 'redis'; redisUrl?: string; pingSeconds?: number; retentionDays?: number }): Promise<RelayProcess> {
  const configFile = path.join(opts.dataDir, `relay-${Date.now()}-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(
    configFile,
    JSON.stringify({
      backend: opts.backend ?? 'embedded',
      redis: { url: opts.redisUrl ?? 'redis://127.0.0.1:6379', keyPrefix: 'test:' },
      pingSeconds: opts.pingSeconds ?? 15,
      ...(opts.retentionDays !== undefined ? { retentionDays: opts.retentionDays } : {}),
      channels: { ops: { ingestToken: RELAY_INGEST_TOKEN, subscriberToken: RELAY_SUBSCRIBER_TOKEN } },
    }),
  );
  const args = ['--import', 'tsx', path.join(ROOT, 'relay/src/cli.ts'), '--config', configFile, '--port', String(opts.port ?? 0), '--data', path.join(opts.dataDir, 'store')];
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, RELAY_CONFIG: '' } });
  const m = await waitForLine(child, /relay listening on (http:\/\/[\d.]+:(\d+))/);
  return { base: m[1]!, port: Number(m[2]), pid: child.pid!, kill: () => killAndWait(child, 'SIGKILL') };
}

/** A real redis-server without persistence. */
export interface RedisProcess {
  url: string;
  stop(): Promise<void>;
}

/** Starts `redis-server --port <free> --bind 127.0.0.1 --save '' --daemonize no`; stop() kills it by PID. */
export async function startRedis(): Promise<RedisProcess> {
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'], { stdio: ['ignore', 'pipe', 'inherit'] });
  await waitForLine(child, /Ready to accept connections/);
  return { url: `redis://127.0.0.1:${port}`, stop: () => killAndWait(child, 'SIGKILL') };
}

/**
 * An Alertmanager webhook with one firing alert in a group of its own: every POST is a new page that
 * rings. The fingerprint is `fp-<name>` unless given.
 */
export function oneAlertWebhook(name: string, opts: { instance?: string; summary?: string; fingerprint?: string } = {}): string {
  const labels: Record<string, string> = { alertname: name, severity: 'warning', ...(opts.instance ? { instance: opts.instance } : {}) };
  return JSON.stringify({
    version: '4',
    groupKey: `{}:{alertname="${name}"}`,
    truncatedAlerts: 0,
    status: 'firing',
    receiver: 'relay',
    groupLabels: { alertname: name },
    commonLabels: {},
    commonAnnotations: {},
    externalURL: '',
    alerts: [{ status: 'firing', labels, annotations: { summary: opts.summary ?? `${name} via the relay` }, startsAt: '2026-11-21T10:00:00Z', endsAt: '0001-01-01T00:00:00Z', fingerprint: opts.fingerprint ?? `fp-${name}` }],
  });
}

/** POSTs a webhook to channel "ops"; returns the event id, or null when the relay did not accept it. */
export async function postHook(base: string, body: string, source = 'alertmanager'): Promise<string | null> {
  try {
    const res = await fetch(`${base}/hooks/ops/${source}`, { method: 'POST', headers: { authorization: `Bearer ${RELAY_INGEST_TOKEN}`, 'content-type': 'application/json' }, body });
    const json = (await res.json()) as { id?: string };
    return res.status === 202 ? (json.id ?? null) : null;
  } catch {
    return null;
  }
}

/** A TCP hop between the app and the relay that can be cut: the laptop losing its network, the relay staying up. */
export function cuttableProxy(target: number): Promise<{ port: number; cut(): void; restore(): void; close(): Promise<void> }> {
  let open = true;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    if (!open) return void client.destroy();
    const upstream = net.connect(target, '127.0.0.1');
    for (const s of [client, upstream]) {
      // as the relay's own sockets and any reverse proxy's (nginx tcp_nodelay): no Nagle delay on small SSE frames
      s.setNoDelay(true);
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => undefined);
    }
    client.pipe(upstream);
    upstream.pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        port: (server.address() as net.AddressInfo).port,
        cut() {
          open = false;
          for (const s of sockets) s.destroy();
        },
        restore: () => void (open = true),
        close: () =>
          new Promise<void>((r) => {
            // a connection still open (an app that was not stopped) would hold server.close() forever
            for (const s of sockets) s.destroy();
            server.close(() => r());
          }),
      }),
    ),
  );
}

/** The kind of the first event a subscription from `lastEventId` gets: 'gap' or 'hook' (a probe, as the app would subscribe). */
export async function firstFrame(base: string, lastEventId: string): Promise<string> {
  const ac = new AbortController();
  const res = await fetch(`${base}/channels/ops/events`, { headers: { authorization: `Bearer ${RELAY_SUBSCRIBER_TOKEN}`, 'last-event-id': lastEventId }, signal: ac.signal });
  const reader = res.body!.getReader();
  let text = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return 'end';
      text += new TextDecoder().decode(value);
      const m = /^event: (\w+)$/m.exec(text);
      if (m) return m[1]!;
    }
  } finally {
    ac.abort();
  }
}
