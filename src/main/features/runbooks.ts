import * as fs from 'node:fs';
import * as path from 'node:path';
import { contentHash } from '../../core/runbooks/hash';
import type { RunbookLibraryConfig, RunbookLibraryInput, RunbookProblem, RunbookResult, RunbookUrlRef } from '../../core/runbooks/ipc-schemas';
import type { Runbook } from '../../core/runbooks/model';
import { applyFetch, checkRunbookUrl, conditionalHeaders, type FetchOutcome } from '../../core/runbooks/remote';
import type { Clock, Logger, RendererEvents } from '../adapters';
import { dnsLookup, fetchFeed, type HostLookup } from '../import/bounded-fetch';
import { ImportError } from '../import/errors';
import type { ImportService } from '../import/import-service';
import { jobFailure } from '../import/job-error';
import { packRunbookBatch } from '../import/jobs';
import { readBoundedFile } from '../import/read-bounded';
import type { Timers } from './rota';

/** A runbook file bigger than this is refused unread (the parser refuses 2 MiB of text anyway). */
export const MAX_RUNBOOK_FILE_BYTES = 4 * 1024 * 1024;
/** A library with more Markdown files than this is cut off there: ops repos hold hundreds, not tens of thousands. */
export const MAX_LIBRARY_FILES = 5_000;
/** URLs are refetched this often; ETag makes an unchanged runbook cost a 304. */
export const DEFAULT_URL_POLL_MS = 15 * 60_000;
/**
 * A batch for a worker closes at this many bytes: ~5 typical runbooks, a few tens of milliseconds
 * of parsing. Small enough that the first batch leaves early in the read, two workers share a
 * folder evenly (neither idles long at the end), a worker slowed down by the rest of the machine
 * takes fewer, and the outlines wait little for a free worker; big enough that the round trips
 * (under a millisecond each) cost nothing noticeable.
 */
export const BATCH_BYTES = 16 * 1024;
/** A first scan with more changed bytes than this is listed from outlines before it is parsed: ~40 runbooks. */
const OUTLINE_BYTES = 128 * 1024;
/** Files read at once during a scan: enough to keep the disk busy while the worker parses. */
const READ_CONCURRENCY = 16;
const MARKDOWN = /\.(md|markdown)$/i;
const SKIP_DIRS = new Set(['.git', 'node_modules', '.github']);

/** The library folder as main needs it; reads are bounded. */
export interface RunbookFs {
  /** Markdown files under the folder as library paths with forward slashes. Throws when the folder is gone. */
  list(folder: string): Promise<string[]>;
  read(folder: string, rel: string): Promise<Uint8Array>;
  watch(folder: string, onChange: () => void): () => void;
  /** One runbook file picked on its own, by absolute path; bounded, regular files only. */
  readFile(file: string): Promise<Uint8Array>;
  /** Watches one file, including when an editor saves by writing a new file and renaming it over. */
  watchFile(file: string, onChange: () => void): () => void;
}

/** What the runbook library in main needs; all injectable for tests. */
export interface RunbooksDeps {
  clock: Clock;
  timers: Timers;
  fetch: typeof fetch;
  events: RendererEvents;
  logger: Logger;
  imports: ImportService;
  fs?: RunbookFs;
  lookup?: HostLookup;
  pollMs?: number;
  /** Asks the user for runbook files (Electron's open dialog, several allowed); empty when cancelled. */
  pickFiles?: () => Promise<string[]>;
  /**
   * The single files the user picked in main's own dialog, kept in main's data folder. With it,
   * main reads only those: the list the window configures is not trusted to name files.
   */
  picked?: { load(): string[]; save(files: readonly string[]): void };
}

/**
 * Like the folder scan, only Markdown files, by absolute path: the list comes from the window,
 * and main must not read (or watch) whatever file a compromised window names.
 */
export function isSingleRunbookFile(file: string): boolean {
  return MARKDOWN.test(file) && path.isAbsolute(file);
}

