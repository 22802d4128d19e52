import { app, dialog, globalShortcut, net, powerMonitor, safeStorage, shell, type BrowserWindow, type WebContents } from 'electron';
import nodeNotifier from 'node-notifier';
import * as path from 'node:path';
import { createI18n } from '../../core/i18n';
import { groupRoute } from '../../core/notification';
import { systemClock, type RendererEvents } from '../adapters';
import { APP_INDEX_URL, isAppUrl, safeExternalUrl } from '../security';
import { handleAppProtocol, registerAppScheme } from './app-protocol';
import { createNodeNotifier, notificationClicksSupported } from '../services/notifier';
import { createFileSecretStore, type SecretCipher } from '../services/secret-store';
import { startMainServices, type MainServices } from '../services';
import type { DesktopIntegration } from '../features/desktop';
import { createAlarmTray } from './alarm-tray';
import { createAlertWindow } from './alert-window';
import { registerIpc } from './ipc';
import { electronPdfRenderer, electronSaveDialog, relaunchApp } from './report-export';
import { setLinuxAutostart } from './login-item';
import { createMainWindow, hardenContents } from './window';
import { watchNetwork } from '../services/network-watch';
import { systemTimers } from '../sources/http';

/** Electron's safeStorage (the OS keychain) as the secret store's cipher. */
export function safeStorageCipher(storage: Pick<typeof safeStorage, 'isEncryptionAvailable' | 'encryptString' | 'decryptString'>): SecretCipher {
  return {
    isAvailable: () => storage.isEncryptionAvailable(),
    encrypt: (plain) => storage.encryptString(plain),
    decrypt: (data) => storage.decryptString(data),
  };
}

/** Sends every event to each open window; the alert window listens only to the alarm ones. */
export function broadcastEvents(targets: () => Array<WebContents | null | undefined>): RendererEvents {
  return {
    emit(channel, payload) {
      for (const wc of targets()) if (wc && !wc.isDestroyed()) wc.send(channel, payload);
    },
  };
}

/** globalShortcut and login items behind the services' DesktopIntegration. */
function desktopIntegration(appName: string): DesktopIntegration {
  let current: string | null = null;
  return {
    registerShortcut(accelerator, onPress) {
      if (current) globalShortcut.unregister(current);
      current = null;
      if (accelerator === null) return true;
      try {
        if (!globalShortcut.register(accelerator, onPress)) return false;
      } catch {
        return false;
      }
      current = accelerator;
      return true;
    },
    setStartAtLogin(enabled) {
      if (process.platform === 'linux') setLinuxAutostart(enabled, { exec: process.execPath, name: appName });
      else app.setLoginItemSettings({ openAtLogin: enabled, args: ['--hidden'] });
    },
  };
}

