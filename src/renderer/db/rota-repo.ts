import type { RotaSourceResult } from '../../core/ipc-contract';
import { locationProblem } from '../../core/ipc-semantics';
import { checkLayer } from '../../core/rota/engine';
import { RotaImportError, wrapRefusal } from '../../core/rota/errors';
import { scheduleSchema, type Override, type Schedule } from '../../core/rota/model';
import { describeIssues } from '../../core/validation';
import type { OnCallDb, Pref, RotaSource } from './database';

/** Adds a feed or folder source; main picks it up at the next rota sync. */
export async function addRotaSource(db: OnCallDb, source: { kind: 'file' | 'ical'; label: string; location: string }, id: string): Promise<string> {
  const location = source.location.trim();
  // the same rule main applies at the IPC boundary: https, plain http only on this machine
  if (source.kind === 'ical' && locationProblem('ical', location) !== null) throw new RotaImportError('feedAddress');
  if (source.kind === 'file' && !location) throw new RotaImportError('folderMissing');
  await db.rotaSources.add({ id, kind: source.kind, label: source.label.trim() || location, location, status: 'pending', error: null, etag: null, lastModified: null, checkedAt: null, updatedAt: null });
  return id;
}

/** Removes a source with its schedules and their overrides, in one transaction. */
export async function removeRotaSource(db: OnCallDb, id: string): Promise<void> {
  if (id === 'app') throw new Error('the in-app source cannot be removed');
  await db.transaction('rw', db.rotaSources, db.schedules, db.overrides, async () => {
    const ids = await db.schedules.where('sourceId').equals(id).primaryKeys();
    await db.overrides.where('scheduleId').anyOf(ids).delete();
    await db.schedules.bulkDelete(ids);
    await db.rotaSources.delete(id);
  });
}

/** Ids of overrides that came with a source (a rota file's own) start with this, so a refresh replaces exactly those. */
export function sourceOverridePrefix(sourceId: string): string {
  return `src:${sourceId}:`;
}

/** Whether an override came from a source file rather than from me. */
export function isSourceOverride(id: string): boolean {
  return id.startsWith('src:');
}

/**
 * Applies what main fetched or read. New schedules replace the source's old ones in one
 * transaction; an error only marks the source, so the last good rota stays in use.
 */
export async function applySourceResult(db: OnCallDb, result: RotaSourceResult): Promise<void> {
  await db.transaction('rw', db.rotaSources, db.schedules, db.overrides, async () => {
    const source = await db.rotaSources.get(result.sourceId);
    if (!source) return; // removed meanwhile
    if (result.status === 'error') {
      await db.rotaSources.update(source.id, { status: 'error', error: result.error });
      return;
    }
    if (result.status === 'unchanged') {
      await db.rotaSources.update(source.id, { status: 'ok', error: null, checkedAt: result.at });
      return;
    }
    const stale = await db.schedules.where('sourceId').equals(source.id).primaryKeys();
    await db.schedules.bulkDelete(stale);
    await db.schedules.bulkPut(result.schedules.map(({ overrides: _o, ...s }) => ({ ...s, sourceId: source.id })));
    // the source's own overrides (a rota file's `overrides:`) are replaced with it; mine stay
    const prefix = sourceOverridePrefix(source.id);
    await db.overrides.where('id').startsWith(prefix).delete();
    await db.overrides.bulkPut(result.schedules.flatMap((s) => s.overrides.map((o) => ({ ...o, id: `${prefix}${s.id}:${o.id}`, scheduleId: s.id }))));
    await db.rotaSources.update(source.id, { status: 'ok', error: null, etag: result.etag, lastModified: result.lastModified, checkedAt: result.at, updatedAt: result.at });
  });
}

