// The main-services thread of main-thread-host.ts: the real startMainServices, as app-host.ts starts
// them, with the renderer reached over a MessagePort instead of Playwright on this thread.
import { monitorEventLoopDelay, performance, type IntervalHistogram } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { isAppUrl } from '../../src/main/security';
import { startMainServices } from '../../src/main/services';
import { connect, threadCpu, type Handlers, type MainThreadData, type MainThreadHandlers } from './main-thread-host';

/** The renderer thread's side of the IPC port: Electron's ipcMain.handle, by message. */
export type MainIpcHandlers = {
  invoke(channel: string, payload: unknown, senderUrl: string): Promise<unknown>;
};

async function run(): Promise<void> {
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
    relayState: () => services.sources.view().relays[0]?.state ?? null,
    catchingUp: () => services.sources.catchingUp(),
    resume: () => services.resume(),
    livePageCount: () => services.pages.livePages().length,
    notifiedAt: (ids) => ids.map((id) => notifiedAt.get(id) ?? null),
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
