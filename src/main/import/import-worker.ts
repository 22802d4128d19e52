// Entry of the import worker thread (bundled to dist/main/import-worker.cjs).
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { importRunners, WARM_UP_ROUNDS, WARM_UP_SLICE, warmUpParsers, warmUpWebhookParser, type WorkerData } from './jobs';
import { serveImportJobs, warmInBackground } from './worker-host';

if (!parentPort) throw new Error('import-worker must run in a worker thread');
// On Linux the nice value is per thread, so this lowers the importer alone: on a busy laptop a
// big feed waits for the CPU, the webhook listener on main's thread does not. (Elsewhere it would
// lower the whole app, so it is left alone there.)
if (process.platform === 'linux') {
  try {
    setPriority(0, 10);
  } catch {
    // not allowed here: imports still run, at normal priority
  }
}
serveImportJobs(parentPort, importRunners);
if ((workerData as WorkerData | undefined)?.role === 'general') {
  // a general worker takes big webhooks, feeds and rota files: warming remark there would only hold
  // up the first storm's parse (a job posted meanwhile waits in the port's queue)
  warmUpWebhookParser();
} else {
  // right after start, before any job can arrive: a job posted meanwhile waits in the port's queue
  warmUpParsers();
  // then more in the background, until the first job
  warmInBackground(parentPort, warmUpParsers, { rounds: WARM_UP_ROUNDS, slice: WARM_UP_SLICE });
}
