// The app laid out the way Electron lays it out, for latency figures (bench/relay.ts): the real main
// services on a thread of their own, the real renderer in Chromium driven by Playwright from another
// thread, and the caller's thread left free to send load. Main and the renderer talk by message
// passing (a MessageChannel between the two threads), as ipcMain and ipcRenderer do; only that
// transport differs from the shipped app. app-host.ts keeps everything on one thread, which is
// simpler for tests but makes main's event loop also decode Playwright's CDP traffic.
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { MessageChannel, Worker, type MessagePort, type Transferable } from 'node:worker_threads';

/** Something messages can be posted to and received from: a worker, or one end of a MessageChannel. */
interface Endpoint {
  postMessage(value: unknown, transferList?: readonly Transferable[]): void;
  on(event: 'message', listener: (value: unknown) => void): unknown;
}

type CallMessage = { t: 'call'; id: number; name: string; args: unknown[] };
type ReplyMessage = { t: 'reply'; id: number; ok: true; value: unknown } | { t: 'reply'; id: number; ok: false; error: string };
type NoteMessage = { t: 'note'; name: string; value: unknown };

/** Functions one thread offers another; arguments and results cross by structured clone. */
export type Handlers = Record<string, (...args: never[]) => unknown>;

/** Calls another thread's handlers by name; a thrown error comes back as a rejection with its message. */
export type Caller<H extends Handlers> = <K extends keyof H & string>(name: K, ...args: Parameters<H[K]>) => Promise<Awaited<ReturnType<H[K]>>>;

/**
 * Answers calls and hands one-way notes arriving on `port` to `onNote`; returns the caller for the
 * other side's handlers. Both sides of a port call this once, each with its own handlers.
 */
export function connect<Theirs extends Handlers>(port: Endpoint, handlers: Handlers, onNote: (name: string, value: unknown) => void = () => undefined): { call: Caller<Theirs>; note(name: string, value: unknown): void } {
  let nextId = 1;
  const waiting = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  port.on('message', (raw) => {
    const m = raw as CallMessage | ReplyMessage | NoteMessage;
    if (m.t === 'note') return onNote(m.name, m.value);
    if (m.t === 'reply') {
      const w = waiting.get(m.id);
      waiting.delete(m.id);
      if (m.ok) w?.resolve(m.value);
      else w?.reject(new Error(m.error));
      return;
    }
    const handler = handlers[m.name] as ((...a: unknown[]) => unknown) | undefined;
    // a handler's own promise: a sync throw and a rejection answer alike
    Promise.resolve()
      .then(() => {
        if (!handler) throw new Error(`no handler ${m.name}`);
        return handler(...m.args);
      })
      .then(
        (value) => port.postMessage({ t: 'reply', id: m.id, ok: true, value } satisfies ReplyMessage),
        (err: unknown) => port.postMessage({ t: 'reply', id: m.id, ok: false, error: err instanceof Error ? err.message : String(err) } satisfies ReplyMessage),
      );
  });
  const call = ((name: string, ...args: unknown[]) =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      waiting.set(id, { resolve, reject });
      port.postMessage({ t: 'call', id, name, args } satisfies CallMessage);
    })) as Caller<Theirs>;
  return { call, note: (name, value) => port.postMessage({ t: 'note', name, value } satisfies NoteMessage) };
}

/** Starts a TypeScript worker from source, compiled by tsx's require hook (as the import service does). */
function spawnTsWorker(file: string, workerData: unknown, transferList: Transferable[]): Worker {
  const tsx = createRequire(file).resolve('tsx/cjs/api');
  const code = `require(${JSON.stringify(tsx)}).register(); require(${JSON.stringify(file)});`;
  return new Worker(code, { eval: true, workerData, transferList });
}

/** Main's event loop over a run: delay p99 and max (ms), busy share, and its thread's CPU time and CPU wait (ms). */
export interface LoopFigures {
  p99: number;
  max: number;
  busy: number;
  cpu: { onCpu: number; waiting: number } | null;
}

/** What the main-services thread answers (test/e2e/main-thread-worker.ts). */
export type MainThreadHandlers = {
  /** Resolves once the services have started. */
  ready(): boolean;
  /** This thread's Linux thread id (CPU accounting), or null. */
  tid(): number | null;
  /** The first relay's connection state, or null without one. */
  relayState(): string | null;
  /** True while the start-up (or resume) catch-up holds single notifications for its digest. */
  catchingUp(): boolean;
  /** What a resume from sleep or a network change does. */
  resume(): void;
  livePageCount(): number;
  /** When the notifier was called for each page (performance.timeOrigin + performance.now(), ms), null if not yet. */
  notifiedAt(pageIds: string[]): Array<number | null>;
  /** Time main's loop spent in synchronous file calls since the last ask, by file (ms and calls). */
  syncFileCalls(): Record<string, { calls: number; ms: number }>;
  /** Starts measuring main's event-loop delay and utilization on its own thread. */
  loopDelayStart(): void;
  /** Stops measuring: delay p99 and max in ms, the share of the time the loop was busy, and main's thread CPU over the run. */
  loopDelayStop(): LoopFigures;
  stop(): Promise<void>;
};

