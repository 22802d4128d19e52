import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { invokeContract, type SettingsView } from '../../../src/core/ipc-contract';
import { capture } from '../../helpers/fixtures';

const mock = vi.hoisted(() => ({ current: null as ReturnType<typeof import('./electron-mock').makeElectronMock> | null }));
vi.mock('electron', async () => {
  const { makeElectronMock } = await import('./electron-mock');
  mock.current = makeElectronMock();
  return mock.current.module;
});
vi.mock('node-notifier', () => ({ default: { notify: vi.fn() } }));
const { main } = await import('../../../src/main/electron/main');
const m = () => mock.current!;

describe('composition root', () => {
  it('quits at once when another instance holds the lock', async () => {
    m().module.app.requestSingleInstanceLock.mockReturnValueOnce(false);
    await main();
    expect(m().module.app.quit).toHaveBeenCalled();
    expect(m().windows).toHaveLength(0);
  });

  it('starts services, registers IPC, makes tray and a hardened window; a second launch shows it', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'occ-electron-'));
    writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ listener: { host: '127.0.0.1', port: 0, token: 't'.repeat(32) } }));
    m().module.app.getPath.mockReturnValue(dir);
    await main();
    expect([...m().ipcHandlers.keys()].sort()).toEqual(Object.keys(invokeContract).sort());
    const win = m().windows[0]!;
    expect(win.options['webPreferences']).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false });
    // the renderer comes from app://, registered privileged before ready and served from dist/renderer
    expect(win.loaded).toBe('app://oncall/index.html');
    expect(m().schemes).toEqual([expect.objectContaining({ scheme: 'app' })]);
    expect(m().protocolHandlers.has('app')).toBe(true);
    expect(m().trays).toHaveLength(1);
    win.hide();
    m().appEvents.get('second-instance')!();
    expect(win.hidden).toBe(false);
    // closing every window must not quit: the pager lives in the tray
    expect(m().appEvents.get('window-all-closed')!()).toBeUndefined();
    expect(m().module.app.quit).toHaveBeenCalledTimes(1);
    // an untrusted frame gets nothing; the app's own frame gets the listener, and a page
    // arriving there turns both tray and window icon to the alert variant
    type Reply = { ok: true; value: unknown } | { ok: false; error: { code: string; params: Record<string, unknown> } };
    const invoke = (channel: string, payload: unknown, url = win.loaded!) => {
      const frame = { url };
      return m().ipcHandlers.get(channel)!({ senderFrame: frame, sender: { mainFrame: frame } }, payload) as Promise<Reply>;
    };
    const value = async (reply: Promise<Reply>) => {
      const r = await reply;
      if (!r.ok) throw new Error(`IPC refused: ${r.error.code}`);
      return r.value;
    };
    expect(await invoke('settings:get', undefined, 'https://evil.example/')).toMatchObject({ ok: false, error: { code: 'ipc.untrusted' } });
    expect(await invoke('settings:get', undefined, 'file:///app/dist/renderer/index.html')).toMatchObject({ ok: false, error: { code: 'ipc.untrusted' } });
    const settings = (await value(invoke('settings:get', undefined))) as SettingsView;
    const res = await fetch(settings.listener.url, {
      method: 'POST',
      headers: { authorization: `Bearer ${settings.listener.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(capture('webhook-firing.json')),
    });
    expect(res.status).toBe(200);
    expect(m().trays[0]!.image).toEqual({ path: expect.stringMatching(/tray-alert-32\.png$/) });
    expect(win.icon).toMatch(/icon-alert-48\.png$/);
    // "Choose folder…" goes through Electron's dialog, attached to the window
    m().module.dialog.showOpenDialog.mockResolvedValueOnce({ canceled: false, filePaths: ['/home/me/src/ops'] });
    expect(await value(invoke('rota:pick-folder', undefined))).toEqual({ folder: '/home/me/src/ops' });
    expect(m().module.dialog.showOpenDialog.mock.calls[0]![0]).toBe(win);
    m().module.dialog.showOpenDialog.mockResolvedValueOnce({ canceled: true, filePaths: [] });
    expect(await value(invoke('rota:pick-folder', undefined))).toEqual({ folder: null });
    // links leave the app only as http(s), parsed and re-serialized
    m().module.shell.openExternal.mockClear();
    expect(await invoke('shell:open-external', { url: 'HTTPS://Grafana.EXAMPLE/d/x y' })).toMatchObject({ ok: true });
    expect(await invoke('shell:open-external', { url: 'javascript:alert(1)' })).toMatchObject({ ok: false });
    expect(m().module.shell.openExternal.mock.calls).toEqual([['https://grafana.example/d/x%20y']]);
    // waking from sleep re-plans the rota rather than trusting stale timers
    expect(m().powerEvents.has('resume')).toBe(true);
    m().powerEvents.get('resume')!();
    m().appEvents.get('will-quit')!();
  });
});
