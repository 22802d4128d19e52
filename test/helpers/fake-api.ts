import { defaultAlarmPolicy } from '../../src/core/alarms/policy';
import type { AlarmsView, AwayDigest, Delivery, EventChannel, EventOf, RequestIn, SettingsView } from '../../src/core/ipc-contract';
import { toErrorData } from '../../src/core/errors';
import type { OnCallApi } from '../../src/preload/api';
import type { Bridge } from '../../src/renderer/bridge';
import type { SourcesView } from '../../src/core/sources/ipc-schemas';

/** Wraps plain handlers as the preload does: every reply an IpcResult, nothing thrown. */
function asApi(plain: Bridge): OnCallApi {
  const api: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(plain) as Array<[string, (...a: unknown[]) => Promise<unknown>]>) {
    api[name] = name.startsWith('on')
      ? fn
      : (...args: unknown[]) =>
          fn(...args).then(
            (value) => ({ ok: true, value }),
            (err: unknown) => ({ ok: false, error: toErrorData(err) }),
          );
  }
  return api as OnCallApi;
}

/** An in-memory stand-in for main behind the preload API, with an outbox like main's. */
export function fakeApi(settings?: SettingsView) {
  const outbox = new Map<string, Delivery>();
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  const acknowledged: RequestIn<'pages:acknowledge'>[] = [];
  const unacknowledged: string[][] = [];
  const seeded: RequestIn<'pager:seed'>[] = [];
  const opened: string[] = [];
  const sourcesView: SourcesView = { sources: [], relays: [], strays: [], broken: [] };
  const snoozes: RequestIn<'alarms:snooze'>[] = [];
  const languages: string[] = [];
  const alarmsView: AlarmsView = {
    policy: defaultAlarmPolicy(),
    dnd: null,
    snoozes: [],
    selfTest: { failing: [], lastPassedAt: null, lastRunAt: null },
    selfTestLog: { runs: [] },
    playing: null,
    alert: null,
    error: null,
    desktop: { shortcut: null, startAtLogin: false, shortcutError: null },
  };
  const rotaSyncs: RequestIn<'rota:sync'>[] = [];
  const away: { digest: AwayDigest | null; dismissed: number } = { digest: null, dismissed: 0 };
  const refreshed: string[] = [];
  let failConfirm = 0;
  let batch = 500;
  const confirmed: string[][] = [];
  const waiters: Array<() => void> = [];
  const on = (channel: string) => (l: (p: never) => void) => {
    const set = listeners.get(channel) ?? new Set();
    set.add(l as (p: unknown) => void);
    listeners.set(channel, set);
    return () => void set.delete(l as (p: unknown) => void);
  };
  const bridge: Bridge = {
    pullDeliveries: async ({ after }) => {
      const all = [...outbox.values()];
      const from = after !== null && outbox.has(after) ? all.findIndex((d) => d.id === after) + 1 : 0;
      return all.slice(from, from + batch);
    },
    confirmDeliveries: async ({ ids }) => {
      if (failConfirm > 0) {
        failConfirm--;
        throw new Error('renderer went away before confirming');
      }
      ids.forEach((id) => outbox.delete(id));
      confirmed.push(ids);
      waiters.splice(0).forEach((w) => w());
      // as main does: what is left after a confirmation is announced
      if (outbox.size > 0) listeners.get('deliveries:available')?.forEach((l) => l({ count: outbox.size }));
    },
    getSettings: async () => settings!,
    setListenerPort: async () => settings!,
    regenerateToken: async () => settings!,
    acknowledgePages: async (target) => {
      acknowledged.push(target);
      // as if every named page was firing: main reports what it changed
      const ids = 'ids' in target ? target.ids : [];
      return { acknowledged: ids.length, ids };
    },
    unacknowledgePages: async (request) => {
      unacknowledged.push(request.ids);
      return { unacknowledged: request.ids.length };
    },
    seedPager: async (request) => void seeded.push(request),
    setSeverityFallback: async () => settings!,
    sendTestPage: async () => ({ status: 200 }),
    openExternal: async ({ url }) => void opened.push(url),
    syncRota: async (s) => void rotaSyncs.push(s),
    refreshRotaSource: async ({ sourceId }) => void refreshed.push(sourceId),
    pickFolder: async () => ({ folder: null }),
    listSources: async () => sourcesView,
    saveSource: async () => sourcesView,
    removeSource: async () => sourcesView,
    saveRelay: async () => sourcesView,
    removeRelay: async () => sourcesView,
    setSourceSecret: async () => sourcesView,
    revealSourceSecret: async () => ({ value: null }),
    pollSourcesNow: async () => sourcesView,
    getAlarms: async () => alarmsView,
    snooze: async (request) => {
      snoozes.push(request);
      return alarmsView;
    },
    setDoNotDisturb: async () => alarmsView,
    setAlarmPolicy: async () => alarmsView,
    startSelfTest: async () => alarmsView,
    recordSelfTest: async () => alarmsView,
    checkSoundFile: async () => ({ format: 'wav' as const }),
    readSoundFile: async () => ({ data: '' }),
    setLanguage: async ({ language }) => void languages.push(language),
    openApp: async ({ route }) => void opened.push(route),
    getAwayDigest: async () => away.digest,
    dismissAwayDigest: async () => {
      away.digest = null;
      away.dismissed++;
    },
    setDesktop: async () => alarmsView,
    configureRunbooks: async () => undefined,
    refreshRunbooks: async () => undefined,
    pickRunbookFiles: async () => ({ files: [] }),
    syncIncidents: async () => undefined,
    saveReport: async () => ({ path: null }),
    saveBackup: async () => ({ path: null }),
    restoreBackup: async () => ({ database: null }),
    applyBackup: async () => undefined,
    relaunchAfterRestore: async () => undefined,
    onDeliveriesAvailable: on('deliveries:available'),
    onNavigate: on('app:navigate'),
    onSettingsChanged: on('settings:changed'),
    onRotaSourceResult: on('rota:source-result'),
    onSourcesChanged: on('sources:changed'),
    onAlarmSound: on('alarm:sound'),
    onAlarmAlert: on('alarm:alert'),
    onAlarmsChanged: on('alarms:changed'),
    onRunbookResult: on('runbooks:result'),
    onAwayDigestChanged: on('catchup:changed'),
  };
  const api = asApi(bridge);
  return {
    /** What the preload exposes as window.oncall. */
    api,
    /** The same, unwrapped as the renderer's bridge() hands it out. */
    bridge,
    outbox,
    acknowledged,
    unacknowledged,
    seeded,
    /** Makes pulls hand out at most this many deliveries, as main's outbox does. */
    setBatch: (n: number) => void (batch = n),
    opened,
    rotaSyncs,
    refreshed,
    /** The "While you were away" digest main would hand out, and how often it was dismissed. */
    away,
    /** Snoozes and language changes the renderer asked for. */
    snoozes,
    languages,
    confirmed,
    failNextConfirm: () => void failConfirm++,
    /** Resolves at the next successful confirm. */
    nextConfirm: () => new Promise<void>((r) => waiters.push(r)),
    deliver(d: Delivery) {
      outbox.set(d.id, d);
      this.emit('deliveries:available', { count: outbox.size });
    },
    emit<C extends EventChannel>(channel: C, payload: EventOf<C>) {
      listeners.get(channel)?.forEach((l) => l(payload));
    },
  };
}
