import { randomBytes, randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import { createI18n, LANGUAGES } from '../core/i18n';
import { trayModel, type TrayModel } from '../core/alarms/tray-model';
import { checkSoundFile } from '../core/alarms/sound-file';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from './services/atomic-file';
import { AppError, type AppErrorData } from '../core/errors';
import { AlarmError } from '../core/alarms/errors';
import { openGroups } from '../core/pager/live-state';
import { createImportService, type ImportService } from './import/import-service';
import { safeExternalUrl } from './security';
import type { Clock, Logger, RendererEvents, TrayAdapter } from './adapters';
import { setupDesktop, type DesktopIntegration } from './features/desktop';
import { checkNotMuted, checkRelay, checkSources, execProbe, type ProbeRunner } from './features/self-checks';
import { execFileRunner, setupAlarms, type AlertWindowHost, type AlarmsFeature, type CommandRunner } from './features/alarms';
import { ALERTMANAGER_ROUTE, setupPages, workerParser, type WebhookParser } from './features/pages';
import { setupRota, type RotaFs, type Timers } from './features/rota';
import { setupSources } from './features/sources';
import { setupRunbooks, type RunbookFs } from './features/runbooks';
import { setupIncidents } from './features/incidents';
import { refuseWhileRestoring, setupBackup, setupReports, type PdfRenderer, type SaveDialog } from './features/reports';
import { nodeRotaFs } from './services/rota-fs';
import { formatShiftTime } from '../core/rota/format';
import { setupSettings, type ListenerStatus } from './features/settings';
import { createIpcRouter, type IpcHandlers } from './ipc-router';
import { createConfigStore } from './services/config-store';
import type { Notifier } from './services/notifier';
import { createOutbox } from './services/outbox';
import { createPagerStore } from './services/pager-store';
import { createFileSecretStore, type SecretStore } from './services/secret-store';
import { createWebhookListener, type WebhookListener, type WebhookRoute } from './services/webhook-listener';

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
  /** The runbook library folder on disk; the real file system by default. */
  runbookFs?: RunbookFs;
  /** Asks the user for runbook files (Electron's open dialog, several allowed); empty when cancelled. */
  pickRunbookFiles?: () => Promise<string[]>;
  /** Renders report HTML to PDF (Electron's printToPDF in a hidden window); PDF export is refused without it. */
  renderPdf?: PdfRenderer;
  /** Asks where to save a report (Electron's save dialog); null when cancelled. */
  saveDialog?: SaveDialog;
  /** Asks for a file to open (a backup to restore); null when cancelled. */
  openDialog?: () => Promise<string | null>;
  /** Starts the app afresh after a restore (Electron: app.relaunch() then app.exit(0)). */
  relaunch?: () => void;
  /** The Undo window before an acknowledgement is written back to its source (10 s; tests shorten it). */
  writeBackDelayMs?: number;
  /** How long a catch-up waits for quiet before its digest (1.5 s; tests lengthen it). */
  catchUpQuietMs?: number;
  /** Opens an http(s) URL in the user's browser (shell.openExternal in Electron). */
  openExternal: (url: string) => void | Promise<void>;
  /** Where secrets live; a 0600 file store in the data folder unless Electron passes its keychain. */
  secrets?: SecretStore;
  /** Parses webhook bodies; by default large ones in a worker of their own. */
  parseWebhook?: WebhookParser;
  /** Runs feed and rota-file imports off main's event loop; a worker by default. */
  imports?: ImportService;
  /** The UI language for tray and notifications; the system's until Settings says otherwise. */
  locale?: string;
  /** The always-on-top alert window (Electron); without it only the `alarm:alert` event is sent. */
  alertWindow?: AlertWindowHost;
  /** Runs escalation commands; execFile by default. */
  runCommand?: CommandRunner;
  /** Called whenever what the tray shows may have changed (pages, alarms, rota, language). */
  onTrayChanged?: () => void;
  /** Shows and focuses the main window (Electron); the alert window's Open and a notification click use it. */
  showApp?: () => void;
  /** Runs the self-test's probes (pactl, osascript); execFile by default. */
  probe?: ProbeRunner;
  /** Global shortcut and start at login (Electron); without it those settings are only saved. */
  desktop?: DesktopIntegration;
}

/** Generates a webhook bearer token: 32 random bytes, URL-safe. */
export const newToken = () => randomBytes(32).toString('base64url');

