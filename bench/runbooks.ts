import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { applyIncidentAction, createIncident } from '../src/core/incidents/incident';
import { quickEntry, scanLibrary } from '../src/core/runbooks/library';
import { buildRunbookIndex, matchRunbook } from '../src/core/runbooks/match';
import type { Runbook } from '../src/core/runbooks/model';
import { parseRunbook } from '../src/core/runbooks/parse';
import type { RunbookResult } from '../src/core/runbooks/ipc-schemas';
import { setupRunbooks } from '../src/main/features/runbooks';
import { createImportService, defaultWorkerEntry, DEFAULT_WORKERS } from '../src/main/import/import-service';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** One generated runbook of ~3 KB in one of the four styles the issue lists. */
export function generatedRunbook(i: number): string {
  const name = `Alert${i}`;
  const fm = i % 2 === 0 ? `---\ntitle: Alert number ${i}\naliases: [alias-${i}]\nmatchers:\n  - alertname=${name}\n  - team=~"team-${i % 7}|platform"\nseverity: ${['critical', 'warning', 'info'][i % 3]}\nweight: ${i}\n---\n` : '';
  const intro = `# ${name}\n\n## Meaning\n\nThe service behind ${name} reports errors above its objective for ten minutes. ${'More context about the alert. '.repeat(4)}\n\n## Impact\n\nUsers see slow pages and some failed requests.\n\n`;
  const code = (n: number) => `\`\`\`shell\nkubectl -n ns-${i} logs deploy/svc-${i} --since=${n}m | grep -i error | tail -50\n\`\`\`\n`;
  switch (i % 4) {
    case 0:
      return `${fm}${intro}## Diagnosis\n\nCheck the dashboards for the service.\n\n${code(10)}\nLook at recent deploys:\n\n${code(30)}\n## Mitigation\n\nRoll back the last deploy if it is recent.\n\n${code(5)}\nOtherwise scale up.\n`;
    case 1:
      return `${fm}${intro}## Steps\n\n${Array.from({ length: 8 }, (_, s) => `${s + 1}. Step ${s + 1} for ${name}: check the thing\n   ${code(s).replace(/\n/g, '\n   ')}`).join('\n')}\n`;
    case 2:
      return `${fm}${intro}## Checklist\n\n${Array.from({ length: 5 }, (_, s) => `- [ ] Task ${s}\n  - [ ] Sub-task ${s}.1 with \`inline code\`\n  - [x] Sub-task ${s}.2`).join('\n')}\n\n<details><summary>Raw HTML</summary>\n\nHidden text {{< ref "x.md" >}}\n\n</details>\n`;
    default:
      return `${fm}${intro}## Mitigation\n\n### Option A\n\n**Restart the pods**\n\n${code(1)}\n### Option B\n\n1. Drain the node\n2. Cordon it\n\n| Column | Value |\n| --- | --- |\n| a | b |\n`;
  }
}

/** What one fresh process measured for "folder picked → library usable" through main's runbook library. */
interface ScanTimes {
  /** Worker started at app start (the renderer's first configure), folder picked later: the user's case. */
  picked: Scan;
  /** The same process scanning again from scratch (parsed copies dropped): worker and JIT warm. */
  warm: Scan[];
  runbooks: number;
  problems: number;
  steps: number;
}

/** The worker as it ships (scripts/build.mjs's bundle), built into a scratch folder so dist/ is left alone. */
function buildWorker(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'runbooks-bench-worker-'));
  execFileSync(process.execPath, ['scripts/build.mjs', 'import-worker', dir], { stdio: 'pipe' });
  return dir;
}

/** How long a scan took until the library was listed and matchable (outlines), and until every runbook was parsed. */
interface Scan {
  listed: number;
  parsed: number;
  /** CPU time the whole process (main thread and worker) spent until all was parsed: what the wall time is on an idle machine, at most. */
  cpu: number;
}

/** One scan of `folder` through setupRunbooks: from the configure call until main emits the library, outlines first. */
async function timedScan(lib: ReturnType<typeof setupRunbooks>, results: { next: () => Promise<RunbookResult> }, folder: string) {
  let got = results.next();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  lib.handlers['runbooks:configure']({ folder, urls: [] });
  let r = await got;
  const listed = performance.now() - t0;
  while (r.kind === 'folder' && r.runbooks.some((b) => b.outline)) {
    got = results.next();
    r = await got;
  }
  const parsed = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { scan: { listed, parsed, cpu: (c.user + c.system) / 1000 }, result: r };
}

