import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { CONTENT_SECURITY_POLICY } from './src/main/security';

/** One CSP for the app: written in security.ts, put into index.html here. */
const csp: Plugin = {
  name: 'on-call-csp',
  transformIndexHtml: () => [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY }, injectTo: 'head-prepend' }],
};

/** The renderer bundle, loaded from disk by Electron (hence relative `base`). */
export default defineConfig({
  root: 'src/renderer',
  base: './',
  plugins: [react(), csp],
  build: {
    outDir: '../../dist/renderer',
    emptyOutDir: true,
    target: 'chrome130',
    sourcemap: true,
    // the budget that matters is gzip size, measured by npm run bench
    chunkSizeWarningLimit: 800,
  },
});
