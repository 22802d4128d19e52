import { describe, expect, it } from 'vitest';
import { applyIncidentAction, createIncident } from '../../../../src/core/incidents/incident';
import type { IncidentsSync } from '../../../../src/core/incidents/ipc-schemas';
import type { RunbookLibraryConfig } from '../../../../src/core/runbooks/ipc-schemas';
import { OnCallDb } from '../../../../src/renderer/db/database';
import { setLibraryFolder } from '../../../../src/renderer/db/runbooks-repo';
import { startWorkSync } from '../../../../src/renderer/features/runbooks/work-state';

let n = 0;

/** Resolves once `pred` holds for the newest sync main received. */
function recorder() {
  const syncs: IncidentsSync[] = [];
  const configs: RunbookLibraryConfig[] = [];
  const waiters: Array<() => void> = [];
  return {
    syncs,
    configs,
    api: {
      syncIncidents: async (s: IncidentsSync) => {
        syncs.push(s);
        waiters.splice(0).forEach((w) => w());
      },
      configureRunbooks: async (c: RunbookLibraryConfig) => void configs.push(c),
      onRunbookResult: () => () => undefined,
    },
    until(pred: (s: IncidentsSync) => boolean): Promise<void> {
      return new Promise((resolve) => {
        const check = () => (syncs.length > 0 && pred(syncs.at(-1)!) ? resolve() : waiters.push(check));
        check();
      });
    },
  };
}

describe('work sync with main', () => {
  it('sends main the open incidents whenever they change, and stops sending one once it is resolved', async () => {
    const db = new OnCallDb(`work-${++n}`);
    await setLibraryFolder(db, '/ops');
    const rec = recorder();
    const sync = startWorkSync({ api: rec.api, db, timeZone: 'Europe/Berlin', language: () => 'de', onError: (e) => Promise.reject(e) });
    await rec.until((s) => s.incidents.length === 0);
    expect(rec.syncs[0]).toEqual({ incidents: [], checklistTimeZone: 'Europe/Berlin', language: 'de' });

    const { incident } = createIncident({ id: 'i1', by: 'ann', title: 'Checkout down', severity: 'P1' }, 1_000);
    await db.incidents.put(incident);
    await rec.until((s) => s.incidents.length === 1);
    expect(rec.syncs.at(-1)!.incidents[0]).toEqual({ id: 'i1', title: 'Checkout down', severity: 'P1', status: 'investigating', createdAt: 1_000, lastStatusUpdateAt: null, updateIntervalMinutes: incident.updateIntervalMinutes });

    const updated = applyIncidentAction(incident, { type: 'postUpdate', by: 'ann', text: 'Rolling back' }, 5_000).incident;
    await db.incidents.put(updated);
    await rec.until((s) => s.incidents[0]?.lastStatusUpdateAt === 5_000);

    await db.incidents.put(applyIncidentAction(updated, { type: 'setStatus', by: 'ann', status: 'resolved' }, 9_000).incident);
    await rec.until((s) => s.incidents.length === 0);
    // the library folder was configured once at start
    expect(rec.configs).toEqual([{ folder: '/ops', files: [], urls: [] }]);
    sync.stop();
  });
});
