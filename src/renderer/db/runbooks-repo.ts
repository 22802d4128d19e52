import type { RunbookLibraryConfig, RunbookResult } from '../../core/runbooks/ipc-schemas';
import type { OnCallDb, RunbookSource, StoredRunbook } from './database';

const FOLDER = 'folder';

/** The library as main must watch and fetch it, from what is stored. */
export async function libraryConfig(db: OnCallDb): Promise<RunbookLibraryConfig> {
  const sources = await db.runbookSources.toArray();
  const folder = sources.find((s) => s.kind === 'folder')?.location ?? null;
  const urls = sources.filter((s) => s.kind === 'url').map((s) => ({ url: s.location, etag: s.etag, lastModified: s.lastModified }));
  return { folder, urls };
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
    const id = r.kind === 'url' ? r.url : FOLDER;
    const source = await db.runbookSources.get(id);
    // a result for a folder or URL the user has since removed or changed is dropped
    if (!source || (r.kind !== 'url' && source.location !== r.folder)) return;
    const next: RunbookSource = { ...source, checkedAt: r.at };
    if (r.kind === 'folder') {
      const keep = new Set([...r.runbooks.map((b) => b.path), ...r.problems.map((p) => p.path)]);
      const stale = (await db.runbooks.where('origin').equals('folder').primaryKeys()).filter((k) => !keep.has(k));
      await db.runbooks.bulkDelete(stale);
      await db.runbooks.bulkPut(r.runbooks.map((b): StoredRunbook => ({ ...b, key: b.path, origin: 'folder' })));
      Object.assign(next, { status: r.problems.length > 0 ? 'error' : 'ok', problems: r.problems });
    } else if (r.kind === 'folderError') {
      Object.assign(next, { status: 'error', problems: [r.problem] });
    } else if (r.status === 'updated') {
      await db.runbooks.put({ ...r.runbook, key: r.url, origin: 'url' });
      Object.assign(next, { status: 'ok', problems: [], etag: r.etag, lastModified: r.lastModified });
    } else if (r.status === 'unchanged') {
      Object.assign(next, { status: 'ok', problems: [] });
    } else {
      Object.assign(next, { status: 'error', problems: [r.problem] });
    }
    await db.runbookSources.put(next);
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