/** A single file that could not be used: a vanished file says so, anything else names the file too. */
export function fileProblem(file: string, err: unknown): RunbookProblem {
  const code = (err as { code?: unknown })?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return { path: file, code: 'runbooks.library.fileMissing', params: { path: file } };
  const p = problemOf(file, err);
  // the parser names the file by its library path (the bare name); the user needs the whole path
  return { ...p, params: { ...p.params, path: file } };
}

/**
 * Runs `task` one at a time; a trigger while it runs asks for exactly one more run afterwards, so
 * a burst of watch events costs at most two reads.
 */
function serial(task: () => Promise<void>): { trigger: () => Promise<void>; idle: () => Promise<void> } {
  let running: Promise<void> | null = null;
  let again = false;
  const trigger = (): Promise<void> => {
    if (running) {
      again = true;
      return running;
    }
    running = task().finally(() => {
      running = null;
      if (again) {
        again = false;
        void trigger();
      }
    });
    return running;
  };
  return { trigger, idle: () => running ?? Promise.resolve() };
}

/** Turns any failure into a typed problem: the runbook's own code, or the import service's (time budget, size). */
export function problemOf(filePath: string, err: unknown): RunbookProblem {
  if (err instanceof ImportError) {
    const { jobCode, message: _m, jobError: _j, ...rest } = err.params as Record<string, string | number>;
    if (typeof jobCode === 'string') return { path: filePath, code: `runbooks.errors.${jobCode}`, params: { path: filePath, ...rest } };
    return { path: filePath, code: err.code, params: { path: filePath, ...err.params } };
  }
  const e = err as { code?: unknown; params?: unknown; message?: string };
  if (typeof e?.code === 'string' && e.code.length < 40 && !e.code.startsWith('E')) return { path: filePath, code: `runbooks.errors.${e.code}`, params: { path: filePath, ...(e.params as Record<string, string | number>) } };
  return { path: filePath, code: 'runbooks.library.unreadable', params: { path: filePath, reason: String(e?.message ?? err).slice(0, 300) } };
}

/**
 * The runbook library in main: scans and watches the folder the user picked and each single file
 * picked on its own, parses in the import worker (within its time budget; a big folder is sent as
 * outlines first, then parsed in batches), fetches https runbooks with ETag, and sends the
 * renderer what it found. A file that fails keeps its last good copy; a folder or file that
 * vanishes is reported and the renderer keeps what it has.
 */
