import type { MessagePort } from 'node:worker_threads';
import { ruleHints, type ImportJob, type ImportRunners } from './jobs';

/** Main → worker: run this job. */
export interface JobRequest {
  id: number;
  job: ImportJob;
}
/** How a job's own error crosses the thread boundary (Error instances lose their class there). */
export interface SerializedJobError {
  name: string;
  message: string;
  code?: string;
  params?: Record<string, unknown>;
}
/** Worker → main: hints before running, then exactly one result per job. */
export type JobMessage =
  | { id: number; type: 'hints'; rules: string[] }
  | { id: number; type: 'done'; value: unknown }
  | { id: number; type: 'failed'; error: SerializedJobError };

function serialize(err: unknown): SerializedJobError {
  if (err instanceof Error) {
    const { code, params } = err as Error & { code?: unknown; params?: unknown };
    return {
      name: err.name,
      message: err.message,
      ...(typeof code === 'string' ? { code } : {}),
      ...(params && typeof params === 'object' ? { params: { ...(params as Record<string, unknown>) } } : {}),
    };
  }
  return { name: 'Error', message: String(err) };
}

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
      message = { id, type: 'failed', error: serialize(err) };
    }
    port.postMessage(message);
  });
}
