import { app, dialog, powerMonitor, shell, type BrowserWindow } from 'electron';
import nodeNotifier from 'node-notifier';
import * as path from 'node:path';
import { createI18n } from '../../core/i18n';
import { systemClock } from '../adapters';
import { APP_INDEX_URL, isAppUrl, safeExternalUrl } from '../security';
import { handleAppProtocol, registerAppScheme } from './app-protocol';
import { createNodeNotifier } from '../services/notifier';
import { startMainServices } from '../services';
import { registerIpc, webContentsEvents } from './ipc';
import { createTray } from './tray';
import { createMainWindow, hardenContents } from './window';

/** Composition root: wires the plain-Node services to Electron's window, tray and IPC. */
export async function main(): Promise<void> {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  let win: BrowserWindow | null = null;
  let quitting = false;
  const show = () => {
    win?.show();
    win?.focus();
  };
  // before ready, or Electron refuses: app:// must be privileged from the first page on
  registerAppScheme();
  app.on('second-instance', show);
  app.on('before-quit', () => (quitting = true));
  app.on('web-contents-created', (_event, contents) => hardenContents(contents));
  // Living in the tray is the point: closing the last window must not stop the pager.
  app.on('window-all-closed', () => undefined);
  await app.whenReady();

  const root = path.join(__dirname, '..');
  const asset = (name: string) => path.join(root, 'assets', name);
  handleAppProtocol(path.join(root, 'renderer'));
  const { t } = createI18n(app.getLocale());

  let services: Awaited<ReturnType<typeof startMainServices>> | null = null;
  const tray = createTray({
    icons: { normal: asset('tray-normal-32.png'), alert: asset('tray-alert-32.png') },
    t,
    onOpen: show,
    onAcknowledgeAll: () => services?.pages.acknowledgeAll(),
    onQuit: () => app.quit(),
  });
  services = await startMainServices({
    dataDir: app.getPath('userData'),
    notifier: createNodeNotifier({ backend: nodeNotifier, appName: t('app.name'), icon: asset('icon-alert-48.png'), onError: (e) => console.error(e) }),
    // the window icon (task bar, alt-tab) follows the tray, so a hidden page is visible there too
    tray: {
      setAttention(state) {
        tray.setAttention(state);
        win?.setIcon(asset(state.unacknowledged > 0 ? 'icon-alert-48.png' : 'icon-48.png'));
      },
      setRotaLine: (line) => tray.setRotaLine(line),
      setOpenGroups: (groups) => tray.setOpenGroups(groups),
      setWarnings: (lines) => tray.setWarnings(lines),
    },
    events: webContentsEvents(() => win?.webContents ?? null),
    clock: systemClock,
    logger: console,
    isTrustedSender: (url) => isAppUrl(url, APP_INDEX_URL),
    openExternal: (url) => {
      const safe = safeExternalUrl(url);
      if (!safe) throw new Error(`refusing to open ${url}: only http(s) links open outside the app`);
      return shell.openExternal(safe);
    },
    pickFolder: async () => {
      const options = { properties: ['openDirectory' as const] };
      const r = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
      return r.canceled ? null : (r.filePaths[0] ?? null);
    },
  });
  registerIpc(services.router);
  // timers do not run while the laptop sleeps: re-plan reminders and re-poll feeds on wake-up
  powerMonitor.on('resume', () => services?.rota.resume());
  win = createMainWindow({
    preload: path.join(root, 'preload', 'preload.cjs'),
    url: APP_INDEX_URL,
    icon: asset('icon-48.png'),
    isQuitting: () => quitting,
    onRendererGone: (d) => console.error(`renderer gone (${d.reason}, exit code ${d.exitCode}); loading it again`),
  });
  app.on('will-quit', () => void services?.stop());
}
