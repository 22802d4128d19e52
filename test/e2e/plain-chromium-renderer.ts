// The real renderer and preload in a plain headless Chromium that nothing drives: no DevTools
// protocol, no Playwright. Electron's IPC is carried over loopback HTTP from the page's own origin
// (the CSP's connect-src 'self' allows it): ipcRenderer.invoke is a fetch, and webContents.send an
// event on one Server-Sent Events stream. The preload runs as the page's first script, with
// `electron` replaced by that transport. Used by renderer-thread-worker.ts for latency figures, where
// a driver decoding CDP traffic for every message would cost the two cores more than the app does;
// renderer-host.ts (Playwright bindings) stays what the tests use.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import type { RendererEvents } from '../../src/main/adapters';
import { CONTENT_SECURITY_POLICY } from '../../src/main/security';
import { CHROMIUM_ARGS } from './renderer-host';

const DIST = path.resolve(process.cwd(), 'dist');
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.png': 'image/png', '.map': 'application/json' };
const INVOKE = '/__ipc/invoke/';
const EVENTS = '/__ipc/events';
const PRELOAD = '/__ipc/preload.js';
const COUNT = '/__ipc/count/';
/** The harness's own question on the event stream: how many pages are in IndexedDB? */
const COUNT_EVENT = '__harness:count';

/** The preload bundle with `electron` replaced by fetch (invoke) and an EventSource (events). */
function preloadOverHttp(): string {
  const preload = readFileSync(path.join(DIST, 'preload', 'preload.cjs'), 'utf8');
  return `(() => {
  const listeners = new Map();
  const countPages = (id) => {
    const answer = (n) => fetch(${JSON.stringify(COUNT)} + id, { method: 'POST', body: String(n) });
    const open = indexedDB.open('on-call-companion');
    open.onerror = () => answer(-1);
    open.onsuccess = () => {
      try {
        const req = open.result.transaction('pages').objectStore('pages').count();
        req.onsuccess = () => { open.result.close(); answer(req.result); };
        req.onerror = () => { open.result.close(); answer(-1); };
      } catch { open.result.close(); answer(-1); }
    };
  };
  const source = new EventSource(${JSON.stringify(EVENTS)});
  source.onmessage = (m) => {
    const [channel, payload] = JSON.parse(m.data);
    if (channel === ${JSON.stringify(COUNT_EVENT)}) return countPages(payload);
    listeners.get(channel)?.forEach((l) => l({}, payload));
  };
  const fakeElectron = {
    contextBridge: { exposeInMainWorld(name, api) { Object.defineProperty(window, name, { value: Object.freeze(api) }); } },
    ipcRenderer: {
      invoke(channel, payload) {
        return fetch(${JSON.stringify(INVOKE)} + encodeURIComponent(channel), { method: 'POST', body: payload === undefined ? '' : JSON.stringify(payload) })
          .then((r) => r.text()).then((t) => (t === '' ? undefined : JSON.parse(t)));
      },
      on(channel, l) { if (!listeners.has(channel)) listeners.set(channel, new Set()); listeners.get(channel).add(l); },
      removeListener(channel, l) { listeners.get(channel)?.delete(l); },
    },
  };
  const module = { exports: {} };
  const exports = module.exports;
  const require = (name) => { if (name === 'electron') return fakeElectron; throw new Error('a sandboxed preload cannot require ' + name); };
  ${preload}
})();`;
}

/** The window in a plain Chromium; `invoke` is main's router, reached however the caller likes. */
export async function startPlainChromiumRenderer(opts: {
  invoke: (channel: string, payload: unknown, senderUrl: string) => Promise<unknown>;
  onAppUrl: (url: string) => void;
}): Promise<{ events: RendererEvents; storedCount(): Promise<number>; stop(): Promise<void> }> {
  const root = path.join(DIST, 'renderer');
  const preload = preloadOverHttp();
  const streams = new Set<ServerResponse>();
  const counts = new Map<string, (n: number) => void>();
  let nextCount = 1;
  const emit = (channel: string, payload: unknown) => {
    const line = `data: ${JSON.stringify([channel, payload])}\n\n`;
    for (const s of streams) s.write(line);
  };
  const body = (req: import('node:http').IncomingMessage) =>
    new Promise<string>((resolve) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    });
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === EVENTS) {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
      res.write(': open\n\n');
      streams.add(res);
      req.on('close', () => streams.delete(res));
      return;
    }
    if (req.method === 'POST' && url.pathname.startsWith(INVOKE)) {
      void body(req).then((text) =>
        opts
          // the page's own URL, as Electron's event.senderFrame.url: the router's trusted-sender check
          .invoke(decodeURIComponent(url.pathname.slice(INVOKE.length)), text === '' ? undefined : (JSON.parse(text) as unknown), req.headers.referer ?? '')
          .then(
            (r) => res.writeHead(200, { 'content-type': 'application/json' }).end(r === undefined ? '' : JSON.stringify(r)),
            (err: unknown) => res.writeHead(500).end(String(err)),
          ),
      );
      return;
    }
    if (req.method === 'POST' && url.pathname.startsWith(COUNT)) {
      void body(req).then((text) => {
        counts.get(url.pathname.slice(COUNT.length))?.(Number(text));
        res.writeHead(204).end();
      });
      return;
    }
    const headers = (file: string) => ({ 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'content-security-policy': CONTENT_SECURITY_POLICY });
    if (url.pathname === PRELOAD) return void res.writeHead(200, headers('x.js')).end(preload);
    const rel = decodeURIComponent(url.pathname).replace(/^\/+/, '') || 'index.html';
    const file = path.resolve(root, rel);
    if (!file.startsWith(root)) return void res.writeHead(403).end();
    try {
      let content: string | Buffer = readFileSync(file);
      // the preload runs before the page's own scripts, as Electron runs it
      if (rel === 'index.html') content = content.toString('utf8').replace('<head>', `<head><script src="${PRELOAD}"></script>`);
      res.writeHead(200, headers(file)).end(content);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const appUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}/index.html`;
  opts.onAppUrl(appUrl);
  const profile = mkdtempSync(path.join(os.tmpdir(), 'occ-plain-chromium-'));
  // what Playwright passes too, so timers and rendering run as in a visible window
  const visible = ['--disable-background-timer-throttling', '--disable-renderer-backgrounding', '--disable-backgrounding-occluded-windows'];
  const chromium = spawn('/usr/bin/chromium', [...CHROMIUM_ARGS, ...visible, '--headless', '--window-size=1280,760', `--user-data-dir=${profile}`, appUrl], { stdio: 'ignore', detached: true });
  const exited = new Promise<void>((resolve) => chromium.once('exit', () => resolve()));
  return {
    events: { emit },
    /** Pages in the window's IndexedDB, or -1 while the page cannot answer. */
    storedCount() {
      if (streams.size === 0) return Promise.resolve(-1);
      const id = String(nextCount++);
      return new Promise<number>((resolve) => {
        const timer = setTimeout(() => {
          counts.delete(id);
          resolve(-1);
        }, 5_000);
        counts.set(id, (n) => {
          clearTimeout(timer);
          counts.delete(id);
          resolve(n);
        });
        emit(COUNT_EVENT, id);
      });
    },
    async stop() {
      for (const s of streams) s.end();
      // the browser and every process it started: they share its process group
      if (chromium.exitCode === null && chromium.signalCode === null) process.kill(-chromium.pid!, 'SIGTERM');
      await exited;
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
