import { MAX_RUNBOOK_FILES, type RunbookLibraryConfig, type RunbookResult } from '../../core/runbooks/ipc-schemas';
import type { OnCallDb, RunbookSource, StoredRunbook } from './database';

const FOLDER = 'folder';

/** A library source as stored: the folder, one https URL, or one single file (id and location are its absolute path). */
export type LibrarySource = RunbookSource;
/** A stored runbook; a single file's is keyed by its absolute path with origin 'file'. */
export type LibraryRunbook = StoredRunbook;
const sourcesOf = (db: OnCallDb) => db.runbookSources;
const runbooksOf = (db: OnCallDb) => db.runbooks;

/** The library as main must watch and fetch it, from what is stored. */
export async function libraryConfig(db: OnCallDb): Promise<RunbookLibraryConfig> {
  const sources = await sourcesOf(db).toArray();
  const folder = sources.find((s) => s.kind === 'folder')?.location ?? null;
  const files = sources.filter((s) => s.kind === 'file').map((s) => s.location);
  const urls = sources.filter((s) => s.kind === 'url').map((s) => ({ url: s.location, etag: s.etag, lastModified: s.lastModified }));
  return { folder, files, urls };
}

/** Adds single runbook files by absolute path (already-added ones are left as they are); main reads and watches them on the next configure. */
export async function addRunbookFiles(db: OnCallDb, files: readonly string[]): Promise<void> {
  await db.transaction('rw', db.runbookSources, async () => {
    const table = sourcesOf(db);
    const have = (await table.toArray()).filter((s) => s.kind === 'file').length;
    const fresh: LibrarySource[] = [];
    for (const file of new Set(files)) {
      if (file.trim() === '' || (await table.get(file))) continue;
      fresh.push({ id: file, kind: 'file', location: file, etag: null, lastModified: null, status: 'pending', problems: [], checkedAt: null });
    }
    if (have + fresh.length > MAX_RUNBOOK_FILES) throw new RangeError(`at most ${MAX_RUNBOOK_FILES} single runbook files`);
    await table.bulkPut(fresh);
  });
}

/** Removes a single runbook file and its stored copy (the file itself is left alone). */
export async function removeRunbookFile(db: OnCallDb, file: string): Promise<void> {
  await db.transaction('rw', db.runbookSources, db.runbooks, async () => {
    const source = await sourcesOf(db).get(file);
    if (source?.kind !== 'file') return;
    await sourcesOf(db).delete(file);
    await db.runbooks.delete(file);
  });
}

/** Picks (or clears) the library folder; the runbooks of the old folder go with it. */
export async function setLibraryFolder(db: OnCallDb, folder: string | null): Promise<void> {
  await db.transaction('rw', db.runbookSources, db.runbooks, async () => {
    const old = await db.runbookSources.get(FOLDER);
    if (old?.location === folder) return;
    await db.runbooks.where('origin').equals('folder').delete();
    if (folder === null) return void (await db.runbookSources.delete(FOLDER));
    await db.runbookSources.put({ id: FOLDER, kind: 'folder', location: folder, etag: null, lastModified: null, status: 'pending', problems: [], checkedAt: null });
  });
}

/** Adds an https runbook; main fetches it on the next configure. */
export async function addRunbookUrl(db: OnCallDb, url: string): Promise<void> {
  const location = url.trim();
  if (await db.runbookSources.get(location)) return;
  await db.runbookSources.put({ id: location, kind: 'url', location, etag: null, lastModified: null, status: 'pending', problems: [], checkedAt: null });
}

/** Removes an https runbook and its stored copy. */
export async function removeRunbookUrl(db: OnCallDb, url: string): Promise<void> {
  await db.transaction('rw', db.runbookSources, db.runbooks, async () => {
    await db.runbookSources.delete(url);
    await db.runbooks.delete(url);
  });
}

/**
 * Stores what main found. A folder scan replaces the folder's runbooks, except that a file main
 * could not read keeps its stored copy (main may have restarted and lost its own); a vanished
 * folder or a failed fetch only marks the source, and the last good copies stay.
 */
export async function applyRunbookResult(db: OnCallDb, r: RunbookResult): Promise<void> {
  await db.transaction('rw', db.runbookSources, db.runbooks, async () => {
    const id = r.kind === 'url' ? r.url : r.kind === 'file' ? r.file : FOLDER;
    const source = await sourcesOf(db).get(id);
    // a result for a folder, file or URL the user has since removed or changed is dropped
    if (!source || (r.kind === 'folder' || r.kind === 'folderError' ? source.location !== r.folder : source.kind !== r.kind)) return;
    const next: LibrarySource = { ...source, checkedAt: r.at };
    if (r.kind === 'folder') {
      const keep = new Set([...r.runbooks.map((b) => b.path), ...r.problems.map((p) => p.path)]);
      const stale = (await db.runbooks.where('origin').equals('folder').primaryKeys()).filter((k) => !keep.has(k));
      await db.runbooks.bulkDelete(stale);
      // an outline (listed and matchable, not yet parsed) never replaces a full copy stored before
      const outlined = r.runbooks.filter((b) => b.outline).map((b) => b.path);
      const stored = outlined.length > 0 ? await db.runbooks.bulkGet(outlined) : [];
      const full = new Set(stored.filter((s) => s !== undefined && !s.outline).map((s) => s!.key));
      await db.runbooks.bulkPut(r.runbooks.filter((b) => !full.has(b.path)).map((b): StoredRunbook => ({ ...b, key: b.path, origin: 'folder' })));
      Object.assign(next, { status: r.problems.length > 0 ? 'error' : 'ok', problems: r.problems });
    } else if (r.kind === 'folderError') {
      Object.assign(next, { status: 'error', problems: [r.problem] });
    } else if (r.kind === 'file') {
      // a file that broke or vanished only marks its source: the stored copy stays in use
      if (r.status === 'updated') await runbooksOf(db).put({ ...r.runbook, key: r.file, origin: 'file' });
      Object.assign(next, r.status === 'error' ? { status: 'error', problems: [r.problem] } : { status: 'ok', problems: [] });
    } else if (r.status === 'updated') {
      await db.runbooks.put({ ...r.runbook, key: r.url, origin: 'url' });
      Object.assign(next, { status: 'ok', problems: [], etag: r.etag, lastModified: r.lastModified });
    } else if (r.status === 'unchanged') {
      Object.assign(next, { status: 'ok', problems: [] });
    } else {
      Object.assign(next, { status: 'error', problems: [r.problem] });
    }
    await sourcesOf(db).put(next);
  });
}

/** What the sync needs from main. */
export interface RunbookSyncApi {
  configureRunbooks(config: RunbookLibraryConfig): Promise<void>;
  onRunbookResult(listener: (r: RunbookResult) => void): () => void;
}

/**
 * Keeps main's library in step with the stored sources and stores what main finds. Call
 * `resync()` after the user changes the folder or the URLs.
 */
export function startRunbookSync(opts: { api: RunbookSyncApi; db: OnCallDb; onError: (err: Error) => void }) {
  let chain = Promise.resolve();
  const off = opts.api.onRunbookResult((r) => {
    chain = chain.then(() => applyRunbookResult(opts.db, r)).catch(opts.onError);
  });
  const resync = () =>
    libraryConfig(opts.db)
      .then((c) => opts.api.configureRunbooks(c))
      .catch(opts.onError);
  void resync();
  return { resync, stop: off, settled: () => chain };
}