const hhmm = (t: number) => {
  const d = new Date(t);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
};

/**
 * The composition of every main-process service that does not need Electron. Electron's main
 * and the e2e tests both call this, so the tests exercise exactly what ships.
 */
export async function startMainServices(deps: MainServicesDeps) {
  let i18n = createI18n(deps.locale);
  const timers: Timers = deps.timers ?? { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout) };
  const secrets = deps.secrets ?? createFileSecretStore(path.join(deps.dataDir, 'secrets'));
  const config = createConfigStore(path.join(deps.dataDir, 'config.json'), secrets, newToken);
  if (config.error()) deps.logger.error(config.error()!);
  const outbox = createOutbox(path.join(deps.dataDir, 'outbox.jsonl'), (m) => deps.logger.error(m));
  const store = createPagerStore(
    deps.dataDir,
    () => ({ coalesceMs: config.get().coalesceSeconds * 1000, heartbeats: config.get().heartbeats, keepResolvedMs: 7 * 24 * 3600_000 }),
    (m) => deps.logger.error(m),
  );
  const storageError = () => outbox.storageError() ?? store.storageError();
  const imports = deps.imports ?? createImportService();
  // webhooks get a worker of their own with room for a 32 MiB group, so a slow feed import never
  // delays a page, nor a page a feed
  const webhookImports = deps.parseWebhook ? null : createImportService({ timeBudgetMs: 20_000, maxOldGenerationSizeMb: 2048 });

  let settings: ReturnType<typeof setupSettings> | null = null;
  const statusChanged = () => {
    settings?.changed();
    updateWarnings();
  };

  // created once the rota exists; until then every ring is shown
  let alarms: AlarmsFeature | null = null;
  // the rota's time zone, once the rota exists
  let zoneNow: () => string = () => Intl.DateTimeFormat().resolvedOptions().timeZone;
  // set once the sources exist: while they catch up, one digest stands for the single notifications
  let catchingUp: () => boolean = () => false;
  const pages = setupPages({
    store,
    outbox,
    notifier: deps.notifier,
    tray: deps.tray,
    events: deps.events,
    clock: deps.clock,
    timers,
    logger: deps.logger,
    newId: randomUUID,
    severityMapping: () => config.get().severityMapping,
    t: () => i18n.t,
    whoami: () => safeUserName(),
    parse: deps.parseWebhook ?? workerParser(webhookImports!),
    onStatusChanged: statusChanged,
    routeStatsFile: path.join(deps.dataDir, 'route-stats.json'),
    // quiet hours, Do Not Disturb and snoozes decide whether the first notification shows
    ringPolicy: (ring) => (catchingUp() ? { show: false } : (alarms?.ringPolicy(ring) ?? { show: true })),
  });

  // one route table for the listener: the pages' own route plus each source's /webhook/<id>, kept in place
  const listenerRoutes: Record<string, WebhookRoute> = { ...pages.routes };
  let listener: WebhookListener | null = null;
  let status: ListenerStatus = { port: null, error: null };

  async function startListener(): Promise<void> {
    await listener?.stop();
    const { host, port, maxBodyMiB } = config.get().listener;
    listener = createWebhookListener({
      host,
      port,
      token: () => config.token(),
      routes: listenerRoutes,
      maxBodyBytes: maxBodyMiB * 1024 * 1024,
      onOutcome: (p, code, reason) => pages.recordOutcome(p, code, reason),
      durable: () => pages.durable(),
    });
    try {
      status = { port: await listener.start(), error: null };
      deps.logger.info(`webhook listener on ${host}:${status.port}`);
    } catch (err) {
      // A pager that silently stops is the second-worst failure: say so where the user looks.
      status = { port: null, error: `cannot listen on ${host}:${port}: ${(err as Error).message}` };
      deps.logger.error(status.error!);
    }
    updateWarnings();
  }

  /** The tray names everything that makes the pager unreliable, not only Settings. */
  function updateWarnings(): void {
    const t = i18n.t;
    const lines: string[] = [];
    if (config.error()) lines.push(t('tray.warnConfig'));
    if (storageError()) lines.push(t('tray.warnStorage'));
    if (status.error) lines.push(t('tray.warnListener'));
    for (const route of pages.routeStatus()) {
      const r = route.refusal;
      if (r) lines.push(t('tray.warnRefused', { source: route.label, count: r.count, since: hhmm(r.since), reason: r.lastReason }));
    }
    deps.tray.setWarnings?.(lines);
  }

  async function sendTestPage(): Promise<number> {
    const port = status.port;
    if (port === null) throw new Error(status.error ?? 'the webhook listener is not running');
    const host = ['0.0.0.0', '::', ''].includes(config.get().listener.host) ? '127.0.0.1' : config.get().listener.host;
    const now = deps.clock.now();
    const body = {
      version: '4',
      // a group of its own each time, so a second test page is never folded into the first
      groupKey: `on-call-companion-test-page-${now}`,
      truncatedAlerts: 0,
      status: 'firing',
      receiver: 'on-call-companion',
      groupLabels: { alertname: 'OnCallCompanionTestPage' },
      commonLabels: {},
      commonAnnotations: {},
      externalURL: '',
      alerts: [
        {
          status: 'firing',
          labels: { alertname: 'OnCallCompanionTestPage', severity: 'warning' },
          annotations: { summary: i18n.t('testPage.summary') },
          startsAt: new Date(now).toISOString(),
          endsAt: '0001-01-01T00:00:00Z',
          fingerprint: `test-${now}`,
        },
      ],
    };
    const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}${ALERTMANAGER_ROUTE}`;
    const res = await (deps.fetch ?? fetch)(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${config.token()}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    await res.arrayBuffer();
    return res.status;
  }

  settings = setupSettings({
    config,
    events: deps.events,
    pages,
    listenerStatus: () => status,
    storageError,
    restartListener: startListener,
    newToken,
    sendTestPage,
  });

  await startListener();
  pages.refresh();
  const sources = setupSources({
    rawConfig: () => ({ sources: config.get().sources, relays: config.get().relays }),
    saveConfig: (next) => void config.update((c) => ({ ...c, sources: next.sources, relays: next.relays })),
    secrets,
    pages,
    routes: listenerRoutes,
    listenerToken: () => config.token(),
    listenerBase: () => {
      if (status.port === null) return null;
      const h = config.get().listener.host;
      const host = ['0.0.0.0', '::', ''].includes(h) ? '127.0.0.1' : h;
      return `http://${host.includes(':') ? `[${host}]` : host}:${status.port}`;
    },
    maxBodyBytes: () => config.get().listener.maxBodyMiB * 1024 * 1024,
    severityMapping: () => config.get().severityMapping,
    heartbeats: () => config.get().heartbeats,
    fetch: deps.fetch ?? fetch,
    clock: deps.clock,
    timers,
    notifier: deps.notifier,
    t: () => i18n.t,
    who: () => safeUserName(),
    dataDir: deps.dataDir,
    events: deps.events,
    logger: deps.logger,
    ...(deps.writeBackDelayMs !== undefined ? { writeBackDelayMs: deps.writeBackDelayMs } : {}),
    ...(deps.catchUpQuietMs !== undefined ? { catchUpQuietMs: deps.catchUpQuietMs } : {}),
    // the rota's zone once it exists (the user's chosen one), else the machine's
    formatTime: (ms) => formatShiftTime(ms, zoneNow(), i18n.language, deps.clock.now()),
  });
  catchingUp = () => sources.ringsFromCatchUp();
  await sources.start();
  if (config.error()) {
    // a broken config must be loud: it is the kind of thing nobody opens Settings for at 3 a.m.
    deps.notifier.notify({ title: i18n.t('notifications.configBrokenTitle'), body: config.error()!, urgency: 'critical', pageId: 'config', route: '#/settings' });
  }

  const rota = setupRota({
    clock: deps.clock,
    timers,
    fetch: deps.fetch ?? fetch,
    fs: deps.rotaFs ?? nodeRotaFs,
    notifier: deps.notifier,
    tray: deps.tray,
    events: deps.events,
    logger: deps.logger,
    imports,
  });
  zoneNow = () => rota.mine(deps.clock.now()).timeZone;

  const runbooks = setupRunbooks({
    clock: deps.clock,
    timers,
    fetch: deps.fetch ?? fetch,
    events: deps.events,
    logger: deps.logger,
    imports,
    fs: deps.runbookFs,
    pickFiles: deps.pickRunbookFiles,
    picked: pickedRunbookFiles(path.join(deps.dataDir, 'runbook-files.json'), deps.logger),
  });
  const incidents = setupIncidents({ clock: deps.clock, timers, notifier: deps.notifier, logger: deps.logger, myShiftStarts: (from, to) => rota.myShiftStarts(from, to) });
  const reports = setupReports({ renderPdf: deps.renderPdf, saveDialog: deps.saveDialog });
  const backup = setupBackup({
    dataDir: deps.dataDir,
    saveDialog: deps.saveDialog,
    openDialog: deps.openDialog,
    clock: deps.clock,
    timers,
    relaunch: deps.relaunch,
    // the page state in memory is what the restore replaces: it must never be written again
    quiesce: async (): Promise<void> => {
      store.close();
      await running.stop();
    },
    secrets: {
      // one file per secret (".enc" when sealed by the keychain) in the data folder's secrets/
      names: () => {
        try {
          return [...new Set(readdirSync(path.join(deps.dataDir, 'secrets')).map((f) => f.replace(/\.enc$/, '')))];
        } catch {
          return [];
        }
      },
      get: (name) => secrets.get(name),
      set: (name, value) => secrets.set(name, value),
    },
  });

  alarms = setupAlarms({
    clock: deps.clock,
    timers,
    logger: deps.logger,
    notifier: deps.notifier,
    events: deps.events,
    pages,
    policy: () => config.get().alarms,
    savePolicy: (policy) => void config.update((c) => ({ ...c, alarms: policy })),
    rota: (now) => rota.mine(now),
    t: () => i18n.t,
    dataDir: deps.dataDir,
    runCommand: deps.runCommand ?? execFileRunner,
    fetch: deps.fetch ?? fetch,
    ...(deps.alertWindow ? { alertWindow: deps.alertWindow } : {}),
    onChanged: () => deps.onTrayChanged?.(),
    desktop: () => desktop.view(),
    autoChecks: async () => {
      const view = sources.view();
      return [checkSources(status.error, pages.routeStatus(), view.sources), checkRelay(view.relays), await checkNotMuted(process.platform, deps.probe ?? execProbe)];
    },
  });
  const desktop = setupDesktop({
    config,
    integration: deps.desktop,
    pages,
    logger: deps.logger,
    view: () => alarmsFeature.view(),
  });
  const alarmsFeature = alarms;
  rota.onSynced(() => alarmsFeature.evaluate());
  // a new rota moves my shift starts, and with them the shift-start checklist
  rota.onSynced(() => incidents.resume());
  alarmsFeature.evaluate();

  /** The tray as data (issue 12): icon state, tooltip and menu; Electron renders it. */
  function alarmTray(): TrayModel {
    const state = pages.state();
    const now = deps.clock.now();
    let unacknowledged = 0;
    for (const p of state.pages.values()) if (p.status === 'firing') unacknowledged++;
    const problems: AppErrorData[] = [
      ...(config.error() ? [{ code: 'configBroken', params: {} }] : []),
      ...(storageError() ? [{ code: 'storeFailed', params: { message: storageError()! } }] : []),
      ...(status.error ? [{ code: 'listenerDown', params: {} }] : []),
    ];
    return trayModel({
      groups: openGroups(state, 5),
      unacknowledged,
      rota: rota.mine(now).view,
      alarms: alarmsFeature.state(),
      selfTest: alarmsFeature.selfTestStatus(),
      problems,
      now,
    });
  }
  pages.onStateChanged(() => deps.onTrayChanged?.());

  const handlers: IpcHandlers = {
    ...pages.handlers,
    ...alarmsFeature.handlers,
    ...desktop.handlers,
    'alarms:read-sound': ({ file }) => {
      // only files the policy names as a sound, so this is no general file reader for the renderer
      const named = Object.values(config.get().alarms.severities).some((sp) => sp.soundFile === file);
      if (!named) throw new AlarmError('soundUnplayable', { file, message: 'not a sound file of the notification policy' });
      let bytes: Buffer;
      try {
        bytes = readFileSync(file);
      } catch (err) {
        throw new AlarmError('soundUnplayable', { file, message: (err as Error).message });
      }
      checkSoundFile(file, bytes);
      return { data: bytes.toString('base64') };
    },
    'alarms:check-sound': ({ file }) => {
      let bytes: Uint8Array;
      try {
        bytes = readFileSync(file);
      } catch (err) {
        throw new AlarmError('soundUnplayable', { file, message: (err as Error).message });
      }
      return { format: checkSoundFile(file, bytes) };
    },
    'app:open': ({ route }) => {
      // the user is on the way to the page: the always-on-top window steps aside, the alarm goes on
      deps.alertWindow?.hide();
      deps.showApp?.();
      deps.events.emit('app:navigate', { route });
    },
    'settings:set-language': ({ language }) => {
      if (!(LANGUAGES as readonly string[]).includes(language)) throw new AppError('languageUnknown', { language, languages: LANGUAGES.join(', ') });
      setLanguage(language);
    },
    ...settings.handlers,
    ...rota.handlers,
    ...sources.handlers,
    ...sources.catchUpHandlers,
    ...runbooks.handlers,
    ...incidents.handlers,
    ...reports.handlers,
    ...backup.handlers,
    'rota:pick-folder': async () => ({ folder: deps.pickFolder ? await deps.pickFolder() : null }),
    'shell:open-external': async ({ url }) => {
      // only the URL as parsed and re-serialized leaves the app, never the raw string
      const safe = safeExternalUrl(url);
      if (safe === null) throw new AppError('openExternalRefused', { url: url.slice(0, 200) }, `refusing to open ${url}: only http(s) links open outside the app`);
      await deps.openExternal(safe);
    },
  };

  function setLanguage(locale: string): void {
    i18n = createI18n(locale);
    pages.refresh();
    updateWarnings();
    deps.onTrayChanged?.();
  }

  let stopped = false;
  const running = {
    router: createIpcRouter(refuseWhileRestoring(handlers, backup.restoring), deps.isTrustedSender),
    handlers,
    pages,
    settings,
    rota,
    /** Alert sources and relays; call `sources.resume()` on resume from sleep and on a network change. */
    sources,
    runbooks,
    incidents,
    outbox,
    config,
    listenerPort: () => status.port,
    alarms: alarmsFeature,
    alarmTray,
    /** The current translator for tray and notifications (follows setLanguage). */
    t: () => i18n.t,
    /** The language tray and notifications speak now, for formatting dates and times the same way. */
    language: () => i18n.language,
    /** Switches tray and notification texts to the language chosen in Settings. */
    setLanguage,
    /**
     * The network is back after `offlineSince` while the app was awake: relays reconnect, every polling
     * source polls at once (one digest for what they bring), and the rota's feeds are fetched again.
     */
    networkBack(offlineSince: number): void {
      rota.resume();
      void sources.networkBack(offlineSince);
    },
    /** After sleep: the pager's window timer, the alarm timer and the rota's plan are stale. */
    resume(): void {
      pages.refresh();
      alarmsFeature.resume();
      rota.resume();
      runbooks.resume();
      incidents.resume();
      void sources.resume();
    },
    async stop() {
      // once: a restore stops main early, and the quit after it must not stop (or save) twice
      if (stopped) return;
      stopped = true;
      // first: a webhook accepted while the pager is stopping (or its state is being replaced by a
      // restore) would be answered 200 and then lost; refused, its sender tries again later
      await listener?.stop();
      desktop.stop();
      alarmsFeature.stop();
      rota.stop();
      await sources.stop();
      runbooks.stop();
      incidents.stop();
      pages.stop();
      // the outbox's last adds are fsynced off the loop: wait for them (a failure is already reported)
      await pages.durable().catch(() => undefined);
      if (!deps.imports) await imports.stop();
      await webhookImports?.stop();
    },
  };
  return running;
}
export type MainServices = Awaited<ReturnType<typeof startMainServices>>;

function safeUserName(): string {
  try {
    return userInfo().username;
  } catch {
    return 'local';
  }
}

/** The single runbook files picked in main's dialog, as a JSON list in the data folder; unreadable means none. */
function pickedRunbookFiles(file: string, logger: Logger): { load(): string[]; save(files: readonly string[]): void } {
  return {
    load() {
      try {
        const data = JSON.parse(readFileSync(file, 'utf8')) as unknown;
        return Array.isArray(data) ? data.filter((f): f is string => typeof f === 'string') : [];
      } catch {
        return [];
      }
    },
    save(files) {
      try {
        writeFileAtomic(file, JSON.stringify(files, null, 2));
      } catch (err) {
        logger.error(`runbooks: cannot save ${file}: ${(err as Error).message}`);
      }
    },
  };
}