export function setupRunbooks(deps: RunbooksDeps) {
  const files = deps.fs ?? nodeRunbookFs;
  const picked = deps.picked ? new Set(deps.picked.load()) : null;
  /** A single file main may read: Markdown by full path, and (with a picked list) picked in its dialog. */
  const allowed = (file: string) => isSingleRunbookFile(file) && (picked === null || picked.has(file));
  let config: RunbookLibraryConfig = { folder: null, files: [], urls: [] };
  /** Last good parse per library path, so a rescan parses only what changed. */
  let parsed = new Map<string, Runbook>();
  let unwatch: (() => void) | null = null;
  let debounce: unknown = null;
  let pollTimer: unknown = null;
  let scanning: Promise<void> | null = null;
  let rescan = false;
  const emit = (r: RunbookResult) => deps.events.emit('runbooks:result', r);
  /** Single files: each its own watch, serialized reads, and last good parse. */
  const singles = new Map<string, { unwatch: (() => void) | null; debounce: unknown; reader: ReturnType<typeof serial>; last: Runbook | null }>();

  async function parseOne(rel: string, bytes: Uint8Array, url: string | null): Promise<Runbook> {
    return deps.imports.run('runbook', { bytes, path: rel, url });
  }

  /**
   * Parses many files in one worker round trip. A batch that as a whole runs over the budget or
   * kills the worker (one hostile file among forty) is parsed again file by file, so only the
   * culprit fails.
   */
  async function parseBatch(items: ReadonlyArray<{ rel: string; bytes: Uint8Array }>): Promise<Array<Runbook | Error>> {
    const single = (i: { rel: string; bytes: Uint8Array }) => parseOne(i.rel, i.bytes, null).catch((err: Error) => err);
    if (items.length === 1) return [await single(items[0]!)];
    try {
      const outcomes = await deps.imports.run('runbooks', packRunbookBatch(items.map((i) => ({ path: i.rel, bytes: i.bytes }))));
      return outcomes.map((o) => (o.ok ? o.runbook : jobFailure(o.error)));
    } catch {
      return Promise.all(items.map(single));
    }
  }

  /** Outlines (front matter and title) of many files in one worker job; null when even that fails. */
  async function outlineBatch(items: ReadonlyArray<{ rel: string; bytes: Uint8Array }>): Promise<Array<Runbook | Error> | null> {
    try {
      const outcomes = await deps.imports.run('runbook-outlines', packRunbookBatch(items.map((i) => ({ path: i.rel, bytes: i.bytes }))), { first: true });
      return outcomes.map((o) => (o.ok ? o.runbook : jobFailure(o.error)));
    } catch {
      return null; // the full parse below reports what is wrong, file by file
    }
  }

  async function scanFolder(folder: string): Promise<void> {
    const at = deps.clock.now();
    let paths: string[];
    try {
      paths = await files.list(folder);
    } catch (err) {
      deps.logger.error(`runbooks: cannot read folder ${folder}: ${(err as Error).message}`);
      return emit({ kind: 'folderError', folder, at, problem: { path: folder, code: 'runbooks.library.folderMissing', params: { folder, reason: (err as Error).message.slice(0, 300) } } });
    }
    // Reads run a few at a time; what is unchanged since the last scan is reused, not parsed. What
    // changed goes to the workers in batches while the rest is still being read, so the disk and
    // both workers are busy at once.
    const outcome = new Map<string, Runbook | Error>();
    const fresh: Array<{ rel: string; bytes: Uint8Array }> = [];
    const batches: Array<Promise<void>> = [];
    let batch: Array<{ rel: string; bytes: Uint8Array }> = [];
    let batchBytes = 0;
    const send = () => {
      const items = batch;
      batch = [];
      batchBytes = 0;
      if (items.length > 0) batches.push(parseBatch(items).then((results) => results.forEach((r, k) => outcome.set(items[k]!.rel, r))));
    };
    let nextPath = 0;
    const reader = async () => {
      while (nextPath < paths.length) {
        const rel = paths[nextPath++]!;
        const old = parsed.get(rel);
        try {
          const bytes = await files.read(folder, rel);
          if (old && old.version === contentHash(new TextDecoder('utf-8', { fatal: false }).decode(bytes))) {
            outcome.set(rel, old);
            continue;
          }
          fresh.push({ rel, bytes });
          batch.push({ rel, bytes });
          batchBytes += bytes.byteLength;
          if (batchBytes >= BATCH_BYTES) send();
        } catch (err) {
          outcome.set(rel, err instanceof Error ? err : new Error(String(err)));
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, paths.length) }, reader));
    send();
    const assemble = (results: ReadonlyMap<string, Runbook | Error>) => {
      const runbooks: Runbook[] = [];
      const problems: RunbookProblem[] = [];
      for (const rel of paths) {
        const result = results.get(rel);
        const old = parsed.get(rel);
        if (result instanceof Error) problems.push(problemOf(rel, result));
        const good = result instanceof Error || result === undefined ? old : result;
        if (good) runbooks.push(good);
      }
      return { runbooks, problems };
    };

    // A big first scan (a folder just picked, or the first after a restart) is listed and
    // matchable from its outlines at once, ahead of the batches still waiting for a worker.
    const freshBytes = fresh.reduce((n, f) => n + f.bytes.byteLength, 0);
    if (freshBytes > OUTLINE_BYTES) {
      const waiting = fresh.filter((f) => !outcome.has(f.rel));
      const outlines = waiting.length > 0 ? await outlineBatch(waiting) : null;
      if (config.folder !== folder) return;
      if (outlines && waiting.some((f) => !outcome.has(f.rel))) {
        const early = new Map(outcome);
        // a stale full copy stays usable until the new one is parsed; an outline only fills gaps
        waiting.forEach((f, i) => {
          if (!early.has(f.rel)) early.set(f.rel, parsed.get(f.rel) ?? outlines[i]!);
        });
        emit({ kind: 'folder', folder, at, ...assemble(early) });
      }
    }

    await Promise.all(batches);
    if (config.folder !== folder) return; // the user picked another folder meanwhile
    const done = assemble(outcome);
    parsed = new Map(done.runbooks.map((r) => [r.path, r]));
    emit({ kind: 'folder', folder, at, ...done });
  }

  /** One scan at a time; changes during a scan trigger exactly one more. */
  function scan(): Promise<void> {
    const folder = config.folder;
    if (!folder) return Promise.resolve();
    if (scanning) {
      rescan = true;
      return scanning;
    }
    scanning = scanFolder(folder).finally(() => {
      scanning = null;
      if (rescan) {
        rescan = false;
        void scan();
      }
    });
    return scanning;
  }

  async function fetchUrl(ref: RunbookUrlRef): Promise<void> {
    const at = deps.clock.now();
    try {
      checkRunbookUrl(ref.url);
    } catch (err) {
      return emit({ kind: 'url', url: ref.url, at, status: 'error', problem: problemOf(ref.url, err) });
    }
    const stored = ref.etag || ref.lastModified ? { url: ref.url, etag: ref.etag, lastModified: ref.lastModified, text: '', version: '', fetchedAt: 0, checkedAt: 0 } : null;
    let outcome: FetchOutcome;
    try {
      const res = await fetchFeed(ref.url, { fetch: deps.fetch, maxBytes: MAX_RUNBOOK_FILE_BYTES, headers: conditionalHeaders(stored), signal: AbortSignal.timeout(30_000), lookup: deps.lookup ?? dnsLookup });
      outcome = res.status === 'unchanged' ? { kind: 'response', status: 304, etag: ref.etag, lastModified: ref.lastModified, contentType: null, body: '' } : { kind: 'response', status: 200, etag: res.etag, lastModified: res.lastModified, contentType: null, body: new TextDecoder().decode(res.bytes) };
    } catch (err) {
      return emit({ kind: 'url', url: ref.url, at, status: 'error', problem: problemOf(ref.url, err) });
    }
    const refresh = applyFetch(stored, ref.url, outcome, at);
    if (refresh.problem) return emit({ kind: 'url', url: ref.url, at, status: 'error', problem: { path: ref.url, code: `runbooks.remote.${refresh.problem.code}`, params: refresh.problem.params } });
    if (!refresh.changed || !refresh.copy) return emit({ kind: 'url', url: ref.url, at, status: 'unchanged' });
    try {
      const name = new URL(ref.url).pathname.split('/').filter(Boolean).at(-1) ?? 'runbook.md';
      const runbook = await parseOne(name, new TextEncoder().encode(refresh.copy.text), ref.url);
      emit({ kind: 'url', url: ref.url, at, status: 'updated', runbook, etag: refresh.copy.etag, lastModified: refresh.copy.lastModified });
    } catch (err) {
      emit({ kind: 'url', url: ref.url, at, status: 'error', problem: problemOf(ref.url, err) });
    }
  }

  async function readSingle(file: string): Promise<void> {
    const at = deps.clock.now();
    const entry = singles.get(file);
    if (!entry) return;
    if (!isSingleRunbookFile(file)) return emit({ kind: 'file', file, at, status: 'error', problem: { path: file, code: 'runbooks.library.notMarkdownFile', params: { path: file } } });
    if (!allowed(file)) return emit({ kind: 'file', file, at, status: 'error', problem: { path: file, code: 'runbooks.library.notPicked', params: { path: file } } });
    let bytes: Uint8Array;
    try {
      bytes = await files.readFile(file);
    } catch (err) {
      if (singles.get(file) !== entry) return; // removed meanwhile
      deps.logger.error(`runbooks: cannot read ${file}: ${(err as Error).message}`);
      return emit({ kind: 'file', file, at, status: 'error', problem: fileProblem(file, err) });
    }
    const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
    if (entry.last && entry.last.version === contentHash(text)) return emit({ kind: 'file', file, at, status: 'unchanged' });
    try {
      // its full path is its identity: two picked README.md files, or one beside a folder runbook of
      // the same name, must not be confused; matching by file name uses the path's last segment anyway
      const runbook = await parseOne(file.replace(/\\/g, '/'), bytes, null);
      if (singles.get(file) !== entry) return;
      entry.last = runbook;
      emit({ kind: 'file', file, at, status: 'updated', runbook });
    } catch (err) {
      if (singles.get(file) !== entry) return;
      emit({ kind: 'file', file, at, status: 'error', problem: fileProblem(file, err) });
    }
  }

  function addSingle(file: string): void {
    const entry = { unwatch: null as (() => void) | null, debounce: null as unknown, reader: serial(() => readSingle(file)), last: null as Runbook | null };
    singles.set(file, entry);
    if (!allowed(file)) return void entry.reader.trigger(); // refused unread and unwatched
    try {
      entry.unwatch = files.watchFile(file, () => {
        deps.timers.clearTimeout(entry.debounce);
        entry.debounce = deps.timers.setTimeout(() => void entry.reader.trigger(), 300);
      });
    } catch (err) {
      // not there right now: the read says so, and Read again or the next start tries again
      deps.logger.error(`runbooks: cannot watch ${file}: ${(err as Error).message}`);
    }
    void entry.reader.trigger();
  }

  function removeSingle(file: string): void {
    const entry = singles.get(file);
    if (!entry) return;
    singles.delete(file);
    entry.unwatch?.();
    deps.timers.clearTimeout(entry.debounce);
  }

  function readAllSingles(): void {
    for (const entry of singles.values()) void entry.reader.trigger();
  }

  function pollUrls(): void {
    deps.timers.clearTimeout(pollTimer);
    for (const ref of config.urls) void fetchUrl(ref);
    if (config.urls.length > 0) pollTimer = deps.timers.setTimeout(pollUrls, deps.pollMs ?? DEFAULT_URL_POLL_MS);
  }

  function watchFolder(folder: string | null): void {
    unwatch?.();
    unwatch = null;
    if (!folder) return;
    try {
      unwatch = files.watch(folder, () => {
        // editors and git write files in several steps; read once they are done
        deps.timers.clearTimeout(debounce);
        debounce = deps.timers.setTimeout(() => void scan(), 300);
      });
    } catch (err) {
      deps.logger.error(`runbooks: cannot watch ${folder}: ${(err as Error).message}`);
    }
  }

  return {
    handlers: {
      'runbooks:configure': (input: RunbookLibraryInput) => {
        // the renderer configures at start: the worker loads and warms up before a folder is picked
        deps.imports.warm?.();
        const next: RunbookLibraryConfig = { ...input, files: [...new Set(input.files ?? [])] };
        const folderChanged = next.folder !== config.folder;
        const known = new Set(config.urls.map((u) => u.url));
        const fresh = next.urls.filter((u) => !known.has(u.url));
        config = next;
        for (const file of [...singles.keys()]) if (!next.files.includes(file)) removeSingle(file);
        for (const file of next.files) if (!singles.has(file)) addSingle(file);
        if (folderChanged) {
          parsed = new Map();
          watchFolder(next.folder);
          void scan();
        }
        for (const ref of fresh) void fetchUrl(ref);
        deps.timers.clearTimeout(pollTimer);
        if (config.urls.length > 0) pollTimer = deps.timers.setTimeout(pollUrls, deps.pollMs ?? DEFAULT_URL_POLL_MS);
      },
      'runbooks:refresh': () => {
        void scan();
        readAllSingles();
        pollUrls();
      },
      /** The open dialog for single runbook files; the renderer stores what was picked and configures. */
      'runbooks:pick-files': async (): Promise<{ files: string[] }> => {
        const chosen = deps.pickFiles ? await deps.pickFiles() : [];
        if (picked && chosen.some((f) => !picked.has(f))) {
          for (const f of chosen) picked.add(f);
          deps.picked!.save([...picked]);
        }
        return { files: chosen };
      },
    },
    /** Resolves when the current folder scan (if any) is done; for tests and shutdown. */
    idle: async (): Promise<void> => {
      await (scanning ?? Promise.resolve());
      await Promise.all([...singles.values()].map((e) => e.reader.idle()));
    },
    /** After sleep: rescan and refetch, since the watch may have missed changes. */
    resume(): void {
      void scan();
      readAllSingles();
      pollUrls();
    },
    stop(): void {
      unwatch?.();
      unwatch = null;
      for (const file of [...singles.keys()]) removeSingle(file);
      deps.timers.clearTimeout(debounce);
      deps.timers.clearTimeout(pollTimer);
    },
  };
}