/**
 * Runs in a fresh Node process (spawned by benchRunbooks): app start → the worker starts and warms
 * up → after `pickAfterMs` (the user in the folder dialog) the folder is picked → scan until main
 * emits the library. With `pickAfterMs` 0 the folder is picked at app start: nothing warm at all.
 */
async function coldChild(folder: string, workerDir: string, pickAfterMs: number, workers: number): Promise<ScanTimes> {
  const imports = createImportService({ entry: defaultWorkerEntry(workerDir), ...(workers > 0 ? { workers } : {}) });
  const waiters: Array<(r: RunbookResult) => void> = [];
  const results = { next: () => new Promise<RunbookResult>((resolve) => waiters.push(resolve)) };
  const timers = { setTimeout: (fn: () => void, ms: number) => setTimeout(fn, ms), clearTimeout: (h: unknown) => clearTimeout(h as NodeJS.Timeout) };
  const lib = setupRunbooks({ clock: { now: () => Date.now() }, timers, fetch, events: { emit: (_c, p) => waiters.splice(0).forEach((w) => w(p as RunbookResult)) }, logger: { info: () => undefined, error: () => undefined }, imports });
  if (pickAfterMs > 0) {
    lib.handlers['runbooks:configure']({ folder: null, urls: [] });
    await new Promise((resolve) => setTimeout(resolve, pickAfterMs));
  }
  const first = await timedScan(lib, results, folder);
  if (first.result.kind !== 'folder') throw new Error(`expected a folder scan, got ${first.result.kind}`);
  const steps = first.result.runbooks.reduce((n, rb) => n + rb.groups.reduce((m, g) => m + g.steps.length, 0), 0);
  const warm: Scan[] = [];
  for (let r = 0; r < 3; r++) {
    lib.handlers['runbooks:configure']({ folder: null, urls: [] }); // drops main's parsed copies: the next scan parses all
    warm.push((await timedScan(lib, results, folder)).scan);
  }
  lib.stop();
  await imports.stop();
  return { picked: first.scan, warm, runbooks: first.result.runbooks.length, problems: first.result.problems.length, steps };
}

