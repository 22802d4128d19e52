import { liveQuery } from 'dexie';
import { pickLanguage } from '../../../core/i18n';
import { locationProblem } from '../../../core/ipc-semantics';
import type { Bridge } from '../../bridge';
import type { OnCallDb } from '../../db/database';
import { applySourceResult, listRotaSources, loadPrefs, loadRota } from '../../db/rota-repo';

export interface RotaSyncDeps {
  api: Bridge;
  db: OnCallDb;
  defaultZone: string;
  language: () => string;
  onError: (err: Error) => void;
}

/**
 * Keeps main's copy of the rota current (for reminders and the tray) and stores what main
 * fetched. Returns `resync` for changes Dexie cannot see (the UI language) and a stop function.
 */
export function startRotaSync(deps: RotaSyncDeps): { resync: () => void; stop: () => void } {
  let last: Awaited<ReturnType<typeof snapshot>> | null = null;
  async function snapshot() {
    const [schedules, sources, prefs] = await Promise.all([loadRota(deps.db), listRotaSources(deps.db), loadPrefs(deps.db, deps.defaultZone)]);
    return { schedules, sources, prefs };
  }
  const push = () => {
    if (!last) return;
    const { schedules, sources, prefs } = last;
    deps.api
      .syncRota({
        // a source main would refuse (a plain-http feed added by an older version) must not hold back the rest
        sources: sources
          .filter((s) => s.kind !== 'app' && locationProblem(s.kind as 'ical' | 'file', s.location) === null)
          .map((s) => ({ id: s.id, kind: s.kind as 'ical' | 'file', location: s.location, etag: s.etag, lastModified: s.lastModified })),
        schedules,
        me: prefs.me,
        timeZone: prefs.timeZone,
        language: pickLanguage(deps.language()),
        reminderLeadMinutes: prefs.reminderLeadMinutes,
      })
      .catch((err: Error) => deps.onError(err));
  };
  const sub = liveQuery(snapshot).subscribe({
    next: (s) => {
      last = s;
      push();
    },
    error: (err: Error) => deps.onError(err),
  });
  const off = deps.api.onRotaSourceResult((result) => {
    applySourceResult(deps.db, result).catch((err: Error) => deps.onError(err));
  });
  return {
    resync: push,
    stop: () => {
      sub.unsubscribe();
      off();
    },
  };
}