/** Composition root: wires the plain-Node services to Electron's windows, tray and IPC. */
export async function main(): Promise<void> {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  let win: BrowserWindow | null = null;
  let alert: ReturnType<typeof createAlertWindow> | null = null;
  let quitting = false;
  const show = () => {
    win?.show();
    win?.focus();
  };
  // the alarm plays in the app's own window without anyone having clicked there first
  app.commandLine.appendSwitch('autoplay-policy', 'no-user-gesture-required');
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
  const startup = createI18n(app.getLocale());
  let services: MainServices | null = null;
  const t = () => services?.t() ?? startup.t;
  const events = broadcastEvents(() => [win?.webContents, alert?.window.webContents]);
  const navigate = (route: string) => {
    show();
    events.emit('app:navigate', { route });
  };
  // the tray's "On call until Fri 09:00" speaks the language chosen in Settings, always 24-hour
  const formatTime = (ms: number) => new Intl.DateTimeFormat(services?.language(), { weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(ms);

  const tray = createAlarmTray({
    iconDir: path.join(root, 'assets'),
    t,
    formatTime,
    onClick: show,
    actions: {
      openGroup: (key) => navigate(groupRoute(key)),
      acknowledgeGroup: (key) => services?.pages.acknowledgeGroup(key),
      snoozeGroup: (key, minutes) => services?.alarms.snooze({ groupKey: key }, minutes),
      acknowledgeAll: () => services?.pages.acknowledgeAll(),
      selfTest: () => navigate('#/settings'),
      dndOn: () => services?.alarms.setDoNotDisturb({ until: null }),
      dndOff: () => services?.alarms.setDoNotDisturb(null),
      open: show,
      quit: () => app.quit(),
    },
  });
  const renderTray = () => {
    if (services) tray.render(services.alarmTray());
  };
  const appName = startup.t('app.name');
  services = await startMainServices({
    dataDir: app.getPath('userData'),
    // the system's language until the renderer says which one Settings chose
    locale: app.getLocale(),
    // the OS keychain encrypts tokens and API keys at rest where it is available
    secrets: createFileSecretStore(path.join(app.getPath('userData'), 'secrets'), safeStorageCipher(safeStorage)),
    notifier: createNodeNotifier({
      backend: nodeNotifier,
      appName,
      icon: asset('icon-alert-48.png'),
      onError: (e) => console.error(e),
      ...(notificationClicksSupported(process.platform) ? { onClick: (c: { route?: string }) => navigate(c.route ?? '#/pages') } : {}),
    }),
    // the window icon (task bar, alt-tab) follows the tray, so a hidden page is visible there too
    tray: {
      ...tray,
      setAttention(state) {
        win?.setIcon(asset(state.unacknowledged > 0 ? 'icon-alert-48.png' : 'icon-48.png'));
        renderTray();
      },
    },
    onTrayChanged: renderTray,
    alertWindow: { show: (a) => alert?.show(a), hide: () => alert?.hide() },
    showApp: show,
    desktop: desktopIntegration(appName),
    events,
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
    pickRunbookFiles: async () => {
      const options = { properties: ['openFile' as const, 'multiSelections' as const], filters: [{ name: 'Markdown', extensions: ['md', 'markdown'] }] };
      const r = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
      return r.canceled ? [] : r.filePaths;
    },
    renderPdf: electronPdfRenderer,
    saveDialog: electronSaveDialog(() => win),
    relaunch: relaunchApp,
    openDialog: async () => {
      const options = { properties: ['openFile' as const], filters: [{ name: 'JSON', extensions: ['json'] }] };
      const r = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
      return r.canceled ? null : (r.filePaths[0] ?? null);
    },
  });
  registerIpc(services.router);
  renderTray();
  // timers do not run while the laptop sleeps: re-arm the pager, the alarms and the rota on wake-up
  powerMonitor.on('resume', () => services?.resume());
  // and a network that comes back (Wi-Fi, a train's tunnel) brings the same catch-up: relays replay, sources poll
  const network = watchNetwork({ isOnline: () => net.isOnline(), timers: systemTimers, now: () => systemClock.now(), onBack: (since) => services?.networkBack(since) });
  win = createMainWindow({
    preload: path.join(root, 'preload', 'preload.cjs'),
    url: APP_INDEX_URL,
    icon: asset('icon-48.png'),
    isQuitting: () => quitting,
    onRendererGone: (d) => console.error(`renderer gone (${d.reason}, exit code ${d.exitCode}); loading it again`),
    hidden: process.argv.includes('--hidden'),
  });
  alert = createAlertWindow({ preload: path.join(root, 'preload', 'preload.cjs'), url: APP_INDEX_URL, icon: asset('icon-alert-48.png') });
  // a P1 restored at start-up was announced before the alert window existed
  const pending = services.alarms.view().alert;
  if (pending) alert.show(pending);
  let stopping = false;
  app.on('will-quit', (event) => {
    globalShortcut.unregisterAll();
    alert?.destroy();
    network.stop();
    if (stopping) return;
    stopping = true;
    const stopped = services?.stop();
    // the process ends once the services stopped: acknowledgements still held for Undo reach their
    // sources first (stop bounds that wait), and the last journal writes finish
    if (event && stopped) {
      event.preventDefault();
      void stopped.finally(() => app.exit(0));
    }
  });
}
