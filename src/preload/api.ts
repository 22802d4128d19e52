import type { IpcResult } from '../core/errors';
import type { EventChannel, EventOf, InvokeChannel, RequestIn, ResponseOf } from '../core/ipc-contract';

/** The two things the API needs from ipcRenderer; e2e tests supply the same over Playwright. */
export interface IpcTransport {
  invoke(channel: string, payload?: unknown): Promise<unknown>;
  on(channel: string, listener: (payload: unknown) => void): () => void;
}

function invoker<C extends InvokeChannel>(t: IpcTransport, channel: C) {
  return (request: RequestIn<C>) => t.invoke(channel, request) as Promise<IpcResult<ResponseOf<C>>>;
}
function noArg<C extends InvokeChannel>(t: IpcTransport, channel: C) {
  return () => t.invoke(channel) as Promise<IpcResult<ResponseOf<C>>>;
}
function subscriber<C extends EventChannel>(t: IpcTransport, channel: C) {
  return (listener: (payload: EventOf<C>) => void) => t.on(channel, (p) => listener(p as EventOf<C>));
}

/**
 * One named method per operation in the IPC contract; nothing generic is exposed. Methods resolve
 * to an IpcResult, because an Error thrown through contextBridge loses everything but its text;
 * the renderer's bridge() unwraps it into a typed AppError.
 */
export function createApi(t: IpcTransport) {
  return {
    pullDeliveries: invoker(t, 'deliveries:pull'),
    confirmDeliveries: invoker(t, 'deliveries:confirm'),
    getSettings: noArg(t, 'settings:get'),
    setListenerPort: invoker(t, 'settings:set-listener-port'),
    regenerateToken: noArg(t, 'settings:regenerate-token'),
    acknowledgePages: invoker(t, 'pages:acknowledge'),
    unacknowledgePages: invoker(t, 'pages:unacknowledge'),
    seedPager: invoker(t, 'pager:seed'),
    setSeverityFallback: invoker(t, 'settings:set-severity-fallback'),
    sendTestPage: noArg(t, 'settings:send-test-page'),
    openExternal: invoker(t, 'shell:open-external'),
    syncRota: invoker(t, 'rota:sync'),
    refreshRotaSource: invoker(t, 'rota:refresh'),
    pickFolder: noArg(t, 'rota:pick-folder'),
    listSources: noArg(t, 'sources:list'),
    saveSource: invoker(t, 'sources:save'),
    removeSource: invoker(t, 'sources:remove'),
    saveRelay: invoker(t, 'sources:save-relay'),
    removeRelay: invoker(t, 'sources:remove-relay'),
    setSourceSecret: invoker(t, 'sources:set-secret'),
    revealSourceSecret: invoker(t, 'sources:reveal-secret'),
    pollSourcesNow: noArg(t, 'sources:poll-now'),
    getAlarms: noArg(t, 'alarms:get'),
    snooze: invoker(t, 'alarms:snooze'),
    setDoNotDisturb: invoker(t, 'alarms:set-dnd'),
    setAlarmPolicy: invoker(t, 'alarms:set-policy'),
    startSelfTest: noArg(t, 'alarms:self-test-start'),
    recordSelfTest: invoker(t, 'alarms:self-test-record'),
    checkSoundFile: invoker(t, 'alarms:check-sound'),
    readSoundFile: invoker(t, 'alarms:read-sound'),
    setLanguage: invoker(t, 'settings:set-language'),
    openApp: invoker(t, 'app:open'),
    getAwayDigest: noArg(t, 'catchup:get'),
    dismissAwayDigest: noArg(t, 'catchup:dismiss'),
    setDesktop: invoker(t, 'alarms:set-desktop'),
    configureRunbooks: invoker(t, 'runbooks:configure'),
    refreshRunbooks: noArg(t, 'runbooks:refresh'),
    pickRunbookFiles: noArg(t, 'runbooks:pick-files'),
    syncIncidents: invoker(t, 'incidents:sync'),
    saveReport: invoker(t, 'reports:save'),
    saveBackup: invoker(t, 'backup:save'),
    restoreBackup: invoker(t, 'backup:restore'),
    applyBackup: noArg(t, 'backup:apply'),
    relaunchAfterRestore: noArg(t, 'backup:relaunch'),
    onDeliveriesAvailable: subscriber(t, 'deliveries:available'),
    onNavigate: subscriber(t, 'app:navigate'),
    onSettingsChanged: subscriber(t, 'settings:changed'),
    onRotaSourceResult: subscriber(t, 'rota:source-result'),
    onSourcesChanged: subscriber(t, 'sources:changed'),
    onAlarmSound: subscriber(t, 'alarm:sound'),
    onAlarmAlert: subscriber(t, 'alarm:alert'),
    onAlarmsChanged: subscriber(t, 'alarms:changed'),
    onRunbookResult: subscriber(t, 'runbooks:result'),
    onAwayDigestChanged: subscriber(t, 'catchup:changed'),
  };
}

/** The type the renderer sees as `window.oncall`. */
export type OnCallApi = ReturnType<typeof createApi>;
