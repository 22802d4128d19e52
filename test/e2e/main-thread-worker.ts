// The main-services thread of main-thread-host.ts: the real startMainServices, as app-host.ts starts
// them, with the renderer reached over a MessagePort instead of Playwright on this thread.
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { monitorEventLoopDelay, performance, type IntervalHistogram } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { isAppUrl } from '../../src/main/security';
import { startMainServices } from '../../src/main/services';
import { threadCpu, threadId } from './cpu-accounting';
import { connect, type Handlers, type MainThreadData, type MainThreadHandlers } from './main-thread-host';

/** The renderer thread's side of the IPC port: Electron's ipcMain.handle, by message. */
export type MainIpcHandlers = {
  invoke(channel: string, payload: unknown, senderUrl: string): Promise<unknown>;
};

/**
 * Times every synchronous file call on this thread, by the file it touches (temporary names folded
 * into their target): how long main's loop was blocked on the disk, which a CPU profile shows only
 * as wall time. Behaviour is unchanged; only a clock is read around each call.
 */
function timeSyncFileCalls(): () => Record<string, { calls: number; ms: number }> {
  const byFile = new Map<string, { calls: number; ms: number }>();
  const fdFile = new Map<number, string>();
  const name = (p: unknown) => path.basename(String(p)).replace(/\.\d+(\.\d+)?\.tmp$/, '');
  // the module object itself: an `import * as fs` namespace is a copy whose properties cannot be set
  const mutable = createRequire(path.join(process.cwd(), 'noop.js'))('node:fs') as Record<string, (...args: unknown[]) => unknown>;
  const wrap = (fn: string, fileOf: (args: unknown[], result: unknown) => string) => {
    const original = mutable[fn]!;
    mutable[fn] = (...args: unknown[]) => {
      const t = performance.now();
      const result = original(...args);
      const f = fileOf(args, result);
      // the harness's own reads of /proc (CPU accounting) are not main's work
      if (String(args[0]).startsWith('/proc/')) return result;
      const e = byFile.get(f) ?? { calls: 0, ms: 0 };
      e.calls++;
      e.ms += performance.now() - t;
      byFile.set(f, e);
      return result;
    };
  };
  wrap('openSync', (args, fd) => {
    fdFile.set(fd as number, name(args[0]));
    return name(args[0]);
  });
  for (const fn of ['writeSync', 'fsyncSync', 'readSync']) wrap(fn, (args) => fdFile.get(args[0] as number) ?? '(fd)');
  wrap('closeSync', (args) => {
    const f = fdFile.get(args[0] as number) ?? '(fd)';
    fdFile.delete(args[0] as number);
    return f;
  });
  for (const fn of ['renameSync', 'mkdirSync', 'readFileSync', 'writeFileSync', 'existsSync', 'statSync']) wrap(fn, (args) => name(args[0]));
  return () => {
    const out = Object.fromEntries(byFile);
    byFile.clear();
    return out;
  };
}

async function run(): Promise<void> {
  const fileCalls = timeSyncFileCalls();
  const { dataDir, rendererPort } = workerData as MainThreadData;
  let appUrl = '';
  const notifiedAt = new Map<string, number>();
  let loop: IntervalHistogram | null = null;
  let used = performance.eventLoopUtilization();
  let cpuAtStart = threadCpu();
  let started: (router: { handle(channel: string, payload: unknown, senderUrl: string): Promise<unknown> }) => void = () => undefined;
  const router = new Promise<Parameters<typeof started>[0]>((resolve) => (started = resolve));
  // connected before the services start: they may emit while starting
  const ipc = connect(
    rendererPort,
    { invoke: async (channel: string, payload: unknown, senderUrl: string) => (await router).handle(channel, payload, senderUrl) } satisfies MainIpcHandlers,
    (name, value) => {
      if (name === 'appUrl') appUrl = value as string;
    },
  );
  const services = await startMainServices({
    dataDir,
    // the clock every thread shares: comparable with the sender's timestamps on another thread
    notifier: { notify: (n) => void notifiedAt.set(n.pageId, performance.timeOrigin + performance.now()) },
    tray: { setAttention: () => undefined },
    // like webContents.send: one message, structured-cloned on this thread
    events: { emit: (channel, payload) => ipc.note('event', { channel, payload }) },
    clock: { now: () => Date.now() },
    logger: { info: () => undefined, error: (m) => console.error(m) },
    isTrustedSender: (url) => isAppUrl(url, appUrl),
    openExternal: () => undefined,
  });
  started(services.router);
  const handlers: MainThreadHandlers = {
    ready: () => true,
    tid: threadId,
    relayState: () => services.sources.view().relays[0]?.state ?? null,
    catchingUp: () => services.sources.catchingUp(),
    resume: () => services.resume(),
    livePageCount: () => services.pages.state().pages.size,
    notifiedAt: (ids) => ids.map((id) => notifiedAt.get(id) ?? null),
    syncFileCalls: () => fileCalls(),
    loopDelayStart: () => {
      loop = monitorEventLoopDelay({ resolution: 5 });
      loop.enable();
      used = performance.eventLoopUtilization();
      cpuAtStart = threadCpu();
    },
    loopDelayStop: () => {
      loop?.disable();
      const cpu = threadCpu();
      const figures = {
        p99: (loop?.percentile(99) ?? 0) / 1e6,
        max: (loop?.max ?? 0) / 1e6,
        busy: performance.eventLoopUtilization(used).utilization,
        cpu: cpu && cpuAtStart ? { onCpu: cpu.onCpu - cpuAtStart.onCpu, waiting: cpu.waiting - cpuAtStart.waiting } : null,
      };
      loop = null;
      return figures;
    },
    stop: () => services.stop(),
  };
  connect(parentPort!, handlers as unknown as Handlers);
}

void run().catch((err: unknown) => {
  // the host's first call waits on the worker's 'error' event
  setImmediate(() => {
    throw err;
  });
});
