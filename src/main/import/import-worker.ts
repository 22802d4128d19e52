// Entry of the import worker thread (bundled to dist/main/import-worker.cjs).
import { parentPort } from 'node:worker_threads';
import { importRunners } from './jobs';
import { serveImportJobs } from './worker-host';

if (!parentPort) throw new Error('import-worker must run in a worker thread');
serveImportJobs(parentPort, importRunners);
