import { BrowserWindow, shell, type RenderProcessGoneDetails, type WebContents } from 'electron';
import { safeExternalUrl } from '../security';

/** Locks down any web contents: no new windows, no navigation away, no webviews, no permissions. */
export function hardenContents(contents: WebContents): void {
  contents.setWindowOpenHandler(({ url }) => {
    const safe = safeExternalUrl(url);
    if (safe) void shell.openExternal(safe);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  // checks too (navigator.permissions.query and friends), not only prompts
  contents.session.setPermissionCheckHandler(() => false);
}

/** More crashes than this within a minute and the reload waits, so a crash loop cannot spin a core. */
const MAX_QUICK_RELOADS = 3;
const CRASH_WINDOW_MS = 60_000;

/** What the main window loads and how it behaves on close and on a renderer crash. */
export interface MainWindowOptions {
  preload: string;
  /** The app:// URL of the renderer's page. */
  url: string;
  icon: string;
  isQuitting: () => boolean;
  /** Started at login: stay in the tray until the user opens the window. */
  hidden?: boolean;
  /** Told about every renderer crash (for the log). */
  onRendererGone?: (details: RenderProcessGoneDetails) => void;
  /** Clock and timer, injectable for tests. */
  now?: () => number;
  setTimer?: (fn: () => void, ms: number) => void;
}

/**
 * The one set of web preferences every app window gets: isolated, sandboxed, no Node, and never
 * throttled in the background (the main window plays the alarm, the alert window must paint at
 * once after hours hidden).
 */
export function secureWebPreferences(preload: string) {
  return { preload, contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, spellcheck: false, backgroundThrottling: false } as const;
}

/**
 * Creates the main window; closing it hides to the tray unless the app is quitting. A crashed
 * renderer is loaded again, because the renderer drains the outbox into the page history: while it
 * is gone the backlog only grows.
 */
export function createMainWindow(opts: MainWindowOptions): BrowserWindow {
  const win = new BrowserWindow({
    width: 1180,
    height: 760,
    minWidth: 720,
    minHeight: 480,
    show: false,
    icon: opts.icon,
    // the alarm plays here: a hidden or minimised window must not be throttled into silence
    webPreferences: secureWebPreferences(opts.preload),
  });
  hardenContents(win.webContents);
  win.on('close', (event) => {
    if (opts.isQuitting()) return;
    event.preventDefault();
    win.hide();
  });
  win.once('ready-to-show', () => {
    if (!opts.hidden) win.show();
  });

  const now = opts.now ?? Date.now;
  const setTimer = opts.setTimer ?? ((fn, ms) => void setTimeout(fn, ms));
  let crashes: number[] = [];
  win.webContents.on('render-process-gone', (_event, details) => {
    opts.onRendererGone?.(details);
    if (details.reason === 'clean-exit' || opts.isQuitting()) return;
    const at = now();
    crashes = [...crashes.filter((t) => at - t < CRASH_WINDOW_MS), at];
    const reload = () => {
      if (!win.isDestroyed() && !opts.isQuitting()) void win.loadURL(opts.url);
    };
    if (crashes.length <= MAX_QUICK_RELOADS) reload();
    else setTimer(reload, CRASH_WINDOW_MS);
  });
  void win.loadURL(opts.url);
  return win;
}
