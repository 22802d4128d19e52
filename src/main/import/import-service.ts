import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ImportError } from './errors';
import { jobFailure } from './job-error';
import type { ImportJob, ImportJobs, ImportKind } from './jobs';
import type { JobMessage, JobRequest } from './worker-host';

/** A job that runs longer than this is stopped: the budget for one import. */
export const DEFAULT_TIME_BUDGET_MS = 2_000;
/** The worker's V8 heap limit; a job that needs more is stopped and reported as such. */
export const DEFAULT_MAX_OLD_GENERATION_MB = 256;

/** A fresh worker gets this long to load before its first job's budget starts counting. */
const STARTUP_ALLOWANCE_MS = 10_000;

/** Where the worker's code is: the bundle in dist, or the TypeScript entry run through tsx. */
export type WorkerEntry = { kind: 'bundle'; file: string } | { kind: 'source'; file: string };

/** Runs imports off main's event loop. */
export interface ImportService {
  /** Runs one job; rejects with ImportError when the budget is exceeded or the worker dies. */
  run<K extends ImportKind>(kind: K, input: ImportJobs[K]['input']): Promise<ImportJobs[K]['output']>;
  /** Stops the worker; queued jobs are refused. */
  stop(): Promise<void>;
  /**
   * Starts the worker now, if it is not running, so it has loaded (and warmed its parsers) before
   * the first job: starting a thread and loading remark is most of what a first import costs.
   */
  warm?(): void;
}

/** Budgets and worker location; the defaults are the (2 s, 256 MB heap, the shipped worker). */
export interface ImportServiceOptions {
  timeBudgetMs?: number;
  maxOldGenerationSizeMb?: number;
  entry?: WorkerEntry;
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

function spawn(entry: WorkerEntry, maxOldGenerationSizeMb: number): Worker {
  const resourceLimits = { maxOldGenerationSizeMb };
  if (entry.kind === 'bundle') return new Worker(entry.file, { resourceLimits });
  // From source: tsx's require hook compiles the TypeScript entry and its imports in the worker.
  const tsx = createRequire(entry.file).resolve('tsx/cjs/api');
  const code = `require(${JSON.stringify(tsx)}).register(); require(${JSON.stringify(entry.file)});`;
  return new Worker(code, { eval: true, resourceLimits });
}

interface Pending {
  id: number;
  job: ImportJob;
  resolve(value: unknown): void;
  reject(err: Error): void;
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
 * One worker thread runs the pure importers, one job at a time, each within a time and memory
 * budget. A job over budget is refused with ImportError naming the budget (and the rule, when
 * the job has one); the worker is then terminated and a fresh one serves the next job, as after
 * a crash.
 */
export function createImportService(opts: ImportServiceOptions = {}): ImportService {
  const budgetMs = opts.timeBudgetMs ?? DEFAULT_TIME_BUDGET_MS;
  const heapMb = opts.maxOldGenerationSizeMb ?? DEFAULT_MAX_OLD_GENERATION_MB;
  let entry = opts.entry;
  const queue: Pending[] = [];
  let worker: Worker | null = null;
  let current: (Pending & { rules: string[]; timer: NodeJS.Timeout }) | null = null;
  let nextId = 1;
  let stopped = false;

  function finish(outcome: { value: unknown } | { error: Error }): void {
    const job = current;
    if (!job) return;
    current = null;
    clearTimeout(job.timer);
    if ('error' in outcome) job.reject(outcome.error);
    else job.resolve(outcome.value);
    worker?.unref(); // an idle worker must not keep the process alive
    pump();
  }

  function discard(w: Worker): void {
    if (worker === w) worker = null;
    w.removeAllListeners();
    w.on('error', () => undefined);
    void w.terminate();
  }

  function ruleParam(): Record<string, string> {
    return current?.rules.length ? { rule: current.rules.join(', ') } : {};
  }

  function ensureWorker(): Worker {
    if (worker) return worker;
    entry ??= defaultWorkerEntry();
    const w = spawn(entry, heapMb);
    w.on('message', (m: JobMessage) => {
      if (!current || m.id !== current.id) return;
      if (m.type === 'hints') {
        // the job has begun: its budget counts from here, not from a worker still loading
        current.rules = m.rules;
        clearTimeout(current.timer);
        current.timer = overBudget(w, budgetMs);
      } else if (m.type === 'done') finish({ value: m.value });
      else {
        // the importer's own refusal (RotaImportError): its text names the line or field
        finish({ error: jobFailure(m.error) });
      }
    });
    w.on('error', (err: Error & { code?: string }) => {
      const oom = err.code === 'ERR_WORKER_OUT_OF_MEMORY';
      const error = oom ? new ImportError('imports.memoryBudget', { megabytes: heapMb, ...ruleParam() }) : new ImportError('imports.crashed', { reason: err.message });
      discard(w);
      finish({ error });
    });
    w.on('exit', (code) => {
      // exit without an 'error' event: killed from outside, or process.exit in an importer
      discard(w);
      finish({ error: new ImportError('imports.crashed', { reason: `worker exited with code ${code}` }) });
    });
    worker = w;
    return w;
  }

  function overBudget(w: Worker, ms: number): NodeJS.Timeout {
    return setTimeout(() => {
      const error = new ImportError('imports.timeBudget', { seconds: budgetMs / 1000, ...ruleParam() });
      discard(w);
      finish({ error });
    }, ms);
  }

  function pump(): void {
    if (current || stopped) return;
    const next = queue.shift();
    if (!next) return;
    let w: Worker;
    try {
      w = ensureWorker();
    } catch (err) {
      next.reject(new ImportError('imports.crashed', { reason: (err as Error).message }));
      return pump();
    }
    current = { ...next, rules: [], timer: overBudget(w, budgetMs + STARTUP_ALLOWANCE_MS) };
    w.ref();
    const { job, transfer } = transferable(next.job);
    w.postMessage({ id: next.id, job } satisfies JobRequest, transfer);
  }

  return {
    run(kind, input) {
      if (stopped) return Promise.reject(new ImportError('imports.crashed', { reason: 'the import service is stopped' }));
      return new Promise((resolve, reject) => {
        queue.push({ id: nextId++, job: { kind, ...input } as ImportJob, resolve: resolve as (v: unknown) => void, reject });
        pump();
      });
    },
    warm() {
      if (stopped || worker) return;
      try {
        ensureWorker().unref(); // a warm idle worker must not keep the process alive
      } catch {
        // no worker to be found: the first job reports it
      }
    },
    async stop() {
      stopped = true;
      for (const p of queue.splice(0)) p.reject(new ImportError('imports.crashed', { reason: 'the import service is stopped' }));
      if (current) finish({ error: new ImportError('imports.crashed', { reason: 'the import service is stopped' }) });
      const w = worker;
      worker = null;
      if (w) {
        w.removeAllListeners();
        w.on('error', () => undefined);
        await w.terminate();
      }
    },
  };
}
