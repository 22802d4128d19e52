import Dexie from 'dexie';

/**
 * Every schema version the app has shipped, exactly as it shipped, so an upgrade test opens a database
 * as an older app left it. Append a version when one ships; never edit one.
 */
const SHIPPED: ReadonlyArray<Record<string, string | null>> = [
  { pages: 'id, status, severity, receivedAt', events: '++seq, pageId, at' },
  { pages: 'id, status, severity, receivedAt, updatedAt, groupKey', deliveries: 'id, storedAt' },
  { rotaSources: 'id, kind', schedules: 'id, sourceId', overrides: 'id, scheduleId, start', prefs: 'key' },
  { pages: 'id, status, severity, receivedAt, updatedAt, groupKey, startsAt, resolvedAt, [status+startsAt], [groupKey+startsAt]', groups: 'groupKey, updatedAt' },
  { runbooks: 'key, path, origin', runbookSources: 'id', runs: 'id, incidentId, pageId, status, startedAt', incidents: 'id, status, createdAt', postmortems: 'id, incidentId, updatedAt' },
  { pages: 'id, status, receivedAt, updatedAt, groupKey, [groupKey+startsAt]', triage: 'key, [urgency+key], lastResolvedAt', groups: 'groupKey, updatedAt, truncatedAlerts' },
  { timeline: '++seq, *pageIds' },
  { events: null },
];

/** A database with the schema of shipped version `version` (1 to 8) and no upgrade functions. */
export function shippedDb(name: string, version: number): Dexie {
  if (version < 1 || version > SHIPPED.length) throw new Error(`no shipped schema version ${version}`);
  const db = new Dexie(name);
  SHIPPED.slice(0, version).forEach((stores, i) => db.version(i + 1).stores(stores));
  return db;
}
