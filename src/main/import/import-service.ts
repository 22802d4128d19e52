import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ImportError } from './errors';
import { jobFailure } from './job-error';
import type { ImportJob, ImportJobs, ImportKind, WorkerData, WorkerRole } from './jobs';
import type { JobMessage, JobRequest } from './worker-host';

/** A job that runs longer than this is stopped: the budget for one import. */
export const DEFAULT_TIME_BUDGET_MS = 2_000;
/** The worker's V8 heap limit; a job that needs more is stopped and reported as such. */
export const DEFAULT_MAX_OLD_GENERATION_MB = 256;

/** Job kinds that parse runbooks: their workers get RUNBOOK_HEAP_MB. */
const RUNBOOK_KINDS: ReadonlySet<ImportKind> = new Set(['runbook', 'runbooks', 'runbook-outlines']);

/**
 * The heap of the runbook parsers. Their input is bounded before it gets there (a file ≤ 4 MiB,
 * ≤ 2 MiB of text, a batch ~16 KiB) and the time budget stops a runaway parse, so the heap limit
 * is not what guards them. Under a 256 MB limit V8 collects the old generation so often that it
 * throws away remark's optimized code and recompiles it every few batches: measured on 500
 * runbooks, the V8 compiler threads then spent about as much CPU as the parse itself. With 2 GiB
 * the code stays (512 MiB and 1 GiB measured no better than 256); the webhook worker has 2 GiB
 * for its own reasons already.
 */
export const RUNBOOK_HEAP_MB = 2048;

/**
 * Workers per pool: one per core up to two. Two parse a runbook folder in about half the time;
 * more would only compete with main's thread (and the webhook listener on it) on a laptop.
 */
export const DEFAULT_WORKERS = Math.max(1, Math.min(2, availableParallelism()));

/** A fresh worker gets this long to load before its first job's budget starts counting. */
const STARTUP_ALLOWANCE_MS = 10_000;

/** Where the worker's code is: the bundle in dist, or the TypeScript entry run through tsx. */
export type WorkerEntry = { kind: 'bundle'; file: string } | { kind: 'source'; file: string };

/** Runs imports off main's event loop. */
export interface ImportService {
  /**
   * Runs one job; rejects with ImportError when the budget is exceeded or the worker dies. With
   * `first`, the job goes ahead of those already waiting (a library's outlines before its batches).
   */
  run<K extends ImportKind>(kind: K, input: ImportJobs[K]['input'], options?: RunOptions): Promise<ImportJobs[K]['output']>;
  /** Stops the workers; queued jobs are refused. */
  stop(): Promise<void>;
  /**
   * Starts the runbook workers now, if they are not running, so they have loaded and warmed their
   * parser before the first job: starting a thread and loading remark is most of what a first
   * import costs.
   */
  warm?(): void;
}

/** How one job is queued. */
export interface RunOptions {
  /** Ahead of every job still waiting (not of those already running). */
  first?: boolean;
}

/** Budgets and worker location; the defaults are the (2 s, 256 MB heap, the shipped worker). */
export interface ImportServiceOptions {
  timeBudgetMs?: number;
  maxOldGenerationSizeMb?: number;
  entry?: WorkerEntry;
  /** How many worker threads of each heap class may run jobs at once; started when needed (or by warm). */
  workers?: number;
  /** Heap of the runbook parsers (RUNBOOK_HEAP_MB; never less than maxOldGenerationSizeMb). */
  runbookHeapMb?: number;
}

function moduleDir(): string {
  // ESM under vitest and tsx; in the CJS bundle the bundler turns import.meta.url into __filename's
  // URL. (Not __dirname: an ESM module would see whatever global of that name a host defines.)
  return path.dirname(fileURLToPath(import.meta.url));
}

/**
 * Finds the worker: dist/main/import-worker.cjs next to the main bundle, else this folder's
 * import-worker.ts (running from source under vitest or tsx).
 */
export function defaultWorkerEntry(dir = moduleDir()): WorkerEntry {
  const bundle = path.join(dir, 'import-worker.cjs');
  if (existsSync(bundle)) return { kind: 'bundle', file: bundle };
  const source = [path.join(dir, 'import-worker.ts'), path.join(dir, 'import', 'import-worker.ts')].find((f) => existsSync(f));
  if (source) return { kind: 'source', file: source };
  throw new Error(`import worker not found next to ${dir}: run the build (dist/main/import-worker.cjs)`);
}

