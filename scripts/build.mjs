// Builds main (CJS, Node), preload (one self-contained CJS file, as a sandboxed preload must be)
// and the renderer (Vite + React), then copies the icons next to them.
import { cpSync, mkdirSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { build } from 'vite';

const nodeExternals = ['electron', ...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

async function nodeBundle(entry, outDir, fileName, external) {
  await build({
    configFile: false,
    logLevel: 'warn',
    ssr: { noExternal: true, external: external.filter((e) => !e.startsWith('node:') && e !== 'electron') },
    build: {
      ssr: entry,
      outDir,
      emptyOutDir: true,
      target: 'node20',
      minify: false,
      sourcemap: true,
      rollupOptions: { external, output: { format: 'cjs', entryFileNames: fileName } },
    },
  });
}

const only = process.argv[2];
if (!only || only === 'main') {
  // node-notifier stays outside the bundle: it finds its vendored helpers through __dirname.
  await nodeBundle('src/main/index.ts', 'dist/main', 'main.cjs', [...nodeExternals, 'node-notifier']);
  await nodeBundle('src/preload/index.ts', 'dist/preload', 'preload.cjs', nodeExternals);
}
if (!only || only === 'renderer') {
  await build({ configFile: 'vite.config.ts', logLevel: 'warn' });
}
mkdirSync('dist/assets', { recursive: true });
cpSync('assets', 'dist/assets', { recursive: true });
console.log('built dist/main, dist/preload, dist/renderer');