async function listMarkdown(root: string): Promise<string[]> {
  const out: string[] = [];
  const stat = await fs.promises.stat(root);
  if (!stat.isDirectory()) throw new Error(`${root} is not a folder`);
  const walk = async (dir: string, rel: string, depth: number): Promise<void> => {
    if (depth > 12 || out.length >= MAX_LIBRARY_FILES) return;
    const entries = await fs.promises.readdir(dir, { withFileTypes: true });
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      if (out.length >= MAX_LIBRARY_FILES) return;
      const childRel = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory() && !SKIP_DIRS.has(e.name)) await walk(path.join(dir, e.name), childRel, depth + 1);
      else if ((e.isFile() || e.isSymbolicLink()) && MARKDOWN.test(e.name)) out.push(childRel);
    }
  };
  await walk(root, '', 0);
  return out;
}

/** The library folder on disk: Markdown files found recursively, regular files only, a recursive watch. */
export const nodeRunbookFs: RunbookFs = {
  list: listMarkdown,
  async read(folder, rel) {
    const file = path.resolve(folder, rel);
    if (!file.startsWith(path.resolve(folder) + path.sep)) throw new Error(`${rel} is outside the library`);
    return readBoundedFile(file, MAX_RUNBOOK_FILE_BYTES);
  },
  watch(folder, onChange) {
    const w = fs.watch(folder, { recursive: true }, () => onChange());
    w.on('error', () => onChange());
    return () => w.close();
  },
  readFile: (file) => readBoundedFile(file, MAX_RUNBOOK_FILE_BYTES),
  watchFile: watchSingleFile,
};

