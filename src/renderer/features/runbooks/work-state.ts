import { liveQuery } from 'dexie';
import { create } from 'zustand';
import type { Incident } from '../../../core/incidents/model';
import { useLiveQuery } from 'dexie-react-hooks';
import type { OnCallDb } from '../../db/database';
import { db } from '../../db/instance';
import { reminderSync } from '../../db/incidents-repo';
import { startRunbookSync, type RunbookSyncApi } from '../../db/runbooks-repo';
import type { IncidentsSync } from '../../../core/incidents/ipc-schemas';

/** What the Runbooks and Incidents views have open; the data itself lives in Dexie. */
export interface WorkUi {
  /** The runbook shown in the Runbooks view, by stored key. */
  runbookKey: string | null;
  /** The checklist run shown instead of the runbook. */
  runId: string | null;
  incidentId: string | null;
  /** The incident whose postmortem is open in the Incidents view. */
  postmortemOf: string | null;
  /** True while the shift handover is open in the Incidents view. */
  handover: boolean;
  openRunbook(key: string | null): void;
  openRun(runId: string | null): void;
  openIncident(id: string | null): void;
  openPostmortem(incidentId: string | null): void;
  openHandover(open: boolean): void;
}

/** Selection state for runbooks, runs, incidents and postmortems. */
export const useWorkUi = create<WorkUi>()((set) => ({
  runbookKey: null,
  runId: null,
  incidentId: null,
  postmortemOf: null,
  handover: false,
  openRunbook: (runbookKey) => set({ runbookKey, runId: null }),
  openRun: (runId) => set({ runId }),
  openIncident: (incidentId) => set({ incidentId, postmortemOf: null, handover: false }),
  openPostmortem: (postmortemOf) => set({ postmortemOf }),
  openHandover: (handover) => set({ handover }),
}));

/** Who is acting on this laptop: the name set in the rota ("me"), else "local". */
export function useMe(): string {
  return useLiveQuery(async () => (await db.prefs.get('me'))?.value.trim() || 'local', []) ?? 'local';
}

/** Main's side of runbooks and incidents, as the renderer's sync needs it. */
export interface WorkSyncApi extends RunbookSyncApi {
  syncIncidents(sync: IncidentsSync): Promise<void>;
}

/**
 * Starts the syncs with main: the runbook library (folder and URLs, results stored), and the open
 * incidents main reminds about, sent whenever they change.
 */
export function startWorkSync(opts: { api: WorkSyncApi; db: OnCallDb; timeZone: string; language: () => string; onError: (err: Error) => void }) {
  const runbooks = startRunbookSync(opts);
  let last = '';
  let open: Incident[] = [];
  const push = () => {
    const sync = reminderSync(open, opts.timeZone, opts.language());
    const key = JSON.stringify(sync);
    if (key === last) return;
    last = key;
    opts.api.syncIncidents(sync).catch(opts.onError);
  };
  // every stored change to an open incident (a status update, a new interval) re-plans main's reminders
  const sub = liveQuery(() => opts.db.incidents.where('status').notEqual('resolved').toArray()).subscribe({
    next: (incidents) => {
      open = incidents;
      push();
    },
    error: (err: Error) => opts.onError(err),
  });
  running = { resyncRunbooks: runbooks.resync, resyncIncidents: push, stop: () => sub.unsubscribe() };
  return running;
}

let running: { resyncRunbooks: () => Promise<void>; resyncIncidents: () => void; stop: () => void } | null = null;

/** Tells main the library changed (folder picked, URL added); a no-op before the sync started. */
export function resyncRunbooks(): Promise<void> {
  return running?.resyncRunbooks() ?? Promise.resolve();
}
