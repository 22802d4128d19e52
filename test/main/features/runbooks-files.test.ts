import { describe, expect, it } from 'vitest';
import type { RunbookResult } from '../../../src/core/runbooks/ipc-schemas';
import { ImportError } from '../../../src/main/import/errors';
import type { ImportService } from '../../../src/main/import/import-service';
import { importRunners, type ImportJobs, type ImportKind } from '../../../src/main/import/jobs';
import { setupRunbooks, type RunbookFs } from '../../../src/main/features/runbooks';
import { buildRunbookIndex, matchRunbook } from '../../../src/core/runbooks/match';

const CRASHLOOP = `---
title: Pod crash looping
aliases: [crashloop]
---
# KubePodCrashLooping

## Diagnosis
Check the pod's events.

## Mitigation
1. Roll back the deployment
2. Scale up
`;

/** Files in memory with watches the test fires by hand, as an editor's save would. */
function fakeFs() {
  const contents = new Map<string, string>();
  const watchers = new Map<string, Set<() => void>>();
  const fs: RunbookFs = {
    list: async () => [],
    read: async () => new Uint8Array(),
    watch: () => () => undefined,
    readFile: async (file) => {
      const text = contents.get(file);
      if (text === undefined) throw Object.assign(new Error(`ENOENT: no such file or directory, open '${file}'`), { code: 'ENOENT' });
      return new TextEncoder().encode(text);
    },
    watchFile: (file, onChange) => {
      const set = watchers.get(file) ?? new Set();
      set.add(onChange);
      watchers.set(file, set);
      return () => set.delete(onChange);
    },
  };
  return {
    fs,
    contents,
    /** The file was saved (or deleted) on disk: its watchers fire. */
    touch(file: string, text: string | null) {
      if (text === null) contents.delete(file);
      else contents.set(file, text);
      for (const w of watchers.get(file) ?? []) w();
    },
    watching: (file: string) => watchers.get(file)?.size ?? 0,
  };
}

/** Timers the test runs by hand: the watch's debounce fires when the test says so. */
function manualTimers() {
  const pending = new Map<number, () => void>();
  let next = 1;
  return {
    timers: {
      setTimeout: (fn: () => void) => {
        pending.set(next, fn);
        return next++;
      },
      clearTimeout: (h: unknown) => void pending.delete(h as number),
    },
    flush() {
      const fns = [...pending.values()];
      pending.clear();
      fns.forEach((f) => f());
    },
  };
}

/** The worker's own runners, called in-process, with every job recorded; "X-SPIN" runs over the budget. */
function recordingImports() {
  const jobs: Array<{ kind: ImportKind; path?: string }> = [];
  const service: ImportService = {
    run: async <K extends ImportKind>(kind: K, input: ImportJobs[K]['input']) => {
      const job = input as { path?: string; bytes: Uint8Array };
      jobs.push({ kind, path: job.path });
      if (new TextDecoder().decode(job.bytes).includes('X-SPIN')) throw new ImportError('imports.timeBudget', { seconds: 2 });
      return (importRunners[kind] as (i: unknown) => unknown)(input) as ImportJobs[K]['output'];
    },
    stop: async () => undefined,
  };
  return { service, jobs };
}

function recorder() {
  const results: RunbookResult[] = [];
  const waiters: Array<() => void> = [];
  return {
    results,
    events: {
      emit: (_c: string, p: unknown) => {
        results.push(p as RunbookResult);
        waiters.splice(0).forEach((w) => w());
      },
    },
    /** Resolves once `n` results in all have arrived. */
    count: (n: number) =>
      new Promise<RunbookResult[]>((resolve) => {
        const check = () => (results.length >= n ? resolve(results.slice(0, n)) : waiters.push(check));
        check();
      }),
  };
}

const A = '/home/ann/ops/kubernetes/KubePodCrashLooping.md';
const B = '/home/ann/notes/disk.md';
const logger = { info: () => undefined, error: () => undefined };

