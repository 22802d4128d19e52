import { describe, expect, it, vi } from 'vitest';
import { invokeContract } from '../../src/core/ipc-contract';

const mock = vi.hoisted(() => ({ current: null as ReturnType<typeof import('../main/electron/electron-mock').makeElectronMock> | null }));
vi.mock('electron', async () => {
  const { makeElectronMock } = await import('../main/electron/electron-mock');
  mock.current = makeElectronMock();
  return mock.current.module;
});
await import('../../src/preload/index');
const m = () => mock.current!;

describe('preload', () => {
  const [name, api] = m().module.contextBridge.exposeInMainWorld.mock.calls[0] as unknown as [string, Record<string, (...a: unknown[]) => unknown>];

  it('exposes one named method per operation as window.oncall, nothing generic', () => {
    expect(name).toBe('oncall');
    expect(Object.keys(api).sort()).toEqual(
      [
        'confirmDeliveries',
        'getSettings',
        'onNavigate',
        'acknowledgePages',
        'unacknowledgePages',
        'seedPager',
        'setSeverityFallback',
        'sendTestPage',
        'onDeliveriesAvailable',
        'onSettingsChanged',
        'onRotaSourceResult',
        'listSources',
        'saveSource',
        'removeSource',
        'saveRelay',
        'removeRelay',
        'setSourceSecret',
        'revealSourceSecret',
        'pollSourcesNow',
        'onSourcesChanged',
        'getAlarms',
        'snooze',
        'setDoNotDisturb',
        'setAlarmPolicy',
        'startSelfTest',
        'recordSelfTest',
        'checkSoundFile',
        'readSoundFile',
        'setLanguage',
        'openApp',
        'getAwayDigest',
        'dismissAwayDigest',
        'onAwayDigestChanged',
        'setDesktop',
        'onAlarmSound',
        'onAlarmAlert',
        'onAlarmsChanged',
        'refreshRotaSource',
        'syncRota',
        'openExternal',
        'pickFolder',
        'configureRunbooks',
        'refreshRunbooks',
        'pickRunbookFiles',
        'syncIncidents',
        'saveReport',
        'saveBackup',
        'restoreBackup',
        'applyBackup',
        'relaunchAfterRestore',
        'onRunbookResult',
        'pullDeliveries',
        'regenerateToken',
        'setListenerPort',
      ].sort(),
    );
    expect(Object.keys(api)).not.toContain('invoke');
    expect(Object.keys(api)).not.toContain('send');
    expect(Object.keys(api).filter((k) => !k.startsWith('on'))).toHaveLength(Object.keys(invokeContract).length);
  });

  it('methods invoke their own channel with the request', async () => {
    expect(await api['setListenerPort']!({ port: 9797 })).toBe('answer');
    expect(m().module.ipcRenderer.invoke).toHaveBeenCalledWith('settings:set-listener-port', { port: 9797 });
  });

  it('listeners receive the payload only, never the IPC event, and can unsubscribe', () => {
    const got: unknown[] = [];
    const off = api['onDeliveriesAvailable']!((p: unknown) => got.push(p)) as () => void;
    const [channel, wrapped] = m().module.ipcRenderer.on.mock.calls.at(-1) as unknown as [string, (e: unknown, p: unknown) => void];
    expect(channel).toBe('deliveries:available');
    wrapped({ sender: 'secret' }, { count: 3 });
    expect(got).toEqual([{ count: 3 }]);
    off();
    expect(m().module.ipcRenderer.removeListener).toHaveBeenCalledWith('deliveries:available', wrapped);
  });
});