function spawn(entry: WorkerEntry, maxOldGenerationSizeMb: number, role: WorkerRole): Worker {
  const resourceLimits = { maxOldGenerationSizeMb };
  const workerData: WorkerData = { role };
  // The bundle needs no loader: without execArgv: [] a worker would inherit main's (say tsx's
  // --import under the benches) and load and run it before the importers, a second per start.
  if (entry.kind === 'bundle') return new Worker(entry.file, { resourceLimits, execArgv: [], workerData });
  // From source: tsx's require hook compiles the TypeScript entry and its imports in the worker.
  const tsx = createRequire(entry.file).resolve('tsx/cjs/api');
  const code = `require(${JSON.stringify(tsx)}).register(); require(${JSON.stringify(entry.file)});`;
  return new Worker(code, { eval: true, resourceLimits, workerData });
}

interface Pending {
  id: number;
  job: ImportJob;
  resolve(value: unknown): void;
  reject(err: Error): void;
}

/** One worker of the pool and the job it runs, if any. */
interface Slot {
  /** Its heap limit, fixed when the thread starts: the class of jobs it serves. */
  heapMb: number;
  worker: Worker | null;
  current: (Pending & { rules: string[]; timer: NodeJS.Timeout }) | null;
}

/** Copies a view onto a shared or pooled buffer; transfers a buffer the view owns whole. */
function transferable(job: ImportJob): { job: ImportJob; transfer: ArrayBuffer[] } {
  const { bytes } = job;
  const owned = bytes.buffer instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
  if (owned) return { job, transfer: [bytes.buffer as ArrayBuffer] };
  const copy = new Uint8Array(bytes);
  return { job: { ...job, bytes: copy }, transfer: [copy.buffer] };
}

/**
 * Pools of worker threads (two each on a machine with two cores or more) run the pure importers,
 * each worker one job at a time, each job within a time and memory budget: a folder of runbooks
 * is parsed on both cores, and a feed import does not wait behind a big scan. Runbook parsing has
 * workers of its own with a larger heap (see RUNBOOK_HEAP_MB); feeds, rota files and webhooks
 * share the others. Jobs of a kind start in the order they were asked for. A job over budget is
 * refused with ImportError naming the budget (and the rule, when the job has one); its worker is
 * then terminated and a fresh one serves the next job, as after a crash. Other workers' jobs are
 * not touched.
 */
