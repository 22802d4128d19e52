import type { SettingsView } from '../../core/ipc-contract';
import type { Severity } from '../../core/severity';
import type { RendererEvents } from '../adapters';
import type { ConfigStore } from '../services/config-store';
import type { PagesFeature } from './pages';

export interface ListenerStatus {
  port: number | null;
  error: string | null;
}

export interface SettingsDeps {
  config: ConfigStore;
  events: RendererEvents;
  pages: PagesFeature;
  listenerStatus: () => ListenerStatus;
  storageError: () => string | null;
  /** Rebinds the listener after a port change; resolves when it listens again (or failed). */
  restartListener: () => Promise<void>;
  newToken: () => string;
  /** Posts a test page through the real listener; resolves with the HTTP status it answered. */
  sendTestPage: () => Promise<number>;
}

/** The settings feature: listener, token, severity fallback, and the pager's health as Settings shows it. */
export function setupSettings(deps: SettingsDeps) {
  function view(): SettingsView {
    const cfg = deps.config.get();
    const status = deps.listenerStatus();
    const port = status.port ?? cfg.listener.port;
    const host = cfg.listener.host.includes(':') ? `[${cfg.listener.host}]` : cfg.listener.host;
    return {
      listener: {
        host: cfg.listener.host,
        port,
        token: deps.config.token(),
        url: `http://${host}:${port}/hooks/alertmanager`,
        listening: status.port !== null,
        error: status.error,
      },
      severityMapping: cfg.severityMapping,
      heartbeatMatchers: cfg.heartbeats,
      coalesceSeconds: cfg.coalesceSeconds,
      configError: deps.config.error(),
      configPath: deps.config.path,
      storageError: deps.storageError(),
      routes: deps.pages.routeStatus(),
      heartbeats: deps.pages.heartbeats(),
      needsSeed: deps.pages.needsSeed(),
    };
  }

  function changed(): SettingsView {
    const v = view();
    deps.events.emit('settings:changed', v);
    return v;
  }

  return {
    view,
    changed,
    handlers: {
      'settings:get': () => view(),
      'settings:set-listener-port': async ({ port }: { port: number }) => {
        deps.config.update((c) => ({ ...c, listener: { ...c.listener, port } }));
        await deps.restartListener();
        return changed();
      },
      'settings:regenerate-token': async () => {
        deps.config.setToken(deps.newToken());
        return changed();
      },
      'settings:set-severity-fallback': ({ fallback }: { fallback: Severity }) => {
        deps.config.update((c) => ({ ...c, severityMapping: { ...c.severityMapping, fallback } }));
        return changed();
      },
      'settings:send-test-page': async () => ({ status: await deps.sendTestPage() }),
    },
  };
}
