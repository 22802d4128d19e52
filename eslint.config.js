// ESLint: typescript-eslint's recommended rules plus the import boundaries of the architecture.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const platform = ['electron', 'node:*', 'fs', 'path', 'os', 'http', 'https', 'net', 'crypto', 'child_process', 'worker_threads', 'react', 'react-dom', 'dexie', 'dexie-react-hooks'];
const rawIpc = {
  name: 'electron',
  importNames: ['ipcMain', 'ipcRenderer'],
  message: 'Raw ipcMain/ipcRenderer belong only in the typed IPC wrappers (src/main/electron/ipc.ts, src/preload/index.ts).',
};

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', '.tsbuild/**', 'test-results/**', 'bench/results/**', '**/*.cjs', '**/.*'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', destructuredArrayIgnorePattern: '^_' }],
      'no-sequences': 'error',
      // alert text is stripped of control characters on purpose (notifier.ts)
      'no-control-regex': 'off',
      'no-restricted-imports': ['error', { paths: [rawIpc] }],
    },
  },
  {
    // src/core is pure domain code: no platform, UI or storage imports, and nothing from the layers above it.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [rawIpc],
          patterns: [
            { group: platform, message: 'src/core is pure: no electron, node:, React or Dexie imports.' },
            { group: ['**/main/**', '**/renderer/**', '**/preload/**', '../main*', '../renderer*', '../preload*'], message: 'src/core imports nothing from main, renderer or preload.' },
          ],
        },
      ],
    },
  },
  {
    // The renderer reaches main only through the preload bridge; it may import core and preload types.
    files: ['src/renderer/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [rawIpc],
          patterns: [
            { group: ['electron', 'node:*'], message: 'The renderer is sandboxed: no electron or node: imports.' },
            { group: ['**/main/**', '../main*', '../../main*'], message: 'The renderer does not import main-process code.' },
            { regex: '(^|/)preload/(?!api$)', message: 'The renderer imports only the preload API types.' },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', Buffer: 'readonly' } },
  },
  {
    files: ['src/main/electron/ipc.ts', 'src/preload/index.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
);
