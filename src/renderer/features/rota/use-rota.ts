import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useState } from 'react';
import { db } from '../../db/instance';
import { listRotaSources, loadPrefs, loadRota } from '../../db/rota-repo';

/** The engineer's own time zone, as the system reports it. */
export const systemZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;

/** All schedules with overrides, live. */
export function useRota() {
  return useLiveQuery(() => loadRota(db), []);
}

/** All rota sources, live. */
export function useRotaSources() {
  return useLiveQuery(() => listRotaSources(db), []);
}

/** Preferences (me, lead time, zone), live. */
export function usePrefs() {
  return useLiveQuery(() => loadPrefs(db, systemZone()), []);
}

/** The current time, refreshed every `intervalMs` so countdowns move. */
export function useNow(intervalMs = 15_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(id);
  }, [intervalMs]);
  return now;
}
