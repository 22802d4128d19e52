// The renderer thread of main-thread-host.ts: the real renderer and preload in Chromium (renderer-host.ts),
// with the Playwright driver on this thread and every IPC call forwarded to the main-services thread.
import { parentPort, workerData } from 'node:worker_threads';
import type { RendererEvents } from '../../src/main/adapters';
import type { IpcRouter } from '../../src/main/ipc-router';
import type { IpcResult } from '../../src/core/errors';
import { connect, type Handlers, type RendererThreadData, type RendererThreadHandlers } from './main-thread-host';
import type { MainIpcHandlers } from './main-thread-worker';
import { startRenderer } from './renderer-host';

async function run(): Promise<void> {
  const { mainPort } = workerData as RendererThreadData;
  let ui: Awaited<ReturnType<typeof startRenderer>> | null = null;
  const main = connect<MainIpcHandlers>(mainPort, {}, (name, value) => {
    if (name !== 'event') return;
    const { channel, payload } = value as { channel: Parameters<RendererEvents['emit']>[0]; payload: never };
    // before the window exists an event has no one to reach, as with a window not yet open
    ui?.events.emit(channel, payload);
  });
  const router: IpcRouter = {
    channels: [],
    handle: (channel, payload, senderUrl) => main.call('invoke', channel, payload, senderUrl) as Promise<IpcResult<unknown>>,
  };
  ui = await startRenderer({ router: () => router, onAppUrl: (url) => main.note('appUrl', url) });
  const handlers: RendererThreadHandlers = {
    ready: () => true,
    storedCount: () => storedCount(ui!),
    stop: async () => ui?.stop(),
  };
  connect(parentPort!, handlers as unknown as Handlers);
}

/** Pages in the window's IndexedDB, or -1 while the page cannot answer (no database or store yet). */
function storedCount(ui: Awaited<ReturnType<typeof startRenderer>>): Promise<number> {
  return ui.page
    .evaluate(
      () =>
        new Promise<number>((resolve, reject) => {
          const open = indexedDB.open('on-call-companion');
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            try {
              const req = open.result.transaction('pages').objectStore('pages').count();
              req.onsuccess = () => {
                open.result.close();
                resolve(req.result);
              };
              req.onerror = () => reject(req.error);
            } catch (err) {
              open.result.close();
              reject(err);
            }
          };
        }),
    )
    .catch(() => -1);
}

void run().catch((err: unknown) => {
  setImmediate(() => {
    throw err;
  });
});
