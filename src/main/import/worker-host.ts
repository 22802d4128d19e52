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
