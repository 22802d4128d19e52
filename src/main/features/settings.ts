import type { SettingsView } from '../../core/ipc-contract';
import type { RendererEvents } from '../adapters';
import type { ConfigStore } from '../services/config-store';

export interface ListenerStatus {
  port: number | null;
  error: string | null;
}

export interface SettingsDeps {
  config: ConfigStore;
  events: RendererEvents;
  listenerStatus: () => ListenerStatus;
  /** Rebinds the listener after a port change; resolves when it listens again (or failed). */
  restartListener: () => Promise<void>;
  newToken: () => string;
}

/** The settings feature: listener port and token, shown and changed from the Settings view. */
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
        token: cfg.listener.token,
        url: `http://${host}:${port}/hooks/alertmanager`,
        listening: status.port !== null,
        error: status.error,
      },
      severityMapping: cfg.severityMapping,
      configError: deps.config.error(),
      configPath: deps.config.path,
    };
  }

  async function changed(): Promise<SettingsView> {
    const v = view();
    deps.events.emit('settings:changed', v);
    return v;
  }

  return {
    view,
    handlers: {
      'settings:get': () => view(),
      'settings:set-listener-port': async ({ port }: { port: number }) => {
        deps.config.update((c) => ({ ...c, listener: { ...c.listener, port } }));
        await deps.restartListener();
        return changed();
      },
      'settings:regenerate-token': async () => {
        deps.config.update((c) => ({ ...c, listener: { ...c.listener, token: deps.newToken() } }));
        return changed();
      },
    },
  };
}
