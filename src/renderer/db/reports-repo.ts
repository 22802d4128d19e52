import Dexie from 'dexie';
import { ReportError } from '../../core/reports/errors';
import { editPostmortem, postmortemFromJson, type Postmortem, type PostmortemEdit } from '../../core/reports/postmortem';
import type { OnCallDb } from './database';

/** The postmortem draft of an incident, if one was started. */
export async function postmortemOfIncident(db: OnCallDb, incidentId: string): Promise<Postmortem | undefined> {
  return db.postmortems.where('incidentId').equals(incidentId).first();
}

/** Stores a new or prefilled draft. */
export async function savePostmortem(db: OnCallDb, pm: Postmortem): Promise<void> {
  await db.postmortems.put(pm);
}

/**
 * Autosave: applies an edit to the stored draft and stores it in one transaction, so two quick
 * edits never overwrite each other; a refused edit leaves the stored draft as it was.
 */
export async function editStoredPostmortem(db: OnCallDb, id: string, edit: PostmortemEdit, now: number): Promise<Postmortem> {
  return db.transaction('rw', db.postmortems, async () => {
    const stored = await db.postmortems.get(id);
    if (!stored) throw new Error(`no postmortem ${id}`);
    const next = editPostmortem(stored, edit, now);
    await db.postmortems.put(next);
    return next;
  });
}

/** Re-imports a postmortem from its JSON export (replacing a draft with the same id). */
export async function importPostmortemJson(db: OnCallDb, text: string): Promise<Postmortem> {
  const pm = postmortemFromJson(text);
  await db.postmortems.put(pm);
  return pm;
}

/**
 * A backup of the window's database: every table's records, the store definitions they were
 * written with, and that schema version, so a backup from an older app restores through the same
 * upgrades an old database on disk would take.
 */
export interface DatabaseBackup {
  format: 'on-call-companion-db';
  version: number;
  createdAt: number;
  schema: Record<string, string>;
  tables: Record<string, unknown[]>;
}

/** Every table of the database, read in one transaction so the copy is consistent. */
export async function exportDatabase(db: OnCallDb, now: number): Promise<DatabaseBackup> {
  await db.open();
  const schema: Record<string, string> = {};
  const tables: Record<string, unknown[]> = {};
  await db.transaction('r', db.tables, async () => {
    for (const table of db.tables) {
      schema[table.name] = [table.schema.primKey.src, ...table.schema.indexes.map((i) => i.src)].join(', ');
      tables[table.name] = await table.toArray();
    }
  });
  return { format: 'on-call-companion-db', version: db.verno, createdAt: now, schema, tables };
}

function checkBackup(data: unknown): DatabaseBackup {
  const b = data as Partial<DatabaseBackup> | null;
  const ok = b !== null && typeof b === 'object' && b.format === 'on-call-companion-db' && Number.isInteger(b.version) && b.version! >= 1 && typeof b.schema === 'object' && typeof b.tables === 'object';
  if (!ok) throw new ReportError('schemaMismatch', { field: 'format', reason: 'not an On-Call Companion database backup' });
  for (const [name, rows] of Object.entries(b.tables!)) {
    if (!Array.isArray(rows)) throw new ReportError('schemaMismatch', { field: `tables.${name}`, reason: 'not a list' });
    if (!(name in b.schema!)) throw new ReportError('schemaMismatch', { field: `schema.${name}`, reason: 'missing' });
  }
  return b as DatabaseBackup;
}

/** A checked backup, upgraded to this app's schema on the side, ready to replace the live tables. */
export interface PreparedRestore {
  tables: Map<string, unknown[]>;
}

/**
 * Checks a backup and upgrades it without touching the live database: it is written to a
 * scratch database at its own schema version and upgraded there exactly as an old database on
 * disk would be. A backup that cannot be restored fails here, before main changes anything.
 */
export async function prepareRestore(db: OnCallDb, data: unknown, scratchName = `${db.name}-restore`): Promise<PreparedRestore> {
  const backup = checkBackup(data);
  await Dexie.delete(scratchName);
  const old = new Dexie(scratchName);
  old.version(backup.version).stores(backup.schema);
  await old.open();
  await old.transaction('rw', old.tables, async () => {
    for (const table of old.tables) await table.bulkPut(backup.tables[table.name] ?? []);
  });
  old.close();
  const upgraded = new (db.constructor as new (name: string) => OnCallDb)(scratchName);
  try {
    await upgraded.open();
    const tables = new Map<string, unknown[]>();
    for (const table of upgraded.tables) tables.set(table.name, await table.toArray());
    return { tables };
  } finally {
    upgraded.close();
    await Dexie.delete(scratchName);
  }
}

/** Replaces every live table with the prepared copy, in one transaction: all of it or nothing. */
export async function commitRestore(db: OnCallDb, prepared: PreparedRestore): Promise<void> {
  await db.open();
  await db.transaction('rw', db.tables, async () => {
    for (const table of db.tables) {
      await table.clear();
      await table.bulkPut(prepared.tables.get(table.name) ?? []);
    }
  });
}

/** Restores a backup over the database: prepared on the side first, so a bad backup changes nothing. */
export async function restoreDatabase(db: OnCallDb, data: unknown, scratchName = `${db.name}-restore`): Promise<void> {
  await commitRestore(db, await prepareRestore(db, data, scratchName));
}