/**
 * Watches one file by its inode, and re-arms whenever the path points at another inode: editors
 * (vim, VS Code's safe write, git checkout) save by writing a temporary file and renaming it over,
 * after which a plain fs.watch would watch a deleted file and never fire again. While the file is
 * missing, its folder is watched until the name is back.
 */
export function watchSingleFile(file: string, onChange: () => void): () => void {
  let closed = false;
  let watcher: fs.FSWatcher | null = null;
  let folderWatcher: fs.FSWatcher | null = null;
  let inode: number | null = null;
  const name = path.basename(file);
  const close = () => {
    watcher?.close();
    folderWatcher?.close();
    watcher = null;
    folderWatcher = null;
  };
  const currentInode = (): number | null => {
    try {
      return fs.statSync(file).ino;
    } catch {
      return null;
    }
  };
  const arm = (): void => {
    if (closed) return;
    close();
    inode = currentInode();
    if (inode !== null) {
      try {
        watcher = fs.watch(file, () => {
          onChange();
          // replaced by rename or deleted: follow the path to its new file (or wait for it)
          if (currentInode() !== inode) arm();
        });
        watcher.on('error', () => {
          onChange();
          arm();
        });
        return;
      } catch {
        // vanished between the stat and the watch: wait for it below
      }
    }
    try {
      folderWatcher = fs.watch(path.dirname(file), (_event, changed) => {
        if (changed !== null && changed !== name) return;
        if (currentInode() === null) return;
        onChange();
        arm();
      });
      folderWatcher.on('error', () => undefined);
    } catch {
      // the folder is gone too: Read again or the next start looks again
      return;
    }
    // it may have come back between the failed stat and the folder watch
    if (currentInode() !== null) {
      onChange();
      arm();
    }
  };
  arm();
  return () => {
    closed = true;
    close();
  };
}
