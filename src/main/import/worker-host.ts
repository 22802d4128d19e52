import type { MessagePort } from 'node:worker_threads';
import { serializeJobError, type SerializedJobError } from './job-error';
import { ruleHints, type ImportJob, type ImportRunners } from './jobs';

export type { SerializedJobError } from './job-error';

/** Main → worker: run this job. */
export interface JobRequest {
  id: number;
  job: ImportJob;
}
/** Worker → main: hints before running, then exactly one result per job. */
export type JobMessage =
  | { id: number; type: 'hints'; rules: string[] }
  | { id: number; type: 'done'; value: unknown }
  | { id: number; type: 'failed'; error: SerializedJobError };

/** Runs jobs posted on `port` with the given runners; the body of every import worker. */
export function serveImportJobs(port: Pick<MessagePort, 'on' | 'postMessage'>, runners: ImportRunners): void {
  port.on('message', (request: JobRequest) => {
    const { id, job } = request;
    port.postMessage({ id, type: 'hints', rules: ruleHints(job) } satisfies JobMessage);
    let message: JobMessage;
    try {
      const run = runners[job.kind] as (input: unknown) => unknown;
      if (!run) throw new Error(`unknown import kind ${String(job.kind)}`);
      message = { id, type: 'done', value: run(job) };
    } catch (err) {
      message = { id, type: 'failed', error: serializeJobError(err) };
    }
    port.postMessage(message);
  });
}

/** How the background warm-up goes: how many rounds in all, how many per slice, and how a slice is scheduled. */
export interface WarmOptions {
  rounds: number;
  slice: number;
  schedule?: (fn: () => void) => void;
}

/**
 * Keeps warming the parsers in small slices, each scheduled after whatever the event loop has
 * (a job posted meanwhile runs first, waiting at most one slice), and stops for good at the first
 * job: from then on real work warms the JIT. Why at all: a dozen parses at start leave most of
 * remark in V8's interpreter, and the first folder scan then paid some 400 optimizing
 * compilations while it parsed.
 */
export function warmInBackground(port: Pick<MessagePort, 'once'>, warm: (rounds: number) => void, opts: WarmOptions): void {
  const schedule = opts.schedule ?? ((fn: () => void) => void setImmediate(fn));
  let jobArrived = false;
  port.once('message', () => {
    jobArrived = true;
  });
  let done = 0;
  const slice = () => {
    if (jobArrived || done >= opts.rounds) return;
    const n = Math.min(opts.slice, opts.rounds - done);
    warm(n);
    done += n;
    schedule(slice);
  };
  schedule(slice);
}
