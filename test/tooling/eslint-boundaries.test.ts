import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/** Lints a snippet as if it lived at `file`, with the project's config; returns the rule ids hit. */
async function rulesHit(file: string, code: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: process.cwd() });
  const [result] = await eslint.lintText(code, { filePath: file });
  return (result?.messages ?? []).map((m) => m.ruleId ?? 'fatal');
}

describe('ESLint import boundaries', () => {
  it('src/core may not import platform code, nor main or renderer', async () => {
    expect(await rulesHit('src/core/x.ts', "import * as fs from 'node:fs';\nexport const a = fs;\n")).toContain('no-restricted-imports');
    expect(await rulesHit('src/core/x.ts', "import { app } from 'electron';\nexport const a = app;\n")).toContain('no-restricted-imports');
    expect(await rulesHit('src/core/x.ts', "import Dexie from 'dexie';\nexport const a = Dexie;\n")).toContain('no-restricted-imports');
    expect(await rulesHit('src/core/x.ts', "import { setupPages } from '../main/features/pages';\nexport const a = setupPages;\n")).toContain('no-restricted-imports');
    expect(await rulesHit('src/core/x.ts', "import { z } from 'zod';\nexport const a = z;\n")).toEqual([]);
  });

  it('the renderer imports only core, libraries and the preload API types', async () => {
    expect(await rulesHit('src/renderer/x.ts', "import { startMainServices } from '../main/services';\nexport const a = startMainServices;\n")).toContain('no-restricted-imports');
    expect(await rulesHit('src/renderer/x.ts', "import * as fs from 'node:fs';\nexport const a = fs;\n")).toContain('no-restricted-imports');
    expect(await rulesHit('src/renderer/x.ts', "import type { OnCallApi } from '../preload/api';\nexport type A = OnCallApi;\n")).toEqual([]);
    expect(await rulesHit('src/renderer/x.ts', "import { mapSeverity } from '../core/severity';\nexport const a = mapSeverity;\n")).toEqual([]);
  });

  it('raw ipcMain/ipcRenderer only in the typed IPC wrappers', async () => {
    const code = "import { ipcMain } from 'electron';\nexport const a = ipcMain;\n";
    expect(await rulesHit('src/main/features/x.ts', code)).toContain('no-restricted-imports');
    expect(await rulesHit('src/main/electron/ipc.ts', code)).toEqual([]);
    expect(await rulesHit('src/preload/index.ts', "import { ipcRenderer } from 'electron';\nexport const a = ipcRenderer;\n")).toEqual([]);
  });

  it('comma-operator one-liners are refused', async () => {
    expect(await rulesHit('src/main/x.ts', 'let a = 0;\nlet b = 0;\nexport const f = () => (a++, b++);\n')).toContain('no-sequences');
  });
});
