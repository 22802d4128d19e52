import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { EventChannel } from '../../src/core/ipc-contract';
import type { NotificationContent } from '../../src/core/notification';
import { startMainServices, type MainServices } from '../../src/main/services';

/** Records what the OS adapters were asked to do. */
export interface Recorded {
  notifications: NotificationContent[];
  tray: Array<{ unacknowledged: number; firing: number }>;
  events: Array<{ channel: EventChannel; payload: unknown }>;
  opened: string[];
  errors: string[];
  /** Every list of warning lines the tray was given, newest last. */
  warnings: string[][];
}

/** Options for a test data folder's config.json. */
export interface TestConfig {
  maxBodyMiB?: number;
  coalesceSeconds?: number;
}

/**
 * Prepares a data folder whose config listens on an ephemeral loopback port (once; a restart
 * keeps it). It is written in the version-1 format, token included, so every test start also
 * runs the migration to version 2.
 */
export function testDataDir(dir = mkdtempSync(path.join(tmpdir(), 'occ-main-')), config: TestConfig = {}): string {
  const file = path.join(dir, 'config.json');
  const listener: Record<string, unknown> = { host: '127.0.0.1', port: 0, token: `test-token-${Math.random().toString(36).slice(2)}-0123456789` };
  if (config.maxBodyMiB !== undefined) listener['maxBodyMiB'] = config.maxBodyMiB;
  const extra = config.coalesceSeconds !== undefined ? { coalesceSeconds: config.coalesceSeconds } : {};
  if (!existsSync(file)) writeFileSync(file, JSON.stringify({ listener, ...extra }));
  return dir;
}

/** Starts the real main services on an ephemeral loopback port with recording adapters. */
export async function startHarness(opts: { dataDir?: string; now?: () => number; config?: TestConfig; writeBackDelayMs?: number; catchUpQuietMs?: number } = {}) {
  const dataDir = testDataDir(opts.dataDir, opts.config);
  const rec: Recorded = { notifications: [], tray: [], events: [], opened: [], errors: [], warnings: [] };
  const services: MainServices = await startMainServices({
    dataDir,
    notifier: { notify: (c) => rec.notifications.push(c) },
    tray: { setAttention: (s) => rec.tray.push(s), setWarnings: (lines) => rec.warnings.push(lines) },
    events: { emit: (channel, payload) => rec.events.push({ channel, payload }) },
    clock: { now: opts.now ?? (() => Date.now()) },
    logger: { info: () => undefined, error: (m) => rec.errors.push(m) },
    isTrustedSender: (url) => url === 'app://test/',
    openExternal: (url) => void rec.opened.push(url),
    // write-backs go out at once unless a test is about the Undo window
    writeBackDelayMs: opts.writeBackDelayMs ?? 0,
    ...(opts.catchUpQuietMs !== undefined ? { catchUpQuietMs: opts.catchUpQuietMs } : {}),
  });
  const port = services.listenerPort()!;
  const token = services.settings.view().listener.token;
  const url = `http://127.0.0.1:${port}/hooks/alertmanager`;
  return {
    dataDir,
    services,
    rec,
    url,
    token,
    post(body: string | Buffer, headers: Record<string, string> = {}) {
      return fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers },
        body: typeof body === 'string' ? body : new Uint8Array(body),
      });
    },
    /** What a window does once it has stored the deliveries in Dexie: confirms every pending one. Returns how many. */
    windowStores(): number {
      let confirmed = 0;
      for (let batch = services.outbox.pending(); batch.length > 0; batch = services.outbox.pending()) confirmed += services.outbox.confirm(batch.map((d) => d.id));
      return confirmed;
    },
    async stop(keepData = false) {
      await services.stop();
      if (!keepData) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
export type Harness = Awaited<ReturnType<typeof startHarness>>;
