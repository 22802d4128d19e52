import { beforeEach, describe, expect, it, vi } from 'vitest';

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
  let clock = 0;
  const timers: Array<{ fn: () => void; ms: number }> = [];
  const gone: string[] = [];
  const make = () =>
    createMainWindow({
      preload: '/app/preload.cjs',
      url: 'app://oncall/index.html',
      icon: '/app/icon.png',
      isQuitting: () => quitting,
      onRendererGone: (d) => gone.push(d.reason),
      now: () => clock,
      setTimer: (fn, ms) => timers.push({ fn, ms }),
    });

  it('is isolated, sandboxed, without Node, with the preload, and loads the app:// page', () => {
    make();
    const w = m().windows[0]!;
    expect(w.options['webPreferences']).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, preload: '/app/preload.cjs' });
    expect(w.loads).toEqual(['app://oncall/index.html']);
  });

  it('loads a crashed renderer again, but not after a clean exit or while quitting', () => {
    make();
    const w = m().windows[0]!;
    const crash = (reason: string) => w.webContents.listeners.get('render-process-gone')!({}, { reason, exitCode: 139 });
    crash('crashed');
    expect(w.loads).toEqual(['app://oncall/index.html', 'app://oncall/index.html']);
    crash('clean-exit');
    expect(w.loads).toHaveLength(2);
    quitting = true;
    crash('oom');
    expect(w.loads).toHaveLength(2);
    expect(gone).toEqual(['crashed', 'clean-exit', 'oom']);
  });

  it('a renderer crashing in a loop is reloaded after a pause, not spun', () => {
    timers.length = 0;
    make();
    const w = m().windows[0]!;
    const crash = () => w.webContents.listeners.get('render-process-gone')!({}, { reason: 'crashed', exitCode: 1 });
    for (let i = 0; i < 3; i++) {
      clock += 1_000;
      crash();
    }
    expect(w.loads).toHaveLength(4);
    clock += 1_000;
    crash();
    expect(w.loads).toHaveLength(4);
    expect(timers.map((t) => t.ms)).toEqual([60_000]);
    timers[0]!.fn();
    expect(w.loads).toHaveLength(5);
    // a window already gone is not loaded into
    w.destroyed = true;
    clock += 120_000;
    crash();
    expect(w.loads).toHaveLength(5);
  });

  it('denies window.open, opening only http(s) links in the browser, as parsed and re-serialized', () => {
    m().module.shell.openExternal.mockClear();
    make();
    const open = m().windows[0]!.webContents.openHandler!;
    expect(open({ url: 'https://grafana.example/d/x' })).toEqual({ action: 'deny' });
    expect(open({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(open({ url: 'javascript:alert(1)' })).toEqual({ action: 'deny' });
    expect(open({ url: 'HTTPS://Grafana.EXAMPLE/a b?q=\u00e4' })).toEqual({ action: 'deny' });
    expect(m().module.shell.openExternal.mock.calls).toEqual([['https://grafana.example/d/x'], ['https://grafana.example/a%20b?q=%C3%A4']]);
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
    expect(wc.checkHandler!()).toBe(false);
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
