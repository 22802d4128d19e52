import { AlarmError } from '../../core/alarms/errors';
import { parseShortcut } from '../../core/alarms/shortcut';
import type { AppErrorData } from '../../core/errors';
import type { AlarmsView } from '../../core/ipc-contract';
import type { Logger } from '../adapters';
import type { ConfigStore } from '../services/config-store';
import type { PagesFeature } from './pages';

/** What Electron offers for the desktop settings (globalShortcut, app.setLoginItemSettings). */
export interface DesktopIntegration {
  /** Registers the accelerator (replacing the previous one), or clears it with null; false when the OS refused it. */
  registerShortcut(accelerator: string | null, onPress: () => void): boolean;
  setStartAtLogin(enabled: boolean): void;
}

/** What the desktop settings need. */
export interface DesktopDeps {
  config: ConfigStore;
  integration?: DesktopIntegration | undefined;
  pages: Pick<PagesFeature, 'state' | 'handlers'>;
  logger: Logger;
  /** The alarms view, returned by the handler so Settings shows the outcome at once. */
  view: () => AlarmsView;
}

/** The newest unacknowledged page: the one the global shortcut acknowledges. */
export function newestFiring(pages: Iterable<{ id: string; status: string; startsAt: number; rangAt: number | null }>): string | null {
  let best: { id: string; at: number } | null = null;
  for (const p of pages) {
    if (p.status !== 'firing') continue;
    const at = p.rangAt ?? p.startsAt;
    if (!best || at > best.at) best = { id: p.id, at };
  }
  return best?.id ?? null;
}

/**
 * The global shortcut (acknowledges the newest page) and start at login. A shortcut is checked
 * with the alarm core's parser and then with the OS; either refusal is a typed `badShortcut`
 * error in Settings, the old shortcut stays, and nothing about the alarm changes.
 */
export function setupDesktop(deps: DesktopDeps) {
  let shortcutError: AppErrorData | null = null;

  const press = () => {
    const id = newestFiring(deps.pages.state().pages.values());
    if (id) void Promise.resolve(deps.pages.handlers['pages:acknowledge']({ ids: [id] })).catch((err: Error) => deps.logger.error(`shortcut: ${err.message}`));
  };

  function register(shortcut: string | null): AppErrorData | null {
    if (!deps.integration) return null;
    if (shortcut === null) {
      deps.integration.registerShortcut(null, press);
      return null;
    }
    return deps.integration.registerShortcut(shortcut, press) ? null : { code: 'alarms.badShortcut', params: { shortcut, message: 'taken by another program' } };
  }

  // a shortcut saved earlier is applied at start; if the OS refuses it now, Settings says so
  const saved = deps.config.get().desktop;
  try {
    shortcutError = register(saved.shortcut === null ? null : parseShortcut(saved.shortcut));
  } catch (err) {
    shortcutError = { code: 'alarms.badShortcut', params: { shortcut: saved.shortcut, message: (err as Error).message } };
  }
  deps.integration?.setStartAtLogin(saved.startAtLogin);

  return {
    view: (): AlarmsView['desktop'] => ({ ...deps.config.get().desktop, shortcutError }),
    handlers: {
      'alarms:set-desktop': ({ shortcut, startAtLogin }: { shortcut: string | null; startAtLogin: boolean }) => {
        const canonical = shortcut === null || shortcut.trim() === '' ? null : parseShortcut(shortcut);
        const before = deps.config.get().desktop;
        if (canonical !== before.shortcut || shortcutError) {
          const refused = register(canonical);
          if (refused) {
            // the old one stays active and saved
            register(before.shortcut);
            throw new AlarmError('badShortcut', refused.params);
          }
          shortcutError = null;
        }
        if (startAtLogin !== before.startAtLogin) deps.integration?.setStartAtLogin(startAtLogin);
        deps.config.update((c) => ({ ...c, desktop: { shortcut: canonical, startAtLogin } }));
        return deps.view();
      },
    },
    stop(): void {
      if (deps.config.get().desktop.shortcut !== null) deps.integration?.registerShortcut(null, press);
    },
  };
}
