import { randomBytes, randomUUID } from 'node:crypto';
import * as path from 'node:path';
import { isSafeExternalUrl } from './security';
import type { Clock, Logger, RendererEvents, TrayAdapter } from './adapters';
import { setupPages } from './features/pages';
import { setupRota, type RotaFs, type Timers } from './features/rota';
import { nodeRotaFs } from './services/rota-fs';
import { setupSettings, type ListenerStatus } from './features/settings';
import { createIpcRouter, type IpcHandlers } from './ipc-router';
import { createConfigStore } from './services/config-store';
import type { Notifier } from './services/notifier';
import { createOutbox } from './services/outbox';
import { createWebhookListener, type WebhookListener } from './services/webhook-listener';

export interface MainServicesDeps {
  dataDir: string;
  notifier: Notifier;
  tray: TrayAdapter;
  events: RendererEvents;
  clock: Clock;
  logger: Logger;
  isTrustedSender: (url: string) => boolean;
  /** Timers and fetch, injectable for tests; the real ones by default. */
  timers?: Timers;
  fetch?: typeof fetch;
  rotaFs?: RotaFs;
  /** Asks the user for a folder (Electron's open dialog); null when cancelled. */
  pickFolder?: () => Promise<string | null>;
  /** Opens an http(s) URL in the user's browser (shell.openExternal in Electron). */
  openExternal: (url: string) => void | Promise<void>;
}

/** Generates a webhook bearer token: 32 random bytes, URL-safe. */
export const newToken = () => randomBytes(32).toString('base64url');

/**
 * The composition of every main-process service that does not need Electron. Electron's main
 * and the e2e tests both call this, so the tests exercise exactly what ships.
 */
export async function startMainServices(deps: MainServicesDeps) {
  const config = createConfigStore(path.join(deps.dataDir, 'config.json'), newToken);
  if (config.error()) deps.logger.error(config.error()!);
  const outbox = createOutbox(path.join(deps.dataDir, 'outbox.jsonl'), (m) => deps.logger.error(m));

  const pages = setupPages({
    outbox,
    notifier: deps.notifier,
    tray: deps.tray,
    events: deps.events,
    clock: deps.clock,
    logger: deps.logger,
    newId: randomUUID,
    severityMapping: () => config.get().severityMapping,
  });

  let listener: WebhookListener | null = null;
  let status: ListenerStatus = { port: null, error: null };

  async function startListener(): Promise<void> {
    await listener?.stop();
    const { host, port } = config.get().listener;
    listener = createWebhookListener({
      host,
      port,
      token: () => config.get().listener.token,
      routes: pages.routes,
    });
    try {
      status = { port: await listener.start(), error: null };
      deps.logger.info(`webhook listener on ${host}:${status.port}`);
    } catch (err) {
      // A pager that silently stops is the second-worst failure: say so where the user looks.
      status = { port: null, error: `cannot listen on ${host}:${port}: ${(err as Error).message}` };
      deps.logger.error(status.error!);
    }
  }

  const settings = setupSettings({
    config,
    events: deps.events,
    listenerStatus: () => status,
    restartListener: startListener,
    newToken,
  });

  await startListener();

  const rota = setupRota({
    clock: deps.clock,
    timers: deps.timers ?? { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout) },
    fetch: deps.fetch ?? fetch,
    fs: deps.rotaFs ?? nodeRotaFs,
    notifier: deps.notifier,
    tray: deps.tray,
    events: deps.events,
    logger: deps.logger,
  });

  const handlers: IpcHandlers = {
    ...pages.handlers,
    ...settings.handlers,
    ...rota.handlers,
    'rota:pick-folder': async () => ({ folder: deps.pickFolder ? await deps.pickFolder() : null }),
    'shell:open-external': async ({ url }) => {
      if (!isSafeExternalUrl(url)) throw new Error(`refusing to open ${url}: only http(s) links open outside the app`);
      await deps.openExternal(url);
    },
  };

  return {
    router: createIpcRouter(handlers, deps.isTrustedSender),
    handlers,
    pages,
    settings,
    rota,
    outbox,
    listenerPort: () => status.port,
    async stop() {
      rota.stop();
      await listener?.stop();
    },
  };
}
export type MainServices = Awaited<ReturnType<typeof startMainServices>>;
