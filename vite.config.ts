import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** The renderer bundle, loaded from disk by Electron (hence relative `base`). */
export default defineConfig({
  root: 'src/renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../../dist/renderer',
    emptyOutDir: true,
    target: 'chrome130',
    sourcemap: true,
    // the budget that matters is gzip size, measured by npm run bench
    chunkSizeWarningLimit: 800,
  },
});
