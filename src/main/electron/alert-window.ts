import { BrowserWindow } from 'electron';
import type { AlarmAlert } from '../../core/ipc-contract';
import type { AlertWindowHost } from '../features/alarms';
import { secureWebPreferences } from './window';

/** What the alert window loads: the app at #/alert, which mounts only the alert. */
export interface AlertWindowOptions {
  preload: string;
  /** The app's index URL; `#/alert` is appended. */
  url: string;
  icon: string;
}

/**
 * The always-on-top alert window with big Acknowledge and Open buttons. It is created hidden
 * once, so showing it for a P1 at 3 a.m. costs no page load; its content follows main's
 * `alarm:alert` events like the main window's overlay. Closing it only hides it.
 */
export function createAlertWindow(opts: AlertWindowOptions): AlertWindowHost & { window: BrowserWindow; destroy(): void } {
  const win = new BrowserWindow({
    width: 560,
    height: 360,
    show: false,
    alwaysOnTop: true,
    skipTaskbar: false,
    resizable: true,
    minimizable: false,
    fullscreenable: false,
    icon: opts.icon,
    webPreferences: secureWebPreferences(opts.preload),
  });
  // above full-screen apps too, where the OS allows it
  win.setAlwaysOnTop(true, 'screen-saver');
  let destroying = false;
  win.on('close', (event) => {
    if (destroying) return;
    event.preventDefault();
    win.hide();
  });
  void win.loadURL(`${opts.url}#/alert`);
  return {
    window: win,
    show(_alert: AlarmAlert) {
      if (win.isDestroyed()) return;
      win.show();
      win.focus();
    },
    hide() {
      if (!win.isDestroyed()) win.hide();
    },
    destroy() {
      destroying = true;
      if (!win.isDestroyed()) win.destroy();
    },
  };
}
