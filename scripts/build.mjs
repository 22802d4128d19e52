// Builds main (CJS, Node), the import worker (CJS, loaded by main with worker_threads), preload (one self-contained CJS file, as a sandboxed preload must be)
// and the renderer (Vite + React), then copies the icons next to them.
import { cpSync, mkdirSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { build } from 'vite';

const nodeExternals = ['electron', ...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

async function nodeBundle(entry, outDir, fileName, external, emptyOutDir = true) {
  await build({
    configFile: false,
    logLevel: 'warn',
    ssr: { noExternal: true, external: external.filter((e) => !e.startsWith('node:') && e !== 'electron') },
    build: {
      ssr: entry,
      outDir,
      emptyOutDir,
      target: 'node20',
      minify: false,
      sourcemap: true,
      rollupOptions: { external, output: { format: 'cjs', entryFileNames: fileName } },
    },
  });
}

// The import worker (issue 6): its own bundle next to main.cjs, where import-service.ts looks
// first; built after main so main's emptyOutDir does not remove it.
const importWorker = (outDir) => nodeBundle('src/main/import/import-worker.ts', outDir, 'import-worker.cjs', nodeExternals, false);

const only = process.argv[2];
if (only === 'import-worker') {
  // `node scripts/build.mjs import-worker <dir>`: the worker alone, for the test of the bundle
  await importWorker(process.argv[3] ?? 'dist/main');
  process.exit(0);
}
if (!only || only === 'main') {
  // node-notifier stays outside the bundle: it finds its vendored helpers through __dirname.
  await nodeBundle('src/main/index.ts', 'dist/main', 'main.cjs', [...nodeExternals, 'node-notifier']);
  await importWorker('dist/main');
  await nodeBundle('src/preload/index.ts', 'dist/preload', 'preload.cjs', nodeExternals);
}
if (!only || only === 'renderer') {
  await build({ configFile: 'vite.config.ts', logLevel: 'warn' });
}
mkdirSync('dist/assets', { recursive: true });
cpSync('assets', 'dist/assets', { recursive: true });
console.log('built dist/main, dist/preload, dist/renderer');