export function createImportService(opts: ImportServiceOptions = {}): ImportService {
  const budgetMs = opts.timeBudgetMs ?? DEFAULT_TIME_BUDGET_MS;
  const heapMb = opts.maxOldGenerationSizeMb ?? DEFAULT_MAX_OLD_GENERATION_MB;
  const runbookHeapMb = Math.max(heapMb, opts.runbookHeapMb ?? RUNBOOK_HEAP_MB);
  const size = Math.max(1, Math.floor(opts.workers ?? DEFAULT_WORKERS));
  const heapFor = (kind: ImportKind) => (RUNBOOK_KINDS.has(kind) ? runbookHeapMb : heapMb);
  let entry = opts.entry;
  const queue: Pending[] = [];
  const slots: Slot[] = [];
  let nextId = 1;
  let stopped = false;

  function finish(slot: Slot, outcome: { value: unknown } | { error: Error }): void {
    const job = slot.current;
    if (!job) return;
    slot.current = null;
    clearTimeout(job.timer);
    if ('error' in outcome) job.reject(outcome.error);
    else job.resolve(outcome.value);
    slot.worker?.unref(); // an idle worker must not keep the process alive
    pump();
  }

  function discard(slot: Slot, w: Worker): void {
    if (slot.worker === w) slot.worker = null;
    w.removeAllListeners();
    w.on('error', () => undefined);
    void w.terminate();
  }

  function ruleParam(slot: Slot): Record<string, string> {
    return slot.current?.rules.length ? { rule: slot.current.rules.join(', ') } : {};
  }

  function ensureWorker(slot: Slot): Worker {
    if (slot.worker) return slot.worker;
    entry ??= defaultWorkerEntry();
    const w = spawn(entry, slot.heapMb, slot.heapMb === runbookHeapMb ? 'runbooks' : 'general');
    w.on('message', (m: JobMessage) => {
      const current = slot.current;
      if (!current || m.id !== current.id) return;
      if (m.type === 'hints') {
        // the job has begun: its budget counts from here, not from a worker still loading
        current.rules = m.rules;
        clearTimeout(current.timer);
        current.timer = overBudget(slot, w, budgetMs);
      } else if (m.type === 'done') finish(slot, { value: m.value });
      else {
        // the importer's own refusal (RotaImportError): its text names the line or field
        finish(slot, { error: jobFailure(m.error) });
      }
    });
    w.on('error', (err: Error & { code?: string }) => {
      const oom = err.code === 'ERR_WORKER_OUT_OF_MEMORY';
      const error = oom ? new ImportError('imports.memoryBudget', { megabytes: slot.heapMb, ...ruleParam(slot) }) : new ImportError('imports.crashed', { reason: err.message });
      discard(slot, w);
      finish(slot, { error });
    });
    w.on('exit', (code) => {
      // exit without an 'error' event: killed from outside, or process.exit in an importer
      discard(slot, w);
      finish(slot, { error: new ImportError('imports.crashed', { reason: `worker exited with code ${code}` }) });
    });
    slot.worker = w;
    return w;
  }

  function overBudget(slot: Slot, w: Worker, ms: number): NodeJS.Timeout {
    return setTimeout(() => {
      const error = new ImportError('imports.timeBudget', { seconds: budgetMs / 1000, ...ruleParam(slot) });
      discard(slot, w);
      finish(slot, { error });
    }, ms);
  }

  /**
   * An idle slot of the heap class `mb`: one whose worker is up (and warm) before one that must
   * start a thread, and a new slot while the class has fewer than `size`.
   */
  function idleSlot(mb: number): Slot | undefined {
    const own = slots.filter((s) => s.heapMb === mb);
    const idle = own.find((s) => !s.current && s.worker) ?? own.find((s) => !s.current);
    if (idle || own.length >= size) return idle;
    const slot: Slot = { heapMb: mb, worker: null, current: null };
    slots.push(slot);
    return slot;
  }

  function pump(): void {
    // in queue order, each job on a free worker of its class; a class with none busy waits, the other goes on
    for (let i = 0; i < queue.length && !stopped; ) {
      const slot = idleSlot(heapFor(queue[i]!.job.kind));
      if (!slot) {
        i++;
        continue;
      }
      const next = queue.splice(i, 1)[0]!;
      let w: Worker;
      try {
        w = ensureWorker(slot);
      } catch (err) {
        next.reject(new ImportError('imports.crashed', { reason: (err as Error).message }));
        continue;
      }
      slot.current = { ...next, rules: [], timer: overBudget(slot, w, budgetMs + STARTUP_ALLOWANCE_MS) };
      w.ref();
      const { job, transfer } = transferable(next.job);
      w.postMessage({ id: next.id, job } satisfies JobRequest, transfer);
    }
  }

  return {
    run(kind, input, options) {
      if (stopped) return Promise.reject(new ImportError('imports.crashed', { reason: 'the import service is stopped' }));
      return new Promise((resolve, reject) => {
        const pending = { id: nextId++, job: { kind, ...input } as ImportJob, resolve: resolve as (v: unknown) => void, reject };
        if (options?.first) queue.unshift(pending);
        else queue.push(pending);
        pump();
      });
    },
    warm() {
      if (stopped) return;
      const count = (mb: number) => slots.filter((s) => s.heapMb === mb).length;
      // the runbook parsers: what a warm start is for
      while (count(runbookHeapMb) < size) slots.push({ heapMb: runbookHeapMb, worker: null, current: null });
      // and one general worker, so the first big webhook is not held up by a thread starting (a feed's
      // second import can wait for its thread)
      if (count(heapMb) === 0) slots.push({ heapMb, worker: null, current: null });
      for (const slot of slots) {
        if (slot.worker) continue;
        try {
          ensureWorker(slot).unref(); // a warm idle worker must not keep the process alive
        } catch {
          return; // no worker to be found: the first job reports it
        }
      }
    },
    async stop() {
      stopped = true;
      for (const p of queue.splice(0)) p.reject(new ImportError('imports.crashed', { reason: 'the import service is stopped' }));
      for (const slot of slots) if (slot.current) finish(slot, { error: new ImportError('imports.crashed', { reason: 'the import service is stopped' }) });
      const workers = slots.flatMap((s) => (s.worker ? [s.worker] : []));
      for (const slot of slots) slot.worker = null;
      await Promise.all(
        workers.map((w) => {
          w.removeAllListeners();
          w.on('error', () => undefined);
          return w.terminate();
        }),
      );
    },
  };
}
