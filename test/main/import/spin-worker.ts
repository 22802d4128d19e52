// A test worker with misbehaving importers, to exercise the service's budgets deterministically.
import { parentPort } from 'node:worker_threads';
import { importRunners } from '../../../src/main/import/jobs';
import { serveImportJobs } from '../../../src/main/import/worker-host';

const hog: unknown[] = [];
const spins = (bytes: Uint8Array) => new TextDecoder().decode(bytes).includes('X-SPIN');
/** A runbook that kills its worker: the thread exits mid-job, as after a native crash. */
const exits = (bytes: Uint8Array) => new TextDecoder().decode(bytes).includes('X-EXIT');
serveImportJobs(parentPort!, {
  ical: (input) => {
    if (spins(input.bytes)) for (;;);
    return importRunners.ical(input);
  },
  'rota-file': (input) => {
    if (input.fileName === 'hog.yaml') for (;;) hog.push(new Array(100_000).fill({ x: hog.length }));
    if (input.fileName === 'exit.yaml') process.exit(3);
    return importRunners['rota-file'](input);
  },
  'alertmanager-webhook': (input) => importRunners['alertmanager-webhook'](input),
  runbook: (input) => {
    if (spins(input.bytes)) for (;;);
    if (exits(input.bytes)) process.exit(3);
    return importRunners.runbook(input);
  },
  runbooks: (input) => {
    if (spins(input.bytes)) for (;;);
    if (exits(input.bytes)) process.exit(3);
    return importRunners.runbooks(input);
  },
  'runbook-outlines': (input) => importRunners['runbook-outlines'](input),
});
