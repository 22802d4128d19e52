import type { Delivery, EventChannel, EventOf, RequestIn, SettingsView } from '../../src/core/ipc-contract';
import type { OnCallApi } from '../../src/preload/api';

/** An in-memory stand-in for main behind the preload API, with an outbox like main's. */
export function fakeApi(settings?: SettingsView) {
  const outbox = new Map<string, Delivery>();
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  const tray: Array<{ unacknowledged: number; firing: number }> = [];
  const opened: string[] = [];
  const rotaSyncs: RequestIn<'rota:sync'>[] = [];
  const refreshed: string[] = [];
  let failConfirm = 0;
  const confirmed: string[][] = [];
  const waiters: Array<() => void> = [];
  const on = (channel: string) => (l: (p: never) => void) => {
    const set = listeners.get(channel) ?? new Set();
    set.add(l as (p: unknown) => void);
    listeners.set(channel, set);
    return () => void set.delete(l as (p: unknown) => void);
  };
  const api: OnCallApi = {
    pullDeliveries: async () => [...outbox.values()],
    confirmDeliveries: async ({ ids }) => {
      if (failConfirm > 0) {
        failConfirm--;
        throw new Error('renderer went away before confirming');
      }
      ids.forEach((id) => outbox.delete(id));
      confirmed.push(ids);
      waiters.splice(0).forEach((w) => w());
    },
    getSettings: async () => settings!,
    setListenerPort: async () => settings!,
    regenerateToken: async () => settings!,
    setTrayAttention: async (s) => void tray.push(s),
    openExternal: async ({ url }) => void opened.push(url),
    syncRota: async (s) => void rotaSyncs.push(s),
    refreshRotaSource: async ({ sourceId }) => void refreshed.push(sourceId),
    pickFolder: async () => ({ folder: null }),
    onDeliveriesAvailable: on('deliveries:available'),
    onAcknowledgeAllRequested: on('pages:acknowledge-all-requested'),
    onSettingsChanged: on('settings:changed'),
    onRotaSourceResult: on('rota:source-result'),
  };
  return {
    api,
    outbox,
    tray,
    opened,
    rotaSyncs,
    refreshed,
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
