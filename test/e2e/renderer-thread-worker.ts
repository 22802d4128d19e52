// The renderer thread of main-thread-host.ts: the real renderer and preload in Chromium, either driven by
// Playwright from this thread (renderer-host.ts) or in a plain Chromium over loopback HTTP
// (plain-chromium-renderer.ts); every IPC call is forwarded to the main-services thread.
import { parentPort, workerData } from 'node:worker_threads';
import type { RendererEvents } from '../../src/main/adapters';
import type { IpcRouter } from '../../src/main/ipc-router';
import type { IpcResult } from '../../src/core/errors';
import { threadId } from './cpu-accounting';
import { connect, type Handlers, type RendererThreadData, type RendererThreadHandlers } from './main-thread-host';
import type { MainIpcHandlers } from './main-thread-worker';
import { startPlainChromiumRenderer } from './plain-chromium-renderer';
import { startRenderer } from './renderer-host';
import { storedCount } from './stored-count';

async function run(): Promise<void> {
  const { mainPort, transport } = workerData as RendererThreadData;
  let ui: { events: RendererEvents; storedCount(): Promise<number>; stop(): Promise<void> } | null = null;
  let traffic = new Map<string, number>();
  const count = (key: string) => traffic.set(key, (traffic.get(key) ?? 0) + 1);
  const main = connect<MainIpcHandlers>(mainPort, {}, (name, value) => {
    if (name !== 'event') return;
    const { channel, payload } = value as { channel: Parameters<RendererEvents['emit']>[0]; payload: never };
    count(`event ${channel}`);
    // before the window exists an event has no one to reach, as with a window not yet open
    ui?.events.emit(channel, payload);
  });
  const router: IpcRouter = {
    channels: [],
    handle: (channel, payload, senderUrl) => {
      count(`invoke ${channel}`);
      return main.call('invoke', channel, payload, senderUrl) as Promise<IpcResult<unknown>>;
    },
  };
  const onAppUrl = (url: string) => main.note('appUrl', url);
  if (transport === 'plain') {
    ui = await startPlainChromiumRenderer({ invoke: router.handle, onAppUrl });
  } else {
    const driven = await startRenderer({ router: () => router, onAppUrl });
    ui = { events: driven.events, storedCount: () => storedCount(driven.page), stop: driven.stop };
  }
  const handlers: RendererThreadHandlers = {
    ready: () => true,
    tid: threadId,
    storedCount: () => ui!.storedCount(),
    traffic: () => {
      const out = Object.fromEntries(traffic);
      traffic = new Map();
      return out;
    },
    stop: async () => ui?.stop(),
  };
  connect(parentPort!, handlers as unknown as Handlers);
}

void run().catch((err: unknown) => {
  setImmediate(() => {
    throw err;
  });
});
