import { beforeEach, describe, expect, it, vi } from 'vitest';
import { makeElectronMock } from './electron-mock';

const mock = vi.hoisted(() => ({ current: null as ReturnType<typeof import('./electron-mock').makeElectronMock> | null }));
vi.mock('electron', async () => {
  const { makeElectronMock } = await import('./electron-mock');
  mock.current = makeElectronMock();
  return mock.current.module;
});
const { createMainWindow, hardenContents } = await import('../../../src/main/electron/window');
const m = () => mock.current!;

describe('main window', () => {
  let quitting = false;
  beforeEach(() => {
    quitting = false;
    m().windows.length = 0;
  });
  const make = () => createMainWindow({ preload: '/app/preload.cjs', indexHtml: '/app/index.html', icon: '/app/icon.png', isQuitting: () => quitting });

  it('is isolated, sandboxed, without Node, with the preload, and loads the app file', () => {
    make();
    const w = m().windows[0]!;
    expect(w.options['webPreferences']).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, preload: '/app/preload.cjs' });
    expect(w.loaded).toBe('/app/index.html');
  });

  it('denies window.open, opening only http(s) links in the browser', () => {
    make();
    const open = m().windows[0]!.webContents.openHandler!;
    expect(open({ url: 'https://grafana.example/d/x' })).toEqual({ action: 'deny' });
    expect(open({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(open({ url: 'javascript:alert(1)' })).toEqual({ action: 'deny' });
    expect(m().module.shell.openExternal.mock.calls).toEqual([['https://grafana.example/d/x']]);
  });

  it('prevents navigation, redirects and webviews, and denies permission requests', () => {
    make();
    const wc = m().windows[0]!.webContents;
    for (const event of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
      const e = { preventDefault: vi.fn() };
      wc.listeners.get(event)!(e, 'https://evil.example');
      expect(e.preventDefault).toHaveBeenCalled();
    }
    const cb = vi.fn();
    wc.permissionHandler!(wc, 'media', cb);
    expect(cb).toHaveBeenCalledWith(false);
  });

  it('closing hides to the tray; while quitting it closes', () => {
    make();
    const w = m().windows[0]!;
    const e = { preventDefault: vi.fn() };
    w.listeners.get('close')!(e);
    expect(e.preventDefault).toHaveBeenCalled();
    expect(w.hidden).toBe(true);
    quitting = true;
    const e2 = { preventDefault: vi.fn() };
    w.listeners.get('close')!(e2);
    expect(e2.preventDefault).not.toHaveBeenCalled();
  });

  it('hardenContents applies to any other web contents too', () => {
    const wc = new (m().FakeContents)();
    hardenContents(wc as never);
    expect(wc.openHandler!({ url: 'https://x.example' })).toEqual({ action: 'deny' });
  });
});