/** Validates and saves a schedule edited in the app; a bad field is refused by name. */
export async function saveAppSchedule(db: OnCallDb, input: unknown): Promise<Schedule> {
  const parsed = scheduleSchema.safeParse(input);
  if (!parsed.success) throw new RotaImportError('scheduleField', { message: describeIssues(parsed.error) });
  const schedule = parsed.data;
  schedule.layers.forEach((l, i) => {
    try {
      checkLayer(l);
    } catch (err) {
      throw wrapRefusal('layerRotation', { index: i }, err);
    }
  });
  const existing = await db.schedules.get(schedule.id);
  if (existing && existing.sourceId !== 'app') throw new RotaImportError('notEditable', { id: schedule.id });
  const { overrides: _o, ...rest } = schedule;
  await db.schedules.put({ ...rest, sourceId: 'app' });
  return schedule;
}

/** Adds an override ("X covers [from, to)") to any schedule. */
export async function addOverride(db: OnCallDb, scheduleId: string, override: Override): Promise<void> {
  if (!override.person.trim()) throw new RotaImportError('overridePerson');
  if (!(override.end > override.start)) throw new RotaImportError('overrideEnd');
  if (!(await db.schedules.get(scheduleId))) throw new RotaImportError('noSchedule', { id: scheduleId });
  await db.overrides.put({ ...override, person: override.person.trim(), scheduleId });
}

/** Deletes a schedule edited in the app, with its overrides; feed and file schedules are removed with their source. */
export async function removeAppSchedule(db: OnCallDb, id: string): Promise<void> {
  await db.transaction('rw', db.schedules, db.overrides, async () => {
    const s = await db.schedules.get(id);
    if (!s) return;
    if (s.sourceId !== 'app') throw new RotaImportError('removeSource', { id });
    await db.overrides.where('scheduleId').equals(id).delete();
    await db.schedules.delete(id);
  });
}

/** Deletes an override. */
export async function removeOverride(db: OnCallDb, id: string): Promise<void> {
  await db.overrides.delete(id);
}

/** Every schedule with its overrides merged in, ready for the engine. */
export async function loadRota(db: OnCallDb): Promise<Schedule[]> {
  const [schedules, overrides] = await Promise.all([db.schedules.toArray(), db.overrides.orderBy('start').toArray()]);
  return schedules
    .sort((a, b) => a.name.localeCompare(b.name))
    .map(({ sourceId: _s, ...s }) => ({
      ...s,
      overrides: overrides.filter((o) => o.scheduleId === s.id).map(({ scheduleId: _id, ...o }) => o),
    }));
}

/** Overrides from now on, soonest first, for the list with Remove buttons. */
export async function upcomingOverrides(db: OnCallDb, now: number) {
  return db.overrides.filter((o) => o.end > now).sortBy('start');
}

/** Which schedules were made in the app (and so can be deleted here). */
export async function appScheduleIds(db: OnCallDb): Promise<string[]> {
  return db.schedules.where('sourceId').equals('app').primaryKeys();
}

/** All rota sources, the in-app one first. */
export async function listRotaSources(db: OnCallDb): Promise<RotaSource[]> {
  const all = await db.rotaSources.toArray();
  return all.sort((a, b) => (a.kind === 'app' ? -1 : b.kind === 'app' ? 1 : a.label.localeCompare(b.label)));
}

/** Preferences with defaults: who I am, reminder lead time, my time zone. */
export async function loadPrefs(db: OnCallDb, defaultZone: string): Promise<{ me: string; reminderLeadMinutes: number; timeZone: string }> {
  const rows = await db.prefs.toArray();
  const get = (k: Pref['key']) => rows.find((r) => r.key === k)?.value;
  const lead = Number(get('reminderLeadMinutes'));
  return { me: get('me') ?? '', reminderLeadMinutes: Number.isFinite(lead) && get('reminderLeadMinutes') !== undefined ? lead : 15, timeZone: get('timeZone') ?? defaultZone };
}

/** Saves one preference. */
export async function setPref(db: OnCallDb, key: Pref['key'], value: string): Promise<void> {
  await db.prefs.put({ key, value });
}
