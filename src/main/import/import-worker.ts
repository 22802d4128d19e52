// Entry of the import worker thread (bundled to dist/main/import-worker.cjs).
import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { importRunners, WARM_UP_ROUNDS, WARM_UP_SLICE, warmUpParsers } from './jobs';
import { serveImportJobs } from './worker-host';

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
// The first real job ends the warm-up: from then on real runbooks warm the JIT.
let jobArrived = false;
parentPort.once('message', () => {
  jobArrived = true;
});
serveImportJobs(parentPort, importRunners);
// right after start, before any job can arrive: a job posted meanwhile waits in the port's queue
warmUpParsers();
// Then more rounds in small slices, each giving a posted job its turn first, until V8 has
// optimized remark's hot paths: a dozen parses leave most of it in the interpreter, and the
// first folder scan paid ~400 compilations on the compiler threads while parsing.
let warmed = 0;
const slice = () => {
  if (jobArrived || warmed >= WARM_UP_ROUNDS) return;
  warmUpParsers(WARM_UP_SLICE);
  warmed += WARM_UP_SLICE;
  setImmediate(slice);
};
setImmediate(slice);
