import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { SettingsView } from '../../../src/core/ipc-contract';
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

type Reply = { ok: true; value: unknown } | { ok: false; error: { code: string; params: Record<string, unknown> } };
type Item = { label?: string; click?: () => void; submenu?: Item[] };

describe('the pager in Electron', () => {
  it('a P1 page: alert window on top, alarm in the main window, tray menu with Acknowledge and Snooze; Acknowledge from the tray silences it', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'occ-glue-'));
    writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ listener: { host: '127.0.0.1', port: 0, token: 't'.repeat(32) } }));
    m().module.app.getPath.mockReturnValue(dir);
    await main();
    const [win, alertWin] = m().windows;
    // the alarm may play without a click in a hidden window: autoplay allowed, no background throttling
    expect(m().module.app.commandLine.appendSwitch).toHaveBeenCalledWith('autoplay-policy', 'no-user-gesture-required');
    expect(win!.options['webPreferences']).toMatchObject({ backgroundThrottling: false, sandbox: true });
    expect(alertWin!.options).toMatchObject({ alwaysOnTop: true, show: false, webPreferences: expect.objectContaining({ sandbox: true, contextIsolation: true }) });
    expect(alertWin!.loaded).toBe('app://oncall/index.html#/alert');
    // secrets go through safeStorage: the listener token is stored encrypted
    expect(readFileSync(path.join(dir, 'secrets', 'listener-token.enc'), 'utf8')).toMatch(/^enc:/);
    const tray = m().trays[0]!;
    expect(tray.image).toEqual({ path: expect.stringMatching(/tray-normal-32\.png$/) });

    const invoke = (channel: string, payload: unknown, url = win!.loaded!) => {
      const frame = { url };
      return m().ipcHandlers.get(channel)!({ senderFrame: frame, sender: { mainFrame: frame } }, payload) as Promise<Reply>;
    };
    const settings = ((await invoke('settings:get', undefined)) as { value: SettingsView }).value;
    alertWin!.hidden = true;
    const res = await fetch(settings.listener.url, {
      method: 'POST',
      headers: { authorization: `Bearer ${settings.listener.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(capture('webhook-firing.json')),
    });
    expect(res.status).toBe(200);
    expect(win!.webContents.sent).toContainEqual(['alarm:sound', { command: 'play', mode: 'alarm', sound: 'alarm', fallback: 'alarm', severity: 'P1' }]);
    expect(alertWin!.hidden).toBe(false);
    expect(alertWin!.webContents.sent).toContainEqual(['alarm:alert', { alert: expect.objectContaining({ title: 'DiskAlmostFull', severity: 'P1', count: 1 }) }]);
    expect(tray.image).toEqual({ path: expect.stringMatching(/tray-alert-32\.png$/) });
    // the app started in German (getLocale de-DE) until Settings says otherwise
    const group = (tray.menu as Item[]).find((i) => i.submenu)!;
    expect(group.label).toBe('P1 DiskAlmostFull (1)');
    expect(group.submenu!.map((i) => i.label).filter(Boolean)).toEqual(['Öffnen', 'Bestätigen', '15 Min. schlummern', '30 Min. schlummern', '60 Min. schlummern']);

    expect(await invoke('settings:set-language', { language: 'en' })).toEqual({ ok: true, value: undefined });
    const english = (tray.menu as Item[]).find((i) => i.submenu)!;
    expect(english.submenu!.map((i) => i.label).filter(Boolean)).toEqual(['Open', 'Acknowledge', 'Snooze 15 min', 'Snooze 30 min', 'Snooze 60 min']);
    expect(await invoke('settings:set-language', { language: 'xx' })).toMatchObject({ ok: false, error: { code: 'languageUnknown' } });

    english.submenu!.find((i) => i.label === 'Acknowledge')!.click!();
    expect(win!.webContents.sent).toContainEqual(['alarm:sound', { command: 'stop' }]);
    expect(alertWin!.hidden).toBe(true);
    expect(tray.image).toEqual({ path: expect.stringMatching(/tray-normal-32\.png$/) });

    // Do Not Disturb from the tray; the global shortcut from Settings
    (tray.menu as Item[]).find((i) => i.label === 'Turn on Do Not Disturb')!.click!();
    expect((tray.menu as Item[]).some((i) => i.label === 'Turn off Do Not Disturb')).toBe(true);
    expect(await invoke('alarms:set-desktop', { shortcut: 'ctrl+alt+a', startAtLogin: false })).toMatchObject({ ok: true, value: { desktop: { shortcut: 'Control+Alt+A' } } });
    expect(m().module.globalShortcut.registered.has('Control+Alt+A')).toBe(true);
    expect(await invoke('alarms:set-desktop', { shortcut: 'Ctrl+Taken', startAtLogin: false })).toMatchObject({ ok: false, error: { code: 'alarms.badShortcut' } });
    // resume re-arms pager, alarms and rota without throwing
    m().powerEvents.get('resume')!();
    m().appEvents.get('will-quit')!();
    expect(m().module.globalShortcut.registered.size).toBe(0);
    expect(alertWin!.destroyed).toBe(true);
    // quitting waits for the services to stop (the listener first), then the alarm state is on disk
    await vi.waitFor(() => expect(existsSync(path.join(dir, 'alarm-state.json'))).toBe(true));
  });
});