describe('single runbook files in main', () => {
  it('reads only files picked in its own dialog: a path the window names on its own is refused unread and unwatched', async () => {
    const disk = fakeFs();
    disk.contents.set(A, CRASHLOOP);
    disk.contents.set(B, '# Disk full\n\n- [ ] Free space\n');
    const rec = recorder();
    const imports = recordingImports();
    let saved: readonly string[] = [];
    const picked = { load: () => [...saved], save: (files: readonly string[]) => void (saved = [...files]) };
    const lib = setupRunbooks({ clock: { now: () => 7 }, timers: manualTimers().timers, fetch, events: rec.events, logger, imports: imports.service, fs: disk.fs, picked, pickFiles: async () => [A] });
    expect(await lib.handlers['runbooks:pick-files']()).toEqual({ files: [A] });
    expect(saved).toEqual([A]);
    lib.handlers['runbooks:configure']({ folder: null, files: [A, B], urls: [] });
    const results = await rec.count(2);
    await lib.idle();
    const byFile = new Map(results.map((r) => [r.kind === 'file' ? r.file : '', r]));
    expect(byFile.get(A)).toMatchObject({ status: 'updated' });
    expect(byFile.get(B)).toMatchObject({ status: 'error', problem: { path: B, code: 'runbooks.library.notPicked' } });
    expect(imports.jobs.map((j) => j.path)).toEqual([A]);
    expect(disk.watching(B)).toBe(0);
    // the picked list outlives a restart of main
    const again = setupRunbooks({ clock: { now: () => 8 }, timers: manualTimers().timers, fetch, events: recorder().events, logger, imports: recordingImports().service, fs: disk.fs, picked });
    again.handlers['runbooks:configure']({ folder: null, files: [A], urls: [] });
    await again.idle();
    expect(disk.watching(A)).toBe(2);
  });

  it('reads and parses each picked file in the import worker, known by its full path, and follows saves', async () => {
    const disk = fakeFs();
    disk.contents.set(A, CRASHLOOP);
    disk.contents.set(B, '# Disk full\n\n- [ ] Free space\n');
    const t = manualTimers();
    const rec = recorder();
    const imports = recordingImports();
    const lib = setupRunbooks({ clock: { now: () => 7 }, timers: t.timers, fetch, events: rec.events, logger, imports: imports.service, fs: disk.fs });
    lib.handlers['runbooks:configure']({ folder: null, files: [A, B], urls: [] });
    const first = await rec.count(2);
    await lib.idle();
    expect(imports.jobs).toEqual([
      { kind: 'runbook', path: A },
      { kind: 'runbook', path: B },
    ]);
    const byFile = new Map(first.map((r) => [r.kind === 'file' ? r.file : '', r]));
    expect(byFile.get(A)).toMatchObject({ kind: 'file', status: 'updated', at: 7, runbook: { path: A, title: 'Pod crash looping', aliases: ['crashloop'] } });
    expect(byFile.get(B)).toMatchObject({ kind: 'file', status: 'updated', runbook: { title: 'Disk full' } });
    expect(disk.watching(A)).toBe(1);
    // known by full path, matched by file name: a page's runbook_url finds it, and a folder runbook of the same name is another runbook
    const index = buildRunbookIndex([...first.flatMap((r) => (r.kind === 'file' && r.status === 'updated' ? [r.runbook] : [])), { path: 'ops/KubePodCrashLooping.md', url: null, aliases: [], matchers: [] }]);
    expect(matchRunbook(index, { runbookUrl: 'https://runbooks.example.com/kubernetes/kubepodcrashlooping', labels: {} })?.path).toBe(A);

    // the editor saves twice in a row: one read after the debounce, with the new text
    disk.touch(B, '# Disk really full\n\n- [ ] Free space\n');
    disk.touch(B, '# Disk really full\n\n- [ ] Free space\n- [ ] Rotate logs\n');
    expect(rec.results).toHaveLength(2);
    t.flush();
    const [, , saved] = await rec.count(3);
    expect(saved).toMatchObject({ kind: 'file', file: B, status: 'updated', runbook: { title: 'Disk really full' } });
    expect(saved?.kind === 'file' && saved.status === 'updated' && saved.runbook.groups[0]!.steps.map((s) => s.text)).toEqual(['Free space', 'Rotate logs']);

    // touched without a change (a `touch`, a git checkout of the same text): no second parse
    const parses = imports.jobs.length;
    disk.touch(A, CRASHLOOP);
    t.flush();
    expect((await rec.count(4))[3]).toMatchObject({ kind: 'file', file: A, status: 'unchanged' });
    expect(imports.jobs).toHaveLength(parses);
    lib.stop();
    expect(disk.watching(A) + disk.watching(B)).toBe(0);
  });

  it('a file that breaks or vanishes gets an error naming the whole path; main keeps comparing against the last good copy', async () => {
    const disk = fakeFs();
    disk.contents.set(A, CRASHLOOP);
    const t = manualTimers();
    const rec = recorder();
    const imports = recordingImports();
    const lib = setupRunbooks({ clock: { now: () => 1 }, timers: t.timers, fetch, events: rec.events, logger, imports: imports.service, fs: disk.fs });
    lib.handlers['runbooks:configure']({ folder: null, files: [A], urls: [] });
    await rec.count(1);

    disk.touch(A, '# Runaway X-SPIN\n');
    t.flush();
    const broken = (await rec.count(2))[1];
    expect(broken).toEqual({ kind: 'file', file: A, at: 1, status: 'error', problem: { path: A, code: 'imports.timeBudget', params: { path: A, seconds: 2 } } });

    disk.touch(A, null);
    t.flush();
    const gone = (await rec.count(3))[2];
    expect(gone).toEqual({ kind: 'file', file: A, at: 1, status: 'error', problem: { path: A, code: 'runbooks.library.fileMissing', params: { path: A } } });

    // it comes back as it was: same text as the last good copy, so nothing to parse or replace
    disk.touch(A, CRASHLOOP);
    t.flush();
    expect((await rec.count(4))[3]).toMatchObject({ kind: 'file', file: A, status: 'unchanged' });

    // a file that is not text at all is refused by the parser, still named by its path
    disk.touch(A, 'abc\u0000def');
    t.flush();
    expect((await rec.count(5))[4]).toMatchObject({ kind: 'file', status: 'error', problem: { code: 'runbooks.errors.binary', params: { path: A } } });
    lib.stop();
  });

  it('reads only Markdown files by absolute path: anything else the window names is refused unread', async () => {
    const disk = fakeFs();
    disk.contents.set('/home/ann/.ssh/id_ed25519', 'PRIVATE KEY');
    disk.contents.set('notes/disk.md', '# Disk\n');
    const read: string[] = [];
    const fs: RunbookFs = {
      ...disk.fs,
      readFile: (file) => {
        read.push(file);
        return disk.fs.readFile(file);
      },
    };
    const rec = recorder();
    const lib = setupRunbooks({ clock: { now: () => 3 }, timers: manualTimers().timers, fetch, events: rec.events, logger, imports: recordingImports().service, fs });
    lib.handlers['runbooks:configure']({ folder: null, files: ['/home/ann/.ssh/id_ed25519', 'notes/disk.md'], urls: [] });
    const results = await rec.count(2);
    expect(results.map((r) => r.kind === 'file' && r.status === 'error' && r.problem.code)).toEqual(['runbooks.library.notMarkdownFile', 'runbooks.library.notMarkdownFile']);
    expect(read).toEqual([]);
    expect(disk.watching('/home/ann/.ssh/id_ed25519')).toBe(0);
    lib.stop();
  });

  it('a file picked while missing is reported, and Read again finds it once it is there', async () => {
    const disk = fakeFs();
    const t = manualTimers();
    const rec = recorder();
    const lib = setupRunbooks({ clock: { now: () => 3 }, timers: t.timers, fetch, events: rec.events, logger, imports: recordingImports().service, fs: disk.fs });
    lib.handlers['runbooks:configure']({ folder: null, files: [A], urls: [] });
    expect((await rec.count(1))[0]).toMatchObject({ kind: 'file', status: 'error', problem: { code: 'runbooks.library.fileMissing' } });
    disk.contents.set(A, CRASHLOOP);
    lib.handlers['runbooks:refresh']();
    expect((await rec.count(2))[1]).toMatchObject({ kind: 'file', file: A, status: 'updated', runbook: { title: 'Pod crash looping' } });
    lib.stop();
  });

  it('a removed file is no longer watched or read; the others and the URLs stay as they were', async () => {
    const disk = fakeFs();
    disk.contents.set(A, CRASHLOOP);
    disk.contents.set(B, '# Disk full\n\n- [ ] Free space\n');
    const t = manualTimers();
    const rec = recorder();
    const imports = recordingImports();
    const lib = setupRunbooks({ clock: { now: () => 3 }, timers: t.timers, fetch, events: rec.events, logger, imports: imports.service, fs: disk.fs });
    lib.handlers['runbooks:configure']({ folder: null, files: [A, B], urls: [] });
    await rec.count(2);
    await lib.idle();
    // saved just before the user removes it: the pending read is dropped with it
    disk.touch(A, '# Changed\n');
    lib.handlers['runbooks:configure']({ folder: null, files: [B], urls: [] });
    expect(disk.watching(A)).toBe(0);
    expect(disk.watching(B)).toBe(1);
    t.flush();
    lib.handlers['runbooks:refresh']();
    await lib.idle();
    expect(rec.results.slice(2).map((r) => r.kind === 'file' && r.file)).toEqual([B]);
    lib.stop();
  });

  it('the open dialog is main’s: picked paths come back as they are, a cancel or a missing dialog is none', async () => {
    const base = { clock: { now: () => 0 }, timers: manualTimers().timers, fetch, events: recorder().events, logger, imports: recordingImports().service, fs: fakeFs().fs };
    const picking = setupRunbooks({ ...base, pickFiles: async () => [A, B] });
    expect(await picking.handlers['runbooks:pick-files']()).toEqual({ files: [A, B] });
    const headless = setupRunbooks(base);
    expect(await headless.handlers['runbooks:pick-files']()).toEqual({ files: [] });
  });
});
