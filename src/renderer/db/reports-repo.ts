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