/** `workers` 0: the import service's default pool (what the app runs). */
function spawnCold(folder: string, workerDir: string, pickAfterMs: number, workers = 0): ScanTimes {
  const out = execFileSync(process.execPath, ['--import', 'tsx', 'bench/runbooks.ts', COLD_CHILD, folder, workerDir, String(pickAfterMs), String(workers)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  return JSON.parse(out.trim().split('\n').at(-1)!) as ScanTimes;
}

const COLD_CHILD = '--runbooks-cold-child';
if (process.argv[2] === COLD_CHILD) {
  const [, , , folder, workerDir, pickAfter, workers] = process.argv;
  console.log(JSON.stringify(await coldChild(folder!, workerDir!, Number(pickAfter), Number(workers ?? 0))));
  process.exit(0);
}

/** Parses a folder of 500 generated runbooks through main's library (cold, in fresh processes) and matches 10,000 pages against them. */
export async function benchRunbooks(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'runbooks-bench-'));
  const workerDir = buildWorker();
  try {
    for (let i = 0; i < 500; i++) {
      const sub = path.join(dir, `team-${i % 10}`);
      mkdirSync(sub, { recursive: true });
      writeFileSync(path.join(sub, `Alert${i}.md`), generatedRunbook(i));
    }
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.md'));
    const bytes = files.reduce((n, f) => n + readFileSync(path.join(dir, f)).length, 0);
    const load = loadavg()[0]!.toFixed(1);
    const picked = [0, 1, 2, 3, 4].map(() => spawnCold(dir, workerDir, 1500));
    const coldest = [0, 1].map(() => spawnCold(dir, workerDir, 0));
    const oneWorker = spawnCold(dir, workerDir, 1500, 1);
    const warm = picked.flatMap((p) => p.warm);
    const list = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(' / ');
    const both = (xs: Scan[]) => `listed ${list(xs.map((x) => x.listed))} ms, all parsed ${list(xs.map((x) => x.parsed))} ms (CPU, main + workers: ${list(xs.map((x) => x.cpu))} ms)`;
    console.log(`runbooks: folder picked → every runbook parsed and in main's library, with the shipped import worker bundle (${picked[0]!.runbooks} runbooks, ${picked[0]!.steps} top-level steps, ${(bytes / 1024).toFixed(0)} KiB, ${picked[0]!.problems} problems), ${DEFAULT_WORKERS} workers, ${cpus().length} cores, load average ${load} at the start (${loadavg()[0]!.toFixed(1)} now; the workers run at nice 10, so other processes on the machine slow them first):`);
    console.log('  timed from the runbooks:configure call that names the folder until main emits the library. "listed" = every file read and the library emitted from outlines (front matter + title, read in a worker): listed, searchable, matchable to pages. "all parsed" = every runbook fully parsed (remark) in the workers, in ~16 KiB batches sent while the folder is still being read, cloned back to main and emitted in folder order');
    console.log(`  cold, as used (each a fresh Node process: the app starts, the renderer's first configure starts both runbook workers, which load the bundle and warm their parser in the background (up to 150 parses of a 1 KiB runbook, at nice 10, as far as they get); the folder is picked 1.5 s later, so thread start, bundle load and that warm-up are NOT in the figure; module load of main is not either; V8's JIT is still cold for real runbooks): ${both(picked.map((p) => p.picked))}; median all parsed ${median(picked.map((p) => p.picked.parsed)).toFixed(0)} ms   (goal ≤ 1000 ms)`);
    console.log(`  coldest (fresh process, folder picked at app start: includes starting both worker threads and loading the bundle; the background warm-up stops at the first job): ${both(coldest.map((c) => c.picked))}`);
    console.log(`  for comparison, one worker (cold, as used): ${both([oneWorker.picked])}`);
    console.log(`  warm (same processes, main's parsed copies dropped, every file read and parsed again): median listed ${median(warm.map((w) => w.listed)).toFixed(0)} ms, all parsed ${median(warm.map((w) => w.parsed)).toFixed(0)} ms (CPU ${median(warm.map((w) => w.cpu)).toFixed(0)} ms) of ${warm.length}; fastest all parsed ${Math.min(...warm.map((w) => w.parsed)).toFixed(0)} ms`);
    console.log('  not included: the IPC hop to the window and storing the runbooks in IndexedDB; process start and module load of main');
    const read = () => files.map((f) => ({ path: f.split(path.sep).join('/'), text: readFileSync(path.join(dir, f), 'utf8') }));
    const runbooks: Runbook[] = read().map((f) => parseRunbook(f.text, { path: f.path }));
    const quick: number[] = [];
    for (let r = 0; r < 5; r++) {
      const t0 = performance.now();
      buildRunbookIndex(read().map(quickEntry));
      quick.push(performance.now() - t0);
    }
    console.log(`  matching index from front matter only (Markdown parsed later, per runbook): median ${median(quick).toFixed(1)} ms`);
    const previous = new Map(runbooks.map((r) => [r.path, r]));
    const rescans: number[] = [];
    for (let r = 0; r < 5; r++) {
      const t0 = performance.now();
      const changed = read().map((f, i) => (i === r ? { ...f, text: `${f.text}\nedited ${r}\n` } : f));
      scanLibrary(changed, previous);
      rescans.push(performance.now() - t0);
    }
    console.log(`  rescan with one file changed (unchanged files reused by content hash): median ${median(rescans).toFixed(1)} ms`);

    const pages = Array.from({ length: 10_000 }, (_, i) => {
      const n = (i * 7919) % 600; // some alerts have no runbook
      const style = i % 4;
      return {
        runbookUrl: style === 0 ? `https://runbooks.example.dev/runbooks/team-${n % 10}/alert${n}` : style === 1 ? `https://wiki.example/alias-${n}` : null,
        labels: { alertname: `Alert${n}`, team: `team-${n % 7}` },
      };
    });
    const tIndex = performance.now();
    const index = buildRunbookIndex(runbooks);
    const indexMs = performance.now() - tIndex;
    const matchRuns: number[] = [];
    let found = 0;
    for (let r = 0; r < 5; r++) {
      found = 0;
      const t0 = performance.now();
      for (const p of pages) if (matchRunbook(index, p)) found++;
      matchRuns.push(performance.now() - t0);
    }
    console.log(`runbooks: match 10,000 pages (runbook_url, aliases, label matchers) against 500 runbooks, ${found} matched:`);
    console.log(`  index ${indexMs.toFixed(1)} ms, match first ${matchRuns[0]!.toFixed(1)} ms, median of 5 ${median(matchRuns).toFixed(1)} ms   (goal ≤ 100 ms)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(workerDir, { recursive: true, force: true });
  }
}

/** An incident whose timeline has `events` entries: notes and status updates every 5 s. */
function bigIncident(events: number, t0: number) {
  let incident = createIncident({ id: 'bench-incident', by: 'ann', title: 'Checkout down', severity: 'P1' }, t0).incident;
  for (let i = 0; incident.entries.length < events; i++) {
    incident = applyIncidentAction(incident, i % 10 === 0 ? { type: 'postUpdate', by: 'cem', text: `Update ${i}` } : { type: 'note', by: 'ann', text: `Note ${i}` }, t0 + i * 5_000).incident;
  }
  return incident;
}

/**
 * The incident page for an incident with 2,000 timeline events, in Debian Chromium with the real
 * renderer bundle (dist/renderer, as npm run bench builds it) on real IndexedDB, wired to the real
 * main services: from setting `#/incidents/<id>` until the newest timeline line is in the DOM and
 * a frame has been painted after it.
 */
export async function benchIncidentPage(): Promise<void> {
  const { startApp } = await import('../test/e2e/app-host');
  const { testDataDir } = await import('../test/helpers/main-harness');
  const T0 = Date.now() - 3 * 3_600_000;
  const incident = bigIncident(2_000, T0);
  const newest = incident.entries.at(-1)!;
  const newestText = newest.text ?? '';
  const dataDir = testDataDir();
  const { services, ui } = await startApp({ dataDir });
  const { page } = ui;
  try {
    await page.getByRole('navigation').first().waitFor();
    // tsx keeps function names with a __name helper; functions handed to page.evaluate need it too
    await page.evaluate('window.__name = (f) => f');
    // stored as the app stores it: the incident record in the app's own IndexedDB
    await page.evaluate(async (stored) => {
      const req = indexedDB.open('on-call-companion');
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      });
      const tx = db.transaction('incidents', 'readwrite');
      tx.objectStore('incidents').put(stored);
      await new Promise<void>((resolve, reject) => {
        tx.oncomplete = () => resolve();
        tx.onerror = () => reject(tx.error);
      });
      db.close();
    }, incident);
    const open = (hash: string, lastLine: string | null) =>
      page.evaluate(
        ({ hash, lastLine }) =>
          new Promise<{ ms: number; lines: number; longest: number }>((resolve) => {
            let longest = 0;
            const obs = new PerformanceObserver((list) => {
              for (const e of list.getEntries()) longest = Math.max(longest, e.duration);
            });
            obs.observe({ type: 'longtask' });
            const t0 = performance.now();
            const done = () => {
              const items = document.querySelectorAll('.incident-timeline li');
              const last = items[items.length - 1];
              if (lastLine === null ? document.querySelector('.incident') === null : last?.textContent?.includes(lastLine)) {
                // painted: the frame after the one that laid the line out
                requestAnimationFrame(() =>
                  setTimeout(() => {
                    obs.disconnect();
                    resolve({ ms: performance.now() - t0, lines: items.length, longest });
                  }, 0),
                );
              } else requestAnimationFrame(done);
            };
            location.hash = hash;
            requestAnimationFrame(done);
          }),
        { hash, lastLine },
      );
    const runs: Array<{ ms: number; lines: number; longest: number }> = [];
    for (let r = 0; r < 7; r++) {
      runs.push(await open(`#/incidents/${incident.id}`, newestText));
      await open('#/pages', null);
    }
    const first = runs[0]!;
    console.log(`incidents: incident page with ${incident.entries.length} timeline events in Debian Chromium (real renderer bundle, IndexedDB, main services): #/incidents/<id> set → newest of ${first.lines} timeline lines in the DOM and the next frame painted (from the Pages view; includes the IndexedDB read, timeline merge, React render, layout):`);
    const task = first.longest > 0 ? `longest task ${first.longest.toFixed(0)} ms` : 'no task over 50 ms';
    console.log(`  first (cold: the Incidents view's first mount in this window) ${first.ms.toFixed(0)} ms (${task}), median of 7 ${median(runs.map((r) => r.ms)).toFixed(0)} ms, load average ${loadavg()[0]!.toFixed(1)}   (goal ≤ 200 ms)`);
    if (ui.consoleErrors.length > 0) console.log(`  console errors: ${ui.consoleErrors.join(' | ')}`);
  } finally {
    await ui.stop();
    await services.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

// `npx tsx bench/runbooks.ts`: the runbook library figures alone (npm run bench gets them through bench/run.ts)
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) await benchRunbooks();
