// Relay figures for `npm run bench` (issue 11), for the embedded and the Redis backend, through the real app:
//  1. Relay POST → the app's notifier called, p50/p99 at 100 events/s: the relay in its own process, the real
//     main services (relay client, source adapter, pager reducer, notifier) in this one, a recording notifier.
//     a) main alone; b) with the window, laid out as the e2e tests lay it out: main services, the load
//     generator AND the Playwright driver on this one thread; c) a) and b) again laid out as Electron lays
//     it out (test/e2e/main-thread-host.ts): main services on a worker thread of their own, this thread
//     only sending, the window a plain headless Chromium nothing drives, its IPC over loopback HTTP to a
//     second thread and by message passing to main (BENCH_WINDOW_TRANSPORT=playwright drives it with
//     Playwright from that thread instead). b) against c) shows what the e2e harness costs main.
//     Each run also prints main's thread CPU and CPU wait per page (Linux schedstat), main's time blocked
//     in synchronous file calls (c), and the cores used by this bench and by the rest of the machine.
//  2. Replay of 10,000 events missed while disconnected → all stored in Dexie: the real renderer in Debian
//     Chromium on real IndexedDB (dist/renderer, as in bench/renderer.ts), timed from the reconnect.
// BENCH_BACKENDS=embedded or redis runs one backend; BENCH_ONLY_MAIN=1 stops after the main-only latency;
// BENCH_ONLY_THREADED=1 runs only c); BENCH_NO_REPLAY=1 skips 2. BENCH_MARKS=file appends each run's span
// on the clock of --cpu-prof, to cut a profile down to one run. BENCH_PROFILE_REPLAY=1 prints where the window's
// main thread spent the replay (=<file>.cpuprofile also keeps the profile); BENCH_PROFILE_LIVE=<file> keeps a
// profile of the window during b).
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import * as path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import type { RendererEvents } from '../src/main/adapters';
import { isAppUrl } from '../src/main/security';
import { startMainServices } from '../src/main/services';
import { machineCpu, ownCores, processThreadsCpu, threadCores, threadCpu, treeCpu } from '../test/e2e/cpu-accounting';
import { startThreadedApp, type LoopFigures } from '../test/e2e/main-thread-host';
import { startRenderer } from '../test/e2e/renderer-host';
import { storedCount } from '../test/e2e/stored-count';
import { cuttableProxy, oneAlertWebhook, postHook, RELAY_SUBSCRIBER_TOKEN, startRedis, startRelayProcess, tempDir } from '../test/main/relay/relay-process';

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
const ms = (v: number) => `${v.toFixed(1)} ms`;
const sleep = (t: number) => new Promise((r) => setTimeout(r, t));

/** One Alertmanager webhook with one alert of its own group, so every POST is a new page that rings. */
const amBody = (tag: string) => oneAlertWebhook(tag, { instance: 'web-1:9100' });

