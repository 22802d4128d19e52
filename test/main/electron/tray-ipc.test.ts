import { describe, expect, it, vi } from 'vitest';
import { createI18n } from '../../../src/core/i18n';

const mock = vi.hoisted(() => ({ current: null as ReturnType<typeof import('./electron-mock').makeElectronMock> | null }));
vi.mock('electron', async () => {
  const { makeElectronMock } = await import('./electron-mock');
  mock.current = makeElectronMock();
  return mock.current.module;
});
const { createTray } = await import('../../../src/main/electron/tray');
const { registerIpc, webContentsEvents } = await import('../../../src/main/electron/ipc');
const m = () => mock.current!;

describe('tray', () => {
  const setup = (locale = 'en') => {
    const calls: string[] = [];
    const adapter = createTray({
      icons: { normal: '/a/tray-normal-32.png', alert: '/a/tray-alert-32.png' },
      t: createI18n(locale).t,
      onOpen: () => calls.push('open'),
      onAcknowledgeAll: () => calls.push('ack-all'),
      onQuit: () => calls.push('quit'),
    });
    return { adapter, calls, tray: m().trays.at(-1)! };
  };

  it('menu has Open, Acknowledge all, Quit, each wired', () => {
    const { tray, calls } = setup();
    const items = tray.menu.filter((i) => i.label);
    expect(items.map((i) => i.label)).toEqual(['Open On-Call Companion', 'Acknowledge all', 'Quit']);
    items.forEach((i) => i.click!());
    expect(calls).toEqual(['open', 'ack-all', 'quit']);
  });

  it('switches icon and tooltip with unacknowledged pages', () => {
    const { adapter, tray } = setup();
    expect(tray.image).toEqual({ path: '/a/tray-normal-32.png' });
    adapter.setAttention({ unacknowledged: 2, firing: 3 });
    expect(tray.image).toEqual({ path: '/a/tray-alert-32.png' });
    expect(tray.tooltip).toBe('On-Call Companion — 2 unacknowledged pages');
    adapter.setAttention({ unacknowledged: 0, firing: 1 });
    expect(tray.image).toEqual({ path: '/a/tray-normal-32.png' });
    expect(tray.tooltip).toBe('On-Call Companion — 1 page firing (acknowledged)');
    adapter.setAttention({ unacknowledged: 0, firing: 0 });
    expect(tray.tooltip).toBe('On-Call Companion — no open pages');
  });

  it('lists warnings first and the open groups as items that open the app at them', () => {
    const opened: string[] = [];
    const adapter = createTray({
      icons: { normal: '/a/n.png', alert: '/a/a.png' },
      t: createI18n('en').t,
      onOpen: () => opened.push('open'),
      onOpenGroup: (key) => opened.push(key),
      onAcknowledgeAll: () => undefined,
      onQuit: () => undefined,
    });
    const tray = m().trays.at(-1)!;
    adapter.setWarnings(['Alertmanager was refused 12 times since 03:04: wrong token']);
    adapter.setOpenGroups([
      { groupKey: 'g1', title: 'KubePodCrashLooping', severity: 'P1', count: 50 },
      { groupKey: 'g2', title: 'DiskFull', severity: 'P3', count: 1 },
    ]);
    expect(tray.menu.map((i) => i.label ?? i.type)).toEqual([
      'Alertmanager was refused 12 times since 03:04: wrong token',
      'separator',
      'P1 KubePodCrashLooping (50)',
      'P3 DiskFull',
      'separator',
      'Open On-Call Companion',
      'Acknowledge all',
      'separator',
      'Quit',
    ]);
    expect(tray.menu[0]!.enabled).toBe(false);
    tray.menu[3]!.click!();
    expect(opened).toEqual(['g2']);
    expect(tray.tooltip.split('\n')[0]).toBe('Alertmanager was refused 12 times since 03:04: wrong token');
  });

  it('shows the rota line in the tooltip and as the first, inert menu item', () => {
    const { adapter, tray, calls } = setup();
    adapter.setAttention({ unacknowledged: 1, firing: 1 });
    adapter.setRotaLine('On call until Fri 09:00');
    expect(tray.tooltip).toBe('On-Call Companion — 1 unacknowledged page\nOn call until Fri 09:00');
    expect(tray.menu[0]).toMatchObject({ label: 'On call until Fri 09:00', enabled: false });
    tray.menu.filter((i) => i.click).forEach((i) => i.click!());
    expect(calls).toEqual(['open', 'ack-all', 'quit']);
    adapter.setRotaLine(null);
    expect(tray.tooltip).toBe('On-Call Companion — 1 unacknowledged page');
  });

  it('speaks German in a German session', () => {
    const { adapter, tray } = setup('de-DE');
    adapter.setAttention({ unacknowledged: 1, firing: 1 });
    expect(tray.tooltip).toBe('On-Call Companion — 1 unbestätigter Alarm');
    expect(tray.menu[1]!.label).toBe('Alle bestätigen');
  });
});

describe('IPC glue', () => {
  it('registers every contract channel and passes the main frame URL as sender', async () => {
    const seen: Array<[string, unknown, string]> = [];
    registerIpc({ channels: ['settings:get', 'deliveries:pull'], handle: async (c: string, p: unknown, url: string) => void seen.push([c, p, url]) } as never);
    expect([...m().ipcHandlers.keys()]).toEqual(['settings:get', 'deliveries:pull']);
    const frame = { url: 'file:///app/index.html' };
    await m().ipcHandlers.get('settings:get')!({ senderFrame: frame, sender: { mainFrame: frame } }, undefined);
    // a subframe (say an injected iframe) is never trusted: it gets an empty sender URL
    await m().ipcHandlers.get('deliveries:pull')!({ senderFrame: { url: 'file:///app/index.html' }, sender: { mainFrame: frame } }, { x: 1 });
    expect(seen).toEqual([
      ['settings:get', undefined, 'file:///app/index.html'],
      ['deliveries:pull', { x: 1 }, ''],
    ]);
  });

  it('sends events only to live web contents', () => {
    const wc = new (m().FakeContents)();
    let target: typeof wc | null = null;
    const events = webContentsEvents(() => target as never);
    events.emit('deliveries:available', { count: 1 });
    target = wc;
    events.emit('deliveries:available', { count: 2 });
    wc.destroyed = true;
    events.emit('deliveries:available', { count: 3 });
    expect(wc.sent).toEqual([['deliveries:available', { count: 2 }]]);
  });
});
