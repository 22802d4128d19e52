import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';

const mock = vi.hoisted(() => ({ current: null as ReturnType<typeof import('./electron-mock').makeElectronMock> | null }));
vi.mock('electron', async () => {
  const { makeElectronMock } = await import('./electron-mock');
  mock.current = makeElectronMock();
  return mock.current.module;
});
vi.mock('node-notifier', () => ({ default: { notify: vi.fn() } }));
const { main } = await import('../../../src/main/electron/main');
const { relaunchApp } = await import('../../../src/main/electron/report-export');
const m = () => mock.current!;

type Reply = { ok: true; value: unknown } | { ok: false; error: { code: string; params: Record<string, unknown> } };
const dir = mkdtempSync(path.join(tmpdir(), 'occ-restore-glue-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What Electron's app was asked to do, in order. */
function recordApp(): string[] {
  const calls: string[] = [];
  Object.assign(m().module.app, { relaunch: vi.fn(() => void calls.push('relaunch')), exit: vi.fn((code: number) => void calls.push(`exit ${code}`)) });
  return calls;
}

describe('restore in Electron', () => {
  it('relaunchApp starts a new app and leaves at once (exit, not quit: no window may hold it up)', () => {
    const calls = recordApp();
    relaunchApp();
    expect(calls).toEqual(['relaunch', 'exit 0']);
  });

  it('main wires the restore to app.relaunch + app.exit, and the quit that follows writes nothing over the restored files', async () => {
    const data = path.join(dir, 'user-data');
    const backupFile = path.join(dir, 'backup.json');
    const restoredState = '{"restored":"from the backup"}';
    writeFileSync(backupFile, JSON.stringify({ format: 'on-call-companion-backup', version: 1, createdAt: 0, database: { format: 'on-call-companion-db' }, main: { 'pager-state.json': restoredState, 'pager-journal.jsonl': null, 'config.json': null } }));
    mkdirSync(data);
    writeFileSync(path.join(data, 'config.json'), JSON.stringify({ listener: { host: '127.0.0.1', port: 0, token: 't'.repeat(32) } }));
    m().module.app.getPath.mockReturnValue(data);
    m().module.dialog.showOpenDialog.mockResolvedValue({ canceled: false, filePaths: [backupFile] });
    const calls = recordApp();
    await main();
    const win = m().windows[0]!;
    const invoke = (channel: string, payload?: unknown) => {
      const frame = { url: win.loaded! };
      return m().ipcHandlers.get(channel)!({ senderFrame: frame, sender: { mainFrame: frame } }, payload) as Promise<Reply>;
    };

    expect(await invoke('backup:restore', {})).toEqual({ ok: true, value: { database: '{"format":"on-call-companion-db"}' } });
    expect(await invoke('backup:apply')).toEqual({ ok: true, value: undefined });
    expect(readFileSync(path.join(data, 'pager-state.json'), 'utf8')).toBe(restoredState);
    expect(existsSync(path.join(data, 'config.json'))).toBe(false);
    expect(calls).toEqual([]);
    expect(await invoke('backup:relaunch')).toEqual({ ok: true, value: undefined });
    expect(calls).toEqual(['relaunch', 'exit 0']);

    // were Electron to quit normally after all, the old services must not save over the restore
    m().appEvents.get('will-quit')!();
    expect(readFileSync(path.join(data, 'pager-state.json'), 'utf8')).toBe(restoredState);
    expect(existsSync(path.join(data, 'config.json'))).toBe(false);
  });
});
