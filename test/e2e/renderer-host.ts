import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import * as path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { RendererEvents } from '../../src/main/adapters';
import type { IpcRouter } from '../../src/main/ipc-router';
import { CONTENT_SECURITY_POLICY } from '../../src/main/security';

const DIST = path.resolve(process.cwd(), 'dist');
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.png': 'image/png', '.map': 'application/json' };

/** Chromium flags for root on a machine without a network (see shared/guides). */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--test-type'];

/** Serves the built renderer from dist/renderer on loopback, with the app's CSP as a header too. */
function serveRenderer(port = 0): Promise<{ server: Server; url: string }> {
  const root = path.join(DIST, 'renderer');
  const server = createServer((req, res) => {
    const rel = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname).replace(/^\/+/, '') || 'index.html';
    const file = path.resolve(root, rel);
    if (!file.startsWith(root)) return void res.writeHead(403).end();
    try {
      const body = readFileSync(file);
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'content-security-policy': CONTENT_SECURITY_POLICY });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}/index.html` })));
}

/**
 * Runs the real preload bundle (dist/preload/preload.cjs) in the page with Electron's IPC
 * replaced by Playwright bindings: the only substitution the e2e makes.
 */
function preloadInitScript(): string {
  const preload = readFileSync(path.join(DIST, 'preload', 'preload.cjs'), 'utf8');
  return `(() => {
  const listeners = new Map();
  const fakeElectron = {
    contextBridge: { exposeInMainWorld(name, api) { Object.defineProperty(window, name, { value: Object.freeze(api) }); } },
    ipcRenderer: {
      invoke(channel, payload) { return window.__oncallInvoke(channel, payload === undefined ? null : JSON.stringify(payload)).then((r) => r === null ? undefined : JSON.parse(r)); },
      on(channel, l) { if (!listeners.has(channel)) listeners.set(channel, new Set()); listeners.get(channel).add(l); },
      removeListener(channel, l) { listeners.get(channel)?.delete(l); },
    },
  };
  Object.defineProperty(window, '__oncallEmit', { value(channel, payload) { listeners.get(channel)?.forEach((l) => l({}, payload)); } });
  const module = { exports: {} };
  const exports = module.exports;
  const require = (name) => { if (name === 'electron') return fakeElectron; throw new Error('a sandboxed preload cannot require ' + name); };
  ${preload}
})();`;
}

/** Chromium with the app loaded, wired to the real main-process router. */
export async function startRenderer(opts: {
  router: () => IpcRouter;
  onAppUrl: (url: string) => void;
  userDataDir?: string;
  port?: number;
  timezoneId?: string;
  fixedTime?: number;
  /** Extra Chromium flags, environment and Playwright defaults to drop (the audible alarm test: PulseAudio, autoplay, unmuted). */
  launch?: { args?: string[]; env?: Record<string, string>; ignoreDefaultArgs?: string[] };
}) {
  const { server, url } = await serveRenderer(opts.port);
  // the trusted-sender check must know the app's URL before the first IPC call
  opts.onAppUrl(url);
  let browser: Browser | null = null;
  let context: BrowserContext;
  if (opts.userDataDir) {
    context = await chromium.launchPersistentContext(opts.userDataDir, { executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS, viewport: { width: 1280, height: 760 }, timezoneId: opts.timezoneId });
  } else {
    const launch = opts.launch;
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: [...CHROMIUM_ARGS, ...(launch?.args ?? [])],
      ...(launch?.ignoreDefaultArgs ? { ignoreDefaultArgs: launch.ignoreDefaultArgs } : {}),
      ...(launch?.env ? { env: { ...process.env, ...launch.env } as Record<string, string> } : {}),
    });
    context = await browser.newContext({ viewport: { width: 1280, height: 760 }, timezoneId: opts.timezoneId });
  }
  // the page's clock is the test's: Date.now() is fixed, timers still run
  if (opts.fixedTime !== undefined) await context.clock.setFixedTime(opts.fixedTime);
  const consoleErrors: string[] = [];
  // Requests and replies cross as JSON text, serialized once like Electron's structured clone does;
  // Playwright's own argument serializer walks big objects slowly (a 5,000-signal reply took about
  // a second), which measured the test transport rather than the app.
  await context.exposeBinding('__oncallInvoke', (source, channel: string, payload: string | null) =>
    opts.router().handle(channel, payload === null ? undefined : (JSON.parse(payload) as unknown), source.frame.url()).then((r) => (r === undefined ? null : JSON.stringify(r))),
  );
  await context.addInitScript({ content: preloadInitScript() });
  const page: Page = context.pages()[0] ?? (await context.newPage());
  page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
  page.on('pageerror', (e) => consoleErrors.push(e.message));
  await page.goto(url);

  const events: RendererEvents = {
    emit(channel, payload) {
      // like webContents.send: a message to a page that is reloading is simply not received
      page.evaluate(([c, p]) => (window as unknown as { __oncallEmit?: (c: string, p: unknown) => void }).__oncallEmit?.(c, p), [channel, payload] as const).catch(() => undefined);
    },
  };
  return {
    page,
    url,
    events,
    consoleErrors,
    async stop() {
      await context.close();
      await browser?.close();
      await new Promise((r) => server.close(r));
    },
  };
}