/** What the renderer thread answers (test/e2e/renderer-thread-worker.ts). */
export type RendererThreadHandlers = {
  /** Resolves once the app is loaded in Chromium. */
  ready(): boolean;
  /** This thread's Linux thread id (CPU accounting), or null. */
  tid(): number | null;
  /** Pages in the window's IndexedDB, or -1 while the page cannot answer. */
  storedCount(): Promise<number>;
  /** Events main sent to the window and calls the window made, by channel, since the last ask. */
  traffic(): Record<string, number>;
  stop(): Promise<void>;
};

/** Data the main-services worker starts with. */
export interface MainThreadData {
  dataDir: string;
  rendererPort: MessagePort;
}

/**
 * How the window runs and its IPC reaches main: Chromium driven by Playwright, IPC by bindings and
 * page.evaluate (renderer-host.ts, what the e2e tests use); or a plain Chromium nothing drives, IPC
 * over loopback HTTP from the page's origin (plain-chromium-renderer.ts).
 */
export type WindowTransport = 'playwright' | 'plain';

/** Data the renderer worker starts with. */
export interface RendererThreadData {
  mainPort: MessagePort;
  transport: WindowTransport;
}

/** The app started across threads; `call*` reach each thread's handlers. */
export interface ThreadedApp {
  callMain: Caller<MainThreadHandlers>;
  /** Opens the window: the real renderer in Chromium, driven from a thread of its own. */
  openWindow(transport?: WindowTransport): Promise<Caller<RendererThreadHandlers>>;
  stop(): Promise<void>;
}

/** Spawns a worker and calls its `ready`, failing if the worker dies first. */
async function startWorker<H extends Handlers & { ready(): boolean }>(file: string, data: unknown, transfer: Transferable[]): Promise<{ worker: Worker; call: Caller<H> }> {
  const worker = spawnTsWorker(file, data, transfer);
  const { call } = connect<H>(worker, {});
  let onError: (err: Error) => void = () => undefined;
  let onExit: (code: number) => void = () => undefined;
  try {
    await Promise.race([
      (call as unknown as Caller<{ ready(): boolean }>)('ready'),
      new Promise<never>((_, reject) => {
        onError = reject;
        onExit = (code) => reject(new Error(`${path.basename(file)} exited (${code}) before it was ready`));
        worker.once('error', onError);
        worker.once('exit', onExit);
      }),
    ]);
  } finally {
    worker.off('error', onError);
    worker.off('exit', onExit);
  }
  // later a thread that dies says so (its callers then wait in vain) instead of ending the process
  worker.on('error', (err) => console.error(`${path.basename(file)} failed:`, err));
  return { worker, call };
}

/**
 * Starts the real main services on a worker thread of their own with `dataDir`. `openWindow` then
 * starts the real renderer in Chromium from a second worker (Playwright's driver lives there), wired
 * to main by a MessageChannel. The caller's thread runs neither.
 */
export async function startThreadedApp(opts: { dataDir: string }): Promise<ThreadedApp> {
  const dir = import.meta.dirname;
  const channel = new MessageChannel();
  const main = await startWorker<MainThreadHandlers>(path.join(dir, 'main-thread-worker.ts'), { dataDir: opts.dataDir, rendererPort: channel.port1 } satisfies MainThreadData, [channel.port1]);
  const workers = [main.worker];
  let callRenderer: Caller<RendererThreadHandlers> | null = null;
  return {
    callMain: main.call,
    async openWindow(transport = 'playwright') {
      if (callRenderer) return callRenderer;
      const renderer = await startWorker<RendererThreadHandlers>(path.join(dir, 'renderer-thread-worker.ts'), { mainPort: channel.port2, transport } satisfies RendererThreadData, [channel.port2]);
      workers.push(renderer.worker);
      callRenderer = renderer.call;
      return callRenderer;
    },
    async stop() {
      await callRenderer?.('stop').catch(() => undefined);
      await main.call('stop').catch(() => undefined);
      await Promise.all(workers.map((w) => w.terminate()));
      channel.port2.close();
    },
  };
}
