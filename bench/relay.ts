// Relay figures for `npm run bench` (issue 11), for the embedded and the Redis backend, through the real app:
//  1. Relay POST → the app's notifier called, p50/p99 at 100 events/s: the relay in its own process, the real
//     main services (relay client, source adapter, pager reducer, notifier) in this one, a recording notifier.
//  2. Replay of 10,000 events missed while disconnected → all stored in Dexie: the real renderer in Debian
//     Chromium on real IndexedDB (dist/renderer, as in bench/renderer.ts), timed from the reconnect.
// BENCH_BACKENDS=embedded or redis runs one backend; BENCH_ONLY_MAIN=1 stops after the main-only latency.
import { mkdirSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import type { Page } from 'playwright-core';
import type { RendererEvents } from '../src/main/adapters';
import { isAppUrl } from '../src/main/security';
import { startMainServices } from '../src/main/services';
import { startRenderer } from '../test/e2e/renderer-host';
import { postHook, RELAY_SUBSCRIBER_TOKEN, startRedis, startRelayProcess, tempDir } from '../test/main/relay/relay-process';

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
const ms = (v: number) => `${v.toFixed(1)} ms`;
const sleep = (t: number) => new Promise((r) => setTimeout(r, t));

/** One Alertmanager webhook with one alert of its own group, so every POST is a new page that rings. */
const amBody = (tag: string) =>
  JSON.stringify({
    version: '4',
    groupKey: `{}:{alertname="${tag}"}`,
    truncatedAlerts: 0,
    status: 'firing',
    receiver: 'relay',
    groupLabels: { alertname: tag },
    commonLabels: {},
    commonAnnotations: {},
    externalURL: '',
    alerts: [{ status: 'firing', labels: { alertname: tag, severity: 'warning', instance: 'web-1:9100' }, annotations: { summary: `${tag} via the relay` }, startsAt: '2026-11-21T10:00:00Z', endsAt: '0001-01-01T00:00:00Z', fingerprint: `fp-${tag}` }],
  });

/** A TCP hop between the app and the relay that can be cut: the laptop losing its network, the relay staying up. */
function cuttableProxy(target: number): Promise<{ port: number; cut(): void; restore(): void; close(): Promise<void> }> {
  let open = true;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    if (!open) return void client.destroy();
    const upstream = net.connect(target, '127.0.0.1');
    for (const s of [client, upstream]) {
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
        close: () => new Promise<void>((r) => server.close(() => r())),
      }),
    ),
  );
}

/** Pages in the window's IndexedDB, or -1 while the page cannot answer. */
function storedCount(page: Page): Promise<number> {
  return page
    .evaluate(
      () =>
        new Promise<number>((resolve, reject) => {
          const open = indexedDB.open('on-call-companion');
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const req = open.result.transaction('pages').objectStore('pages').count();
            req.onsuccess = () => {
              open.result.close();
              resolve(req.result);
            };
            req.onerror = () => reject(req.error);
          };
        }),
    )
    .catch(() => -1);
}

