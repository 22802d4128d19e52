import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunbookResult } from '../../../src/core/runbooks/ipc-schemas';
import { createImportService, type ImportService } from '../../../src/main/import/import-service';
import { setupRunbooks } from '../../../src/main/features/runbooks';

const spinEntry = { kind: 'source' as const, file: path.resolve('test/main/import/spin-worker.ts') };
const realTimers = { setTimeout: (fn: () => void, ms: number) => setTimeout(fn, ms), clearTimeout: (h: unknown) => clearTimeout(h as NodeJS.Timeout) };
// the folder watch is not what these tests are about: changes are announced through runbooks:refresh
const manualTimers = { setTimeout: () => null, clearTimeout: () => undefined };

const CRASHLOOP = `---
title: Pod crash looping
aliases: [crashloop]
---
# KubePodCrashLooping

## Diagnosis
Check the pod's events.

\`\`\`sh
kubectl describe pod $POD
\`\`\`

## Mitigation
1. Roll back the deployment
2. Scale up
`;

/** Results main emitted, awaitable one by one. */
function recorder() {
  const results: RunbookResult[] = [];
  const waiters: Array<(r: RunbookResult) => void> = [];
  return {
    results,
    events: {
      emit: (_c: string, p: unknown) => {
        results.push(p as RunbookResult);
        waiters.splice(0).forEach((w) => w(p as RunbookResult));
      },
    },
    next: () => new Promise<RunbookResult>((resolve) => waiters.push(resolve)),
  };
}