async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const until = performance.now() + timeoutMs;
  while (!(await check())) {
    if (performance.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

/** How one layout exposes the app to the open-loop run. */
interface LiveProbe {
  /** The clock sends are stamped with; the notifier's stamps must be on the same one. */
  now(): number;
  /** When the notifier was called for each page, null if not yet. */
  notifiedAt(ids: string[]): Promise<Array<number | null>>;
  /** Main's loop blocked in synchronous file calls since the last ask, by file; null when not measured. */
  syncFileCalls?(): Promise<Record<string, { calls: number; ms: number }>>;
  /** Names for this process's threads in the CPU lines, by Linux thread id. */
  threadNames?: Map<number, string>;
  /** IPC between main and the window since the last ask, by channel; null when not counted. */
  traffic?(): Promise<Record<string, number>>;
  /** Main's event-loop delay over the run, on main's own thread. */
  loopStart(): Promise<void>;
  loopStop(): Promise<LoopFigures>;
}

/**
 * Waits (up to 20 s) until this process's threads other than `busy` use under 0.05 cores over half a
 * second: opening the window starts the runbook workers' background warm-up (niced parses for a few
 * seconds), and the figure is for pages arriving at a steady state, not during that. Returns the wait.
 */
async function settled(busy: number[]): Promise<number> {
  const t0 = performance.now();
  while (performance.now() - t0 < 20_000) {
    const before = processThreadsCpu();
    await sleep(500);
    const after = processThreadsCpu();
    if (after.size === 0) break;
    let ms = 0;
    for (const [tid, t] of after) if (!busy.includes(tid)) ms += t.ms - (before.get(tid)?.ms ?? 0);
    if (ms / 500 < 0.05) break;
  }
  return performance.now() - t0;
}

/** Open loop at 100 events/s: each POST leaves on its 10 ms slot, answered or not. Prints p50/p99; returns the POSTs sent. */
async function liveRun(base: string, relayPid: number, probe: LiveProbe, label: string, prefix: string, what: string): Promise<number> {
  const n = 500;
  const warmup = 50;
  const sentAt = new Map<string, number>();
  const acked: number[] = [];
  const machineAtStart = machineCpu();
  const treeAtStart = treeCpu();
  const threadsAtStart = processThreadsCpu();
  await probe.syncFileCalls?.();
  await probe.traffic?.();
  await probe.loopStart();
  const markStart = process.hrtime.bigint();
  const start = performance.now();
  for (let i = 0; i < n + warmup; i++) {
    const wait = start + i * 10 - performance.now();
    if (wait > 0) await sleep(wait);
    const tag = `${prefix}${i}`;
    const t = probe.now();
    sentAt.set(`alertmanager:fp-${tag}`, t);
    void postHook(base, amBody(tag)).then(() => i >= warmup && acked.push(probe.now() - t));
  }
  const ids = [...sentAt.keys()];
  let notified: Array<number | null> = [];
  await waitFor(async () => (notified = await probe.notifiedAt(ids)).every((t) => t !== null), 30_000, 'every live notification');
  const loop = await probe.loopStop();
  const machine = machineCpu();
  const tree = treeCpu();
  const threads = processThreadsCpu();
  const files = await probe.syncFileCalls?.();
  const traffic = await probe.traffic?.();
  const wallMs = performance.now() - start;
  // the phase on the clock of --cpu-prof (µs), to cut a profile of this run down to the phase
  if (process.env.BENCH_MARKS) appendFileSync(process.env.BENCH_MARKS, `${JSON.stringify({ label, prefix, startUs: Number(markStart / 1000n), endUs: Number(process.hrtime.bigint() / 1000n) })}\n`);
  const samples = ids
    .slice(warmup)
    .map((id, i) => notified[i + warmup]! - sentAt.get(id)!)
    .sort((a, b) => a - b);
  acked.sort((a, b) => a - b);
  console.log(`${label}: POST to the relay → app notifier called, ${samples.length} new pages at 100 events/s (open loop), loopback, relay in its own process; ${what}:`);
  console.log(`  p50 ${ms(pct(samples, 50))}   p99 ${ms(pct(samples, 99))}   max ${ms(samples.at(-1)!)}   (goal p99 ≤ 20 ms)   [the relay's own 202 (durable): p50 ${ms(pct(acked, 50))}, p99 ${ms(pct(acked, 99))}; main's event-loop delay p99 ${ms(loop.p99)}, max ${ms(loop.max)}, busy ${(loop.busy * 100).toFixed(0)}% of the run]`);
  const perPage = (v: number) => `${(v / (n + warmup)).toFixed(2)} ms`;
  const busyShare = machine && machineAtStart ? `${Math.round((100 * (machine.busy - machineAtStart.busy)) / (machine.total - machineAtStart.total))}%` : 'n/a';
  if (loop.cpu) console.log(`  main's thread per page: ${perPage(loop.cpu.onCpu)} on a CPU, ${perPage(loop.cpu.waiting)} runnable but waiting for one (Linux schedstat); both cores ${busyShare} busy machine-wide over the run`);
  if (files) {
    const rows = Object.entries(files).sort((a, b) => b[1].ms - a[1].ms);
    const total = rows.reduce((a, [, v]) => a + v.ms, 0);
    console.log(`  main's loop blocked in synchronous file calls: ${perPage(total)} per page (${rows.slice(0, 5).map(([f, v]) => `${f} ${perPage(v.ms)}, ${(v.calls / (n + warmup)).toFixed(1)} calls`).join('; ')})`);
  }
  if (traffic) {
    const rows = Object.entries(traffic).sort((a, b) => b[1] - a[1]);
    console.log(`  IPC per page: ${rows.map(([k, v]) => `${k} ${(v / (n + warmup)).toFixed(2)}`).join(', ')}`);
  }
  if (tree.size > 0) {
    const own = ownCores(treeAtStart, tree, wallMs, relayPid);
    const machineCores = machine && machineAtStart ? ((machine.busy - machineAtStart.busy) / (machine.total - machineAtStart.total)) * cpus().length : null;
    const others = machineCores === null ? '' : `; everything else on the machine ${Math.max(0, machineCores - own.total).toFixed(2)}`;
    console.log(`  this bench's own processes used ${own.text}${others} (of ${cpus().length}); this process's threads: ${threadCores(threadsAtStart, threads, wallMs, probe.threadNames ?? new Map([[process.pid, 'main services, load generator, Playwright driver']]))}`);
  }
  return n + warmup;
}

/** Writes the app's config for one relay at `url`, channel "ops", with the relay's subscriber token. */
function writeAppConfig(dataDir: string, url: string): void {
  mkdirSync(path.join(dataDir, 'secrets'), { recursive: true });
  writeFileSync(path.join(dataDir, 'secrets', 'relay.team.token'), RELAY_SUBSCRIBER_TOKEN);
  writeFileSync(path.join(dataDir, 'config.json'), JSON.stringify({ listener: { host: '127.0.0.1', port: 0 }, relays: [{ id: 'team', name: 'Team relay', mode: 'relay', url, channel: 'ops' }] }));
}

/**
 * 1a and 1b again with main on its own thread, as in Electron. The Playwright driver that carries the
 * test IPC runs on another thread (in Electron there is none: ipcMain's messages come from Chromium's
 * own IPC), and this thread only sends POSTs. The app reaches the relay through the cuttable proxy, as in b).
 */
async function benchThreaded(backend: 'embedded' | 'redis'): Promise<void> {
  const tmp = tempDir('relay-bench-threads-');
  const redis = backend === 'redis' ? await startRedis() : null;
  const relay = await startRelayProcess({ dataDir: tmp.dir, backend, redisUrl: redis?.url });
  const dataDir = path.join(tmp.dir, 'app');
  // through a TCP hop that can be cut, for the replay after a reconnect
  const proxy = await cuttableProxy(relay.port);
  writeAppConfig(dataDir, `http://127.0.0.1:${proxy.port}`);
  const app = await startThreadedApp({ dataDir });
  try {
    await waitFor(async () => (await app.callMain('relayState')) === 'connected', 20_000, 'the relay connection');
    await waitFor(async () => !(await app.callMain('catchingUp')), 70_000, 'the start-up catch-up');
    const probe: LiveProbe = {
      now: () => performance.timeOrigin + performance.now(),
      notifiedAt: (ids) => app.callMain('notifiedAt', ids),
      syncFileCalls: () => app.callMain('syncFileCalls'),
      loopStart: () => app.callMain('loopDelayStart'),
      loopStop: () => app.callMain('loopDelayStop'),
    };
    probe.threadNames = new Map([[process.pid, 'load generator']]);
    const mainTid = await app.callMain('tid');
    if (mainTid !== null) probe.threadNames.set(mainTid, 'main services');
    const layout = "main services on a worker thread of their own, this thread only sending; stamps on performance.timeOrigin + performance.now() across threads";
    let before = await liveRun(relay.base, relay.pid, probe, `Relay (${backend})`, 'ThreadsMain', `no window; ${layout}`);
    if (process.env.BENCH_ONLY_MAIN) return;
    const transport = process.env.BENCH_WINDOW_TRANSPORT === 'playwright' ? 'playwright' : 'plain';
    const callRenderer = await app.openWindow(transport);
    await waitFor(async () => (await callRenderer('storedCount')) === before, 60_000, 'the first pages in Dexie');
    const waited = await settled(mainTid === null ? [process.pid] : [process.pid, mainTid]);
    console.log(`Relay (${backend}): [the window's run below began once the runbook workers' warm-up had settled, ${ms(waited)} after the pages were in Dexie]`);
    probe.traffic = () => callRenderer('traffic');
    const windowTid = await callRenderer('tid');
    if (windowTid !== null) probe.threadNames.set(windowTid, transport === 'plain' ? 'window IPC (HTTP)' : 'Playwright driver');
    before += await liveRun(
      relay.base,
      relay.pid,
      probe,
      `Relay (${backend})`,
      'ThreadsWindow',
      transport === 'plain'
        ? `with the renderer storing each page in IndexedDB, in a plain headless Chromium nothing drives (no CDP, no Playwright); ${layout}; the window's IPC over loopback HTTP from its own origin (invoke = fetch, events = one SSE stream) to a second thread, then by message passing (structured clone) to main. Stands in for Electron's IPC, whose own cost is not measured`
        : `with the renderer in Chromium storing each page in IndexedDB; ${layout}, the Playwright driver on a second one, IPC by message passing (structured clone). Excludes Electron's own IPC cost; includes Playwright's CPU on the same 2 cores`,
    );
    await waitFor(async () => (await callRenderer('storedCount')) === before, 60_000, 'the live pages in Dexie');

    // 2 in this layout: the network drops, 10,000 events reach the relay, the network comes back
    if (process.env.BENCH_NO_REPLAY) return;
    const missed = 10_000;
    proxy.cut();
    await waitFor(async () => (await app.callMain('relayState')) !== 'connected', 10_000, 'the client to notice');
    for (let i = 0; i < missed; i += 50) {
      const ids = await Promise.all(Array.from({ length: Math.min(50, missed - i) }, (_, j) => postHook(relay.base, amBody(`ThreadsMissed${i + j}`))));
      if (ids.some((id) => id === null)) throw new Error('the relay refused a POST');
    }
    proxy.restore();
    const t0 = performance.now();
    await app.callMain('resume');
    let inMain = -1;
    const mainDone = waitFor(async () => (await app.callMain('livePageCount')) >= before + missed, 120_000, 'the replay in main').then(() => (inMain = performance.now() - t0));
    // asked every 100 ms: each question is one event to the page and one count there
    const until = performance.now() + 120_000;
    while ((await callRenderer('storedCount')) < before + missed) {
      if (performance.now() > until) throw new Error('timed out waiting for the replay in Dexie');
      await sleep(100);
    }
    const inDexie = performance.now() - t0;
    await mainDone;
    console.log(`Relay (${backend}): ${missed.toLocaleString('en')} events missed while disconnected, from the reconnect (resume), ${transport === 'plain' ? 'the window in a plain Chromium with IPC over loopback HTTP' : 'the window driven by Playwright on its own thread'}, main services on their own thread:`);
    console.log(`  all in main's pager ${ms(inMain)}   all stored in Dexie ${ms(inDexie)} (counted in the page, asked every 100 ms)   (goal ≤ 2 s)`);
  } finally {
    await app.stop();
    await proxy.close();
    await relay.kill();
    await redis?.stop();
    tmp.remove();
  }
}

async function benchBackend(backend: 'embedded' | 'redis'): Promise<void> {
  const tmp = tempDir('relay-bench-');
  const redis = backend === 'redis' ? await startRedis() : null;
  const relay = await startRelayProcess({ dataDir: tmp.dir, backend, redisUrl: redis?.url });
  const proxy = await cuttableProxy(relay.port);
  const dataDir = path.join(tmp.dir, 'app');
  writeAppConfig(dataDir, `http://127.0.0.1:${proxy.port}`);
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

    let loop: ReturnType<typeof monitorEventLoopDelay> | null = null;
    let used = performance.eventLoopUtilization();
    let cpuAtStart = threadCpu();
    const probe: LiveProbe = {
      now: () => performance.now(),
      notifiedAt: async (ids) => ids.map((id) => notifiedAt.get(id) ?? null),
      loopStart: async () => {
        loop = monitorEventLoopDelay({ resolution: 5 });
        loop.enable();
        used = performance.eventLoopUtilization();
        cpuAtStart = threadCpu();
      },
      loopStop: async () => {
        loop!.disable();
        const cpu = threadCpu();
        return {
          p99: loop!.percentile(99) / 1e6,
          max: loop!.max / 1e6,
          busy: performance.eventLoopUtilization(used).utilization,
          cpu: cpu && cpuAtStart ? { onCpu: cpu.onCpu - cpuAtStart.onCpu, waiting: cpu.waiting - cpuAtStart.waiting } : null,
        };
      },
    };
    const live = (prefix: string, what: string) => liveRun(relay.base, relay.pid, probe, `Relay (${backend})`, prefix, what);

    // 1. the bar as the issue states it: the notifier is main's, so main services alone
    let before = await live('Main', 'real main services (relay client, adapter, pager, journal, notifier), no window');
    if (process.env.BENCH_ONLY_MAIN) return;
    // the same with the window open: Chromium stores and renders every page on the same 2 cores, and the
    // harness talks to it over Playwright from this very thread, so main's loop also decodes the CDP traffic
    ui = await startRenderer({ router: () => services.router, onAppUrl: (u) => (appUrl = u) });
    events = ui.events;
    const page = ui.page;
    await waitFor(async () => (await storedCount(page)) === before, 60_000, 'the first pages in Dexie');
    const waited = await settled([process.pid]);
    console.log(`Relay (${backend}): [the window's run below began once the runbook workers' warm-up had settled, ${ms(waited)} after the pages were in Dexie]`);
    const liveProf = process.env.BENCH_PROFILE_LIVE ? await page.context().newCDPSession(page) : null;
    if (liveProf) {
      await liveProf.send('Profiler.enable');
      await liveProf.send('Profiler.start');
    }
    before += await live('Window', 'the same with the renderer in Chromium storing each page in IndexedDB, laid out as the e2e tests lay it out (main services and the Playwright driver on one thread)');
    await waitFor(async () => (await storedCount(page)) === before, 60_000, 'the live pages in Dexie');
    if (liveProf) writeFileSync(process.env.BENCH_PROFILE_LIVE!, JSON.stringify((await liveProf.send('Profiler.stop')).profile));

    // 2. the network drops; 10,000 events reach the relay meanwhile; the network comes back
    if (process.env.BENCH_NO_REPLAY) return;
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
    const profiler = process.env.BENCH_PROFILE_REPLAY ? await page.context().newCDPSession(page) : null;
    if (profiler) {
      await profiler.send('Profiler.enable');
      await profiler.send('Profiler.start');
    }
    // the page's clock at the reconnect: the window's steps before it (the live run) are not the replay's
    const replayFrom = await page.evaluate(() => performance.now());
    const treeAtReplay = treeCpu();
    const t0 = performance.now();
    services.resume(); // what a resume or network change does: reconnect at once, poll, one digest
    let inMain = -1;
    // main's count is read on its own thread (a Map's size); the window counts in the page itself every
    // 100 ms, so no DevTools round trip per check lands on main's thread or between its transactions
    const mainDone = waitFor(() => services.pages.state().pages.size >= before + missed, 120_000, 'the replay in main').then(() => (inMain = performance.now() - t0));
    // tsx keeps function names with a __name helper; functions handed to page.evaluate need it too
    await page.evaluate('window.__name = (f) => f');
    await page.evaluate(async (target) => {
      const count = () =>
        new Promise<number>((resolve) => {
          const open = indexedDB.open('on-call-companion');
          open.onerror = () => resolve(-1);
          open.onsuccess = () => {
            const req = open.result.transaction('pages').objectStore('pages').count();
            req.onsuccess = () => {
              open.result.close();
              resolve(req.result);
            };
            req.onerror = () => resolve(-1);
          };
        });
      for (let i = 0; i < 1_200 && (await count()) < target; i++) await new Promise((r) => setTimeout(r, 100));
    }, before + missed);
    const inDexie = performance.now() - t0;
    // CPU seconds, not cores: what the replay cost each process (2 cores give 4 s of CPU in 2 s)
    const replayCpu = ownCores(treeAtReplay, treeCpu(), 1000, relay.pid).text.replace(/^([\d.]+) cores/, '$1 s of CPU');
    await mainDone;
    if (profiler) {
      // BENCH_PROFILE_REPLAY=1: where the window's main thread spent the replay, by function (self time)
      const { profile } = await profiler.send('Profiler.stop');
      // BENCH_PROFILE_REPLAY=<file>.cpuprofile also keeps the whole profile, for DevTools or a source-mapped summary
      const keep = process.env.BENCH_PROFILE_REPLAY ?? '';
      if (keep.endsWith('.cpuprofile')) writeFileSync(keep, JSON.stringify(profile));
      const byId = new Map(profile.nodes.map((n) => [n.id, n]));
      const self = new Map<string, number>();
      profile.samples?.forEach((id, i) => {
        const f = byId.get(id)!.callFrame;
        const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber}`;
        self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas?.[i] ?? 0) / 1000);
      });
      console.log([...self].sort((a, b) => b[1] - a[1]).slice(0, 25).map(([k, v]) => `    ${v.toFixed(0).padStart(6)} ms  ${k}`).join('\n'));
    }
    // where the window's time went: delivery-sync marks each pull, store and confirm (user timing)
    const measures = await page.evaluate((from) => performance.getEntriesByType('measure').filter((m) => m.startTime >= from).map((m) => [m.name, m.duration, m.startTime - from] as const), replayFrom);
    const steps = (kind: string) => measures.filter(([name]) => name.startsWith(`deliveries:${kind}`));
    const total = (kind: string) => Math.round(steps(kind).reduce((n, [, d]) => n + d, 0));
    const split = { batches: steps('store').length, pulling: total('pull'), storing: total('store'), confirming: total('confirm') };
    console.log(`Relay (${backend}): ${missed.toLocaleString('en')} events missed while disconnected (posted to the relay in ${ms(postMs)}), from the reconnect:`);
    console.log(`  all in main's pager ${ms(inMain)}   all stored in Dexie (Chromium, IndexedDB; counted in the page every 100 ms) ${ms(inDexie)}   (goal ≤ 2 s)`);
    const firstPull = steps('pull')[0]?.[2] ?? NaN;
    const firstStore = steps('store')[0]?.[2] ?? NaN;
    console.log(`    the window from the reconnect: ${split.batches} batches, pulling ${split.pulling} ms, storing ${split.storing} ms, confirming ${split.confirming} ms (performance.measure in delivery-sync); first pull ${firstPull.toFixed(0)} ms, first store ${firstStore.toFixed(0)} ms after the reconnect`);
    console.log(`    CPU over the replay: ${replayCpu}`);
    const sizes = steps('store').map(([name]) => Number(name.split('/')[1])).sort((a, b) => a - b);
    const timeline = steps('store').slice(-12).map(([name, d]) => `${name.split(' ')[1]}:${Math.round(d)}ms`).join(' ');
    if (sizes.length > 0) console.log(`    replay batches: ${sizes.length}, signals each min ${sizes[0]} median ${sizes[sizes.length >> 1]} max ${sizes.at(-1)}; the last stores (deliveries/signals:ms): ${timeline}`);

    // 3. the same gap with a mix of repeats: what 10,000 missed events more often are
    await mixReplay(relay.base, proxy, services, page, before + missed);
  } finally {
    await ui?.stop().catch(() => undefined);
    await services.stop();
    await proxy.close();
    await relay.kill();
    await redis?.stop();
    tmp.remove();
  }
}

/** Groups, alerts per group and rounds of the mixed replay: 200 groups of 1–10 alerts (1,100 in all), each group sent 50 times. */
const MIX = { groups: 200, rounds: 50 } as const;

/** Rounds in which alert `k` of group `g` is resolved: about 2 of the 50. */
const resolvedIn = (g: number, k: number, r: number) => r > 0 && (r + 3 * k + g) % 25 === 0;

/**
 * Alertmanager's webhook for group `g` in round `r`: all of its alerts. Each is resolved in about 2 of
 * the 50 rounds and fires again in the next, as a new instance (a later startsAt), so it rings again.
 */
function mixWebhook(g: number, r: number): string {
  const name = `Mix${g}`;
  const alerts = Array.from({ length: 1 + (g % 10) }, (_, k) => {
    const resolved = resolvedIn(g, k, r);
    let instance = 0;
    for (let i = 1; i < r; i++) if (resolvedIn(g, k, i)) instance++;
    const startsAt = Date.UTC(2026, 10, 21, 10, instance);
    return {
      status: resolved ? 'resolved' : 'firing',
      labels: { alertname: name, severity: 'warning', instance: `web-${k}:9100` },
      annotations: { summary: `${name} on web-${k}` },
      startsAt: new Date(startsAt).toISOString(),
      endsAt: resolved ? new Date(startsAt + 30_000).toISOString() : '0001-01-01T00:00:00Z',
      fingerprint: `fp-${name}-${k}`,
    };
  });
  return JSON.stringify({
    version: '4',
    groupKey: `{}:{alertname="${name}"}`,
    truncatedAlerts: 0,
    status: alerts.some((a) => a.status === 'firing') ? 'firing' : 'resolved',
    receiver: 'relay',
    groupLabels: { alertname: name },
    commonLabels: { alertname: name },
    commonAnnotations: {},
    externalURL: '',
    alerts,
  });
}

/**
 * The replay figure for a mixed gap: 10,000 events from 200 groups that Alertmanager re-sent while the
 * app was away, so 1,100 pages, each resolved about twice and firing again after (about 5,000 changes
 * to store), the rest repeats. Done when main has the last event and its outbox is empty: every change confirmed
 * by the window, which confirms only what it has stored.
 */
async function mixReplay(
  base: string,
  proxy: { cut(): void; restore(): void },
  services: Awaited<ReturnType<typeof startMainServices>>,
  page: Awaited<ReturnType<typeof startRenderer>>['page'],
  before: number,
): Promise<void> {
  proxy.cut();
  await waitFor(() => services.sources.view().relays[0]?.state !== 'connected', 10_000, 'the client to notice');
  const events = MIX.groups * MIX.rounds;
  for (let i = 0; i < events; i += 50) {
    const ids = await Promise.all(Array.from({ length: 50 }, (_, j) => postHook(base, mixWebhook((i + j) % MIX.groups, Math.floor((i + j) / MIX.groups)))));
    if (ids.some((id) => id === null)) throw new Error('the relay refused a POST');
  }
  // the last event, on its own: once main has its page, main has read everything before it
  if ((await postHook(base, amBody('MixEnd'))) === null) throw new Error('the relay refused a POST');
  const last = 'alertmanager:fp-MixEnd';
  proxy.restore();
  const t0 = performance.now();
  services.resume();
  await waitFor(() => services.pages.state().pages.has(last), 120_000, 'the mixed replay in main');
  const inMain = performance.now() - t0;
  await waitFor(() => services.outbox.size() === 0, 120_000, 'the mixed replay confirmed by the window');
  const inDexie = performance.now() - t0;
  const pages = await storedCount(page);
  const expected = before + 1_100 + 1;
  if (pages !== expected) throw new Error(`the mixed replay left ${pages} pages in Dexie, not ${expected}`);
  console.log(`  the same gap as 10,000 events from ${MIX.groups} groups re-sent ${MIX.rounds} times (1,100 pages, each resolved about twice and firing again): all in main's pager ${ms(inMain)}   all stored in Dexie and confirmed ${ms(inDexie)}   (goal ≤ 2 s)`);
}

/** Prints the relay's figures for both backends. */
export async function benchRelay(): Promise<void> {
  for (const backend of (process.env.BENCH_BACKENDS?.split(',') ?? ['embedded', 'redis']) as Array<'embedded' | 'redis'>) {
    if (!process.env.BENCH_ONLY_THREADED) await benchBackend(backend);
    await benchThreaded(backend);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) void benchRelay();