async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const until = performance.now() + timeoutMs;
  while (!(await check())) {
    if (performance.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

async function benchBackend(backend: 'embedded' | 'redis'): Promise<void> {
  const tmp = tempDir('relay-bench-');
  const redis = backend === 'redis' ? await startRedis() : null;
  const relay = await startRelayProcess({ dataDir: tmp.dir, backend, redisUrl: redis?.url });
  const proxy = await cuttableProxy(relay.port);
  const dataDir = path.join(tmp.dir, 'app');
  mkdirSync(path.join(dataDir, 'secrets'), { recursive: true });
  writeFileSync(path.join(dataDir, 'secrets', 'relay.team.token'), RELAY_SUBSCRIBER_TOKEN);
  writeFileSync(
    path.join(dataDir, 'config.json'),
    JSON.stringify({ listener: { host: '127.0.0.1', port: 0 }, relays: [{ id: 'team', name: 'Team relay', mode: 'relay', url: `http://127.0.0.1:${proxy.port}`, channel: 'ops' }] }),
  );
  const notifiedAt = new Map<string, number>();
  let events: RendererEvents | null = null;
  let appUrl = '';
  const services = await startMainServices({
    dataDir,
    notifier: { notify: (n) => void notifiedAt.set(n.pageId, performance.now()) },
    tray: { setAttention: () => undefined },
    events: { emit: (c, p) => events?.emit(c, p) },
    clock: { now: () => Date.now() },
    logger: { info: () => undefined, error: (m) => console.error(m) },
    isTrustedSender: (url) => isAppUrl(url, appUrl),
    openExternal: () => undefined,
  });
  let ui: Awaited<ReturnType<typeof startRenderer>> | null = null;
  try {
    await waitFor(() => services.sources.view().relays[0]?.state === 'connected', 20_000, 'the relay connection');
    // while the start-up catch-up runs, single notifications wait for its one digest: measure after it
    await waitFor(() => !services.sources.catchingUp(), 70_000, 'the start-up catch-up');

    /** Open loop at 100 events/s: each POST leaves on its 10 ms slot, answered or not. */
    const live = async (prefix: string, what: string) => {
      const n = 500;
      const warmup = 50;
      const sentAt = new Map<string, number>();
      const acked: number[] = [];
      const loop = monitorEventLoopDelay({ resolution: 5 });
      loop.enable();
      const start = performance.now();
      for (let i = 0; i < n + warmup; i++) {
        const wait = start + i * 10 - performance.now();
        if (wait > 0) await sleep(wait);
        const tag = `${prefix}${i}`;
        const t = performance.now();
        sentAt.set(`alertmanager:fp-${tag}`, t);
        void postHook(relay.base, amBody(tag)).then(() => i >= warmup && acked.push(performance.now() - t));
      }
      await waitFor(() => [...sentAt.keys()].every((id) => notifiedAt.has(id)), 30_000, 'every live notification');
      loop.disable();
      const samples = [...sentAt].slice(warmup).map(([id, t0]) => notifiedAt.get(id)! - t0).sort((a, b) => a - b);
      acked.sort((a, b) => a - b);
      console.log(`Relay (${backend}): POST to the relay → app notifier called, ${samples.length} new pages at 100 events/s (open loop), loopback, relay in its own process; ${what}:`);
      console.log(`  p50 ${ms(pct(samples, 50))}   p99 ${ms(pct(samples, 99))}   max ${ms(samples.at(-1)!)}   (goal p99 ≤ 20 ms)   [the relay's own 202 (durable): p50 ${ms(pct(acked, 50))}, p99 ${ms(pct(acked, 99))}; main's event-loop delay p99 ${ms(loop.percentile(99) / 1e6)}, max ${ms(loop.max / 1e6)}]`);
      return n + warmup;
    };

    // 1. the bar as the issue states it: the notifier is main's, so main services alone
    let before = await live('Main', 'real main services (relay client, adapter, pager, journal, notifier), no window');
    if (process.env.BENCH_ONLY_MAIN) return;
    // the same with the window open: Chromium stores and renders every page on the same 2 cores, and the
    // harness talks to it over Playwright (costlier in this process than Electron's IPC)
    ui = await startRenderer({ router: () => services.router, onAppUrl: (u) => (appUrl = u) });
    events = ui.events;
    const page = ui.page;
    await waitFor(async () => (await storedCount(page)) === before, 60_000, 'the first pages in Dexie');
    before += await live('Window', 'the same with the renderer in Chromium storing each page in IndexedDB');
    await waitFor(async () => (await storedCount(page)) === before, 60_000, 'the live pages in Dexie');

    // 2. the network drops; 10,000 events reach the relay meanwhile; the network comes back
    const missed = 10_000;
    proxy.cut();
    await waitFor(() => services.sources.view().relays[0]?.state !== 'connected', 10_000, 'the client to notice');
    const p0 = performance.now();
    for (let i = 0; i < missed; i += 50) {
      const ids = await Promise.all(Array.from({ length: Math.min(50, missed - i) }, (_, j) => postHook(relay.base, amBody(`Missed${i + j}`))));
      if (ids.some((id) => id === null)) throw new Error('the relay refused a POST');
    }
    const postMs = performance.now() - p0;
    proxy.restore();
    const t0 = performance.now();
    services.resume(); // what a resume or network change does: reconnect at once, poll, one digest
    let inMain = -1;
    let inDexie = -1;
    await waitFor(
      async () => {
        if (inMain < 0 && services.pages.livePages().length >= before + missed) inMain = performance.now() - t0;
        if ((await storedCount(page)) >= before + missed) inDexie = performance.now() - t0;
        return inDexie >= 0;
      },
      120_000,
      'the replay in Dexie',
    );
    if (inMain < 0) inMain = inDexie;
    // where the window's time went: delivery-sync marks each pull, store and confirm (user timing)
    const measures = await page.evaluate(() => performance.getEntriesByType('measure').map((m) => [m.name, m.duration] as const));
    const steps = (kind: string) => measures.filter(([name]) => name.startsWith(`deliveries:${kind}`));
    const total = (kind: string) => Math.round(steps(kind).reduce((n, [, d]) => n + d, 0));
    const split = { batches: steps('store').length, pulling: total('pull'), storing: total('store'), confirming: total('confirm') };
    console.log(`Relay (${backend}): ${missed.toLocaleString('en')} events missed while disconnected (posted to the relay in ${ms(postMs)}), from the reconnect:`);
    console.log(`  all in main's pager ${ms(inMain)}   all stored in Dexie (Chromium, IndexedDB; polled every ~10 ms) ${ms(inDexie)}   (goal ≤ 2 s)`);
    console.log(`    the window over the whole run: ${split.batches} batches, pulling ${split.pulling} ms, storing ${split.storing} ms, confirming ${split.confirming} ms (performance.measure in delivery-sync)`);
  } finally {
    await ui?.stop().catch(() => undefined);
    await services.stop();
    await proxy.close();
    await relay.kill();
    await redis?.stop();
    tmp.remove();
  }
}

/** Prints the relay's figures for both backends. */
export async function benchRelay(): Promise<void> {
  for (const backend of (process.env.BENCH_BACKENDS?.split(',') ?? ['embedded', 'redis']) as Array<'embedded' | 'redis'>) await benchBackend(backend);
}

if (import.meta.url === `file://${process.argv[1]}`) void benchRelay();