describe('runbook library in main', () => {
  let imports: ImportService;
  let dir: string;
  beforeAll(() => {
    imports = createImportService({ timeBudgetMs: 1_500, entry: spinEntry });
    dir = mkdtempSync(path.join(tmpdir(), 'occ-runbooks-'));
  });
  afterAll(async () => {
    await imports.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('parses every Markdown file of the folder in the worker; a runaway file is stopped by the budget and keeps its last good copy', async () => {
    const folder = path.join(dir, 'ops');
    mkdirSync(path.join(folder, 'kubernetes'), { recursive: true });
    mkdirSync(path.join(folder, '.git'), { recursive: true });
    writeFileSync(path.join(folder, 'kubernetes', 'KubePodCrashLooping.md'), CRASHLOOP);
    writeFileSync(path.join(folder, 'disk.md'), '# Disk full\n\n- [ ] Free space\n');
    writeFileSync(path.join(folder, 'notes.txt'), 'not a runbook');
    writeFileSync(path.join(folder, '.git', 'HEAD.md'), '# not mine');
    const rec = recorder();
    const lib = setupRunbooks({ clock: { now: () => 1000 }, timers: manualTimers, fetch, events: rec.events, logger: { info: () => undefined, error: () => undefined }, imports });
    const first = rec.next();
    lib.handlers['runbooks:configure']({ folder, urls: [] });
    const scan = await first;
    expect(scan.kind).toBe('folder');
    if (scan.kind !== 'folder') return;
    expect(scan.runbooks.map((r) => r.path).sort()).toEqual(['disk.md', 'kubernetes/KubePodCrashLooping.md']);
    const crash = scan.runbooks.find((r) => r.path.startsWith('kubernetes'))!;
    expect(crash.title).toBe('Pod crash looping');
    expect(crash.groups.flatMap((g) => g.steps).length).toBeGreaterThanOrEqual(3);
    expect(scan.problems).toEqual([]);

    // the file turns hostile: the worker spins until the budget stops it, the old parse stays
    writeFileSync(path.join(folder, 'disk.md'), '# Disk full X-SPIN\n');
    const second = rec.next();
    lib.handlers['runbooks:refresh']();
    const rescan = await second;
    if (rescan.kind !== 'folder') throw new Error(`expected a folder scan, got ${rescan.kind}`);
    expect(rescan.problems).toEqual([{ path: 'disk.md', code: 'imports.timeBudget', params: { path: 'disk.md', seconds: 1.5 } }]);
    expect(rescan.runbooks.find((r) => r.path === 'disk.md')?.title).toBe('Disk full');
    // the unchanged file was reused, not parsed again
    expect(rescan.runbooks.find((r) => r.path.startsWith('kubernetes'))).toBe(crash);

    // the folder vanishes: one clear error, no runbook list that would wipe the renderer's copies
    rmSync(folder, { recursive: true, force: true });
    const third = rec.next();
    lib.handlers['runbooks:refresh']();
    const gone = await third;
    expect(gone).toMatchObject({ kind: 'folderError', folder, problem: { code: 'runbooks.library.folderMissing' } });
    lib.stop();
  }, 30_000);

  it('a first scan parses in batches; a runaway or binary file in a batch fails alone, the rest of its batch is parsed', async () => {
    const folder = path.join(dir, 'batched');
    mkdirSync(folder, { recursive: true });
    for (let i = 0; i < 6; i++) writeFileSync(path.join(folder, `r${i}.md`), `# Runbook ${i}\n\n1. Step one\n2. Step two\n`);
    writeFileSync(path.join(folder, 'binary.md'), 'PK\u0000\u0003 not text');
    const kinds: string[] = [];
    const counting: ImportService = {
      run: (kind, input) => {
        kinds.push(kind);
        return imports.run(kind, input);
      },
      stop: () => imports.stop(),
    };
    const rec = recorder();
    const lib = setupRunbooks({ clock: { now: () => 1000 }, timers: manualTimers, fetch, events: rec.events, logger: { info: () => undefined, error: () => undefined }, imports: counting });
    const first = rec.next();
    lib.handlers['runbooks:configure']({ folder, urls: [] });
    const scan = await first;
    if (scan.kind !== 'folder') throw new Error(`expected a folder scan, got ${scan.kind}`);
    // seven small files: one round trip to the worker
    expect(kinds).toEqual(['runbooks']);
    expect(scan.runbooks.map((r) => r.title)).toEqual(['Runbook 0', 'Runbook 1', 'Runbook 2', 'Runbook 3', 'Runbook 4', 'Runbook 5']);
    expect(scan.problems).toEqual([{ path: 'binary.md', code: 'runbooks.errors.binary', params: { path: 'binary.md' } }]);

    // two files change, one of them into a runaway: the batch is stopped, then each file alone
    writeFileSync(path.join(folder, 'r1.md'), '# Runbook one, edited\n\n- [ ] Check\n');
    writeFileSync(path.join(folder, 'r4.md'), '# Runaway X-SPIN\n');
    kinds.length = 0;
    const second = rec.next();
    lib.handlers['runbooks:refresh']();
    const rescan = await second;
    if (rescan.kind !== 'folder') throw new Error(`expected a folder scan, got ${rescan.kind}`);
    expect(kinds).toEqual(['runbooks', 'runbook', 'runbook', 'runbook']);
    expect(rescan.runbooks.map((r) => r.title)).toEqual(['Runbook 0', 'Runbook one, edited', 'Runbook 2', 'Runbook 3', 'Runbook 4', 'Runbook 5']);
    expect(rescan.problems.map((p) => [p.path, p.code])).toEqual([
      ['binary.md', 'runbooks.errors.binary'],
      ['r4.md', 'imports.timeBudget'],
    ]);
    lib.stop();
  }, 30_000);

  it('a big first scan is listed and matchable from outlines at once, ahead of the batches still waiting, then parsed in batches', async () => {
    const folder = path.join(dir, 'big');
    mkdirSync(folder, { recursive: true });
    // ~70 files of ~3 KiB: many batches, so the outlines come first
    const body = `${'Context for the alert. '.repeat(120)}\n\n## Mitigation\n\n1. Roll back\n2. Scale up\n`;
    for (let i = 0; i < 70; i++) writeFileSync(path.join(folder, `Alert${String(i).padStart(2, '0')}.md`), `---\naliases: [alias-${i}]\n---\n# Alert ${i}\n\n${body}`);
    const jobs: Array<{ kind: string; files: number; first: boolean }> = [];
    // the batches wait until the library has been listed, as they would behind busy workers
    let release: () => void = () => undefined;
    const listed = new Promise<void>((resolve) => (release = resolve));
    const gated: ImportService = {
      run: async (kind, input, options) => {
        jobs.push({ kind, files: 'files' in input ? input.files.length : 1, first: options?.first === true });
        if (kind !== 'runbook-outlines') await listed;
        return imports.run(kind, input, options);
      },
      stop: () => imports.stop(),
    };
    const rec = recorder();
    const lib = setupRunbooks({ clock: { now: () => 1000 }, timers: manualTimers, fetch, events: rec.events, logger: { info: () => undefined, error: () => undefined }, imports: gated });
    const outlines = rec.next();
    lib.handlers['runbooks:configure']({ folder, urls: [] });
    const early = await outlines;
    if (early.kind !== 'folder') throw new Error(`expected a folder scan, got ${early.kind}`);
    expect(early.runbooks).toHaveLength(70);
    expect(early.runbooks.every((r) => r.outline === true && r.groups.length === 0)).toBe(true);
    expect(early.runbooks[7]).toMatchObject({ path: 'Alert07.md', title: 'Alert 7', aliases: ['alias-7'] });
    // the batches were sent while the folder was still being read; the outlines overtook them
    const outlineJob = jobs.findIndex((j) => j.kind === 'runbook-outlines');
    expect(jobs[outlineJob]).toEqual({ kind: 'runbook-outlines', files: 70, first: true });
    expect(outlineJob).toBeGreaterThan(0);
    const full = rec.next();
    release();
    const parsed = await full;
    if (parsed.kind !== 'folder') throw new Error(`expected a folder scan, got ${parsed.kind}`);
    expect(parsed.runbooks.map((r) => r.path)).toEqual(early.runbooks.map((r) => r.path));
    expect(parsed.runbooks.every((r) => r.outline === undefined && r.groups[0]!.steps.length === 2)).toBe(true);
    const batches = jobs.filter((j) => j.kind === 'runbooks');
    expect(batches.length).toBeGreaterThan(2);
    expect(batches.reduce((n, j) => n + j.files, 0)).toBe(70);
    lib.stop();
  }, 30_000);

  it('picks up a file saved in the watched folder', async () => {
    const folder = path.join(dir, 'watched');
    mkdirSync(folder, { recursive: true });
    const rec = recorder();
    const lib = setupRunbooks({ clock: { now: () => 1000 }, timers: realTimers, fetch, events: rec.events, logger: { info: () => undefined, error: () => undefined }, imports });
    const first = rec.next();
    lib.handlers['runbooks:configure']({ folder, urls: [] });
    expect(await first).toMatchObject({ kind: 'folder', runbooks: [] });
    const second = rec.next();
    writeFileSync(path.join(folder, 'new.md'), '# New runbook\n\n1. Do it\n');
    const after = await second;
    expect(after.kind === 'folder' && after.runbooks.map((r) => r.title)).toEqual(['New runbook']);
    lib.stop();
  }, 30_000);

  it('fetches an https runbook with ETag: 200 parses, 304 is unchanged, a failure keeps the copy and says why', async () => {
    const calls: Array<Record<string, string>> = [];
    let answer: () => Response = () => new Response(CRASHLOOP, { status: 200, headers: { etag: '"v1"', 'content-type': 'text/markdown' } });
    const fakeFetch = (async (_url: string, init?: RequestInit) => {
      calls.push({ ...(init?.headers as Record<string, string>) });
      return answer();
    }) as typeof fetch;
    const rec = recorder();
    const lib = setupRunbooks({ clock: { now: () => 5 }, timers: manualTimers, fetch: fakeFetch, lookup: async () => ['93.184.216.34'], events: rec.events, logger: { info: () => undefined, error: () => undefined }, imports });
    const url = 'https://runbooks.example.dev/runbooks/kubernetes/kubepodcrashlooping.md';
    const first = rec.next();
    lib.handlers['runbooks:configure']({ folder: null, urls: [{ url, etag: null, lastModified: null }] });
    const got = await first;
    expect(got).toMatchObject({ kind: 'url', url, status: 'updated', etag: '"v1"', runbook: { url, title: 'Pod crash looping' } });
    expect(calls[0]!['if-none-match']).toBeUndefined();

    answer = () => new Response(null, { status: 304 });
    lib.handlers['runbooks:configure']({ folder: null, urls: [] });
    const second = rec.next();
    lib.handlers['runbooks:configure']({ folder: null, urls: [{ url, etag: '"v1"', lastModified: null }] });
    expect(await second).toMatchObject({ kind: 'url', status: 'unchanged' });
    expect(calls[1]!['if-none-match']).toBe('"v1"');

    answer = () => new Response('gone', { status: 404 });
    const third = rec.next();
    lib.handlers['runbooks:refresh']();
    expect(await third).toMatchObject({ kind: 'url', status: 'error', problem: { code: 'imports.httpStatus', params: { status: 404 } } });

    const refused = rec.next();
    lib.handlers['runbooks:configure']({ folder: null, urls: [{ url: 'http://plain.example.dev/x.md', etag: null, lastModified: null }] });
    expect(await refused).toMatchObject({ kind: 'url', status: 'error', problem: { code: 'runbooks.errors.urlNotHttps' } });
    lib.stop();
  }, 30_000);
});
