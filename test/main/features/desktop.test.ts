import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { LiveState } from '../../../src/core/pager/live-state';
import { newestFiring, setupDesktop } from '../../../src/main/features/desktop';
import { createConfigStore } from '../../../src/main/services/config-store';
import { createFileSecretStore } from '../../../src/main/services/secret-store';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function setup(opts: { refuse?: string[] } = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'occ-desktop-'));
  dirs.push(dir);
  const config = createConfigStore(path.join(dir, 'config.json'), createFileSecretStore(path.join(dir, 'secrets')), () => 't'.repeat(43));
  const registered: Array<string | null> = [];
  let press: (() => void) | null = null;
  const login: boolean[] = [];
  const acknowledged: unknown[] = [];
  const state: LiveState = { pages: new Map(), windows: new Map(), heartbeats: new Map(), seeded: true };
  const page = (id: string, at: number, status: 'firing' | 'acknowledged' = 'firing') =>
    state.pages.set(id, { id, groupKey: id, title: id, severity: 'P1', summary: '', instance: '', status, startsAt: at, rangAt: at, acknowledgedAt: null, resolvedAt: null, updatedAt: at });
  const desktop = setupDesktop({
    config,
    integration: {
      registerShortcut(accelerator, onPress) {
        if (accelerator && opts.refuse?.includes(accelerator)) return false;
        registered.push(accelerator);
        press = onPress;
        return true;
      },
      setStartAtLogin: (enabled) => void login.push(enabled),
    },
    pages: { state: () => state, handlers: { 'pages:acknowledge': (target: unknown) => void acknowledged.push(target) } as never },
    logger: { info: () => undefined, error: () => undefined },
    view: () => ({ desktop: desktop.view() }) as never,
  });
  return { desktop, config, registered, login, acknowledged, page, press: () => press?.() };
}

describe('desktop settings: global shortcut and start at login', () => {
  it('a valid shortcut is saved in canonical spelling and acknowledges the newest unacknowledged page', () => {
    const s = setup();
    s.desktop.handlers['alarms:set-desktop']({ shortcut: 'ctrl+alt+a', startAtLogin: true });
    expect(s.config.get().desktop).toEqual({ shortcut: 'Control+Alt+A', startAtLogin: true });
    expect(s.registered.at(-1)).toBe('Control+Alt+A');
    expect(s.login).toEqual([false, true]);
    s.page('old', 1_000);
    s.page('newest-acked', 3_000, 'acknowledged');
    s.page('new', 2_000);
    s.press();
    expect(s.acknowledged).toEqual([{ ids: ['new'] }]);
  });

  it('an invalid shortcut is a clear error and changes nothing', () => {
    const s = setup();
    s.desktop.handlers['alarms:set-desktop']({ shortcut: 'Alt+F5', startAtLogin: false });
    expect(() => s.desktop.handlers['alarms:set-desktop']({ shortcut: 'Ctrl+A+B', startAtLogin: false })).toThrow(
      expect.objectContaining({ code: 'alarms.badShortcut', params: { shortcut: 'Ctrl+A+B', message: 'two keys: A and B' } }),
    );
    expect(s.config.get().desktop.shortcut).toBe('Alt+F5');
  });

  it('a shortcut another program holds is refused; the old one stays registered and saved', () => {
    const s = setup({ refuse: ['Control+Shift+P'] });
    s.desktop.handlers['alarms:set-desktop']({ shortcut: 'Alt+F5', startAtLogin: false });
    expect(() => s.desktop.handlers['alarms:set-desktop']({ shortcut: 'Control+Shift+P', startAtLogin: false })).toThrow(expect.objectContaining({ code: 'alarms.badShortcut' }));
    expect(s.registered.at(-1)).toBe('Alt+F5');
    expect(s.config.get().desktop.shortcut).toBe('Alt+F5');
  });

  it('newestFiring skips acknowledged pages and knows when there is none', () => {
    expect(newestFiring([])).toBeNull();
    expect(newestFiring([{ id: 'a', status: 'acknowledged', startsAt: 5, rangAt: 5 }])).toBeNull();
  });
});
