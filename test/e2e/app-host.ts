import type { RendererEvents, TrayAdapter } from '../../src/main/adapters';
import { isAppUrl } from '../../src/main/security';
import type { Notifier } from '../../src/main/services/notifier';
import { startMainServices, type MainServices } from '../../src/main/services';
import { startRenderer } from './renderer-host';

/**
 * What most e2e tests start: the real main services, and the real renderer and preload in
 * Chromium wired to them (events to the page, the page's URL as the only trusted sender).
 */
export async function startApp(opts: { dataDir: string; notifier?: Notifier; tray?: TrayAdapter }): Promise<{ services: MainServices; ui: Awaited<ReturnType<typeof startRenderer>> }> {
  let rendererEvents: RendererEvents | null = null;
  let appUrl = '';
  const services = await startMainServices({
    dataDir: opts.dataDir,
    notifier: opts.notifier ?? { notify: () => undefined },
    tray: opts.tray ?? { setAttention: () => undefined },
    events: { emit: (c, p) => rendererEvents?.emit(c, p) },
    clock: { now: () => Date.now() },
    logger: { info: () => undefined, error: (m) => console.error(m) },
    isTrustedSender: (url) => isAppUrl(url, appUrl),
    openExternal: () => undefined,
  });
  const ui = await startRenderer({ router: () => services.router, onAppUrl: (url) => (appUrl = url) });
  rendererEvents = ui.events;
  return { services, ui };
}
