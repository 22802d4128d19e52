import { fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { defaultAlarmPolicy } from '../../../../src/core/alarms/policy';
import type { AlarmAlert, AlarmSound, AlarmsView } from '../../../../src/core/ipc-contract';
import { isAlertWindow, soundLoader, soundUrls, startAlarmHost, type AlarmHostApi } from '../../../../src/renderer/features/alarm/alarm-host';
import { builtinSoundUrl } from '../../../../src/renderer/features/alarm/sounds';

function fakeMain(view: Partial<AlarmsView> = {}) {
  const soundListeners = new Set<(s: AlarmSound) => void>();
  const alertListeners = new Set<(a: { alert: AlarmAlert | null }) => void>();
  const calls: unknown[] = [];
  const full: AlarmsView = { policy: defaultAlarmPolicy(), dnd: null, snoozes: [], selfTest: { failing: [], lastPassedAt: null, lastRunAt: null }, selfTestLog: { runs: [] }, playing: null, alert: null, error: null, desktop: { shortcut: null, startAtLogin: false, shortcutError: null }, ...view };
  const api: AlarmHostApi = {
    onAlarmSound: (l) => {
      soundListeners.add(l);
      return () => void soundListeners.delete(l);
    },
    onAlarmAlert: (l) => {
      alertListeners.add(l);
      return () => void alertListeners.delete(l);
    },
    getAlarms: async () => full,
    acknowledgePages: async (target) => {
      calls.push({ acknowledge: target });
      return { acknowledged: 1, ids: 'ids' in target ? target.ids : [] };
    },
    snooze: async (request) => {
      calls.push({ snooze: request });
      return full;
    },
  };
  return {
    api,
    calls,
    sound: (s: AlarmSound) => soundListeners.forEach((l) => l(s)),
    alert: (a: AlarmAlert | null) => alertListeners.forEach((l) => l({ alert: a })),
  };
}

function fakePlayer() {
  const log: string[] = [];
  return {
    log,
    play: vi.fn(async (s: { url: string }, mode: string) => {
      log.push(`play ${mode} ${s.url}`);
      return { started: true as const, url: s.url, fallbackReason: null };
    }),
    stop: vi.fn(() => void log.push('stop')),
    preload: vi.fn(async (url: string) => void log.push(`preload ${url}`)),
  };
}

const ALERT: AlarmAlert = { groupKey: 'db', pageId: 'p1', title: 'PostgresDown', severity: 'P1', count: 2, summary: 'Primary refuses connections', instance: 'db-1:5432', startsAt: new Date(2026, 10, 22, 3, 7).getTime() };
let host: { stop(): void } | null = null;
afterEach(() => {
  host?.stop();
  host = null;
});

function start(main: ReturnType<typeof fakeMain>, player: ReturnType<typeof fakePlayer> | null, open = vi.fn()) {
  host = startAlarmHost({ api: main.api, player, container: () => document.body, locale: () => 'en', open, onError: (e) => { throw e; } });
  return open;
}

describe('the alarm host in a window', () => {
  it('plays and stops exactly when main says so', async () => {
    const main = fakeMain();
    const player = fakePlayer();
    start(main, player);
    // both built-in sounds are decoded up front, before any page
    expect(player.log).toEqual([`preload ${builtinSoundUrl('alarm')}`, `preload ${builtinSoundUrl('chime')}`]);
    player.log.length = 0;
    main.sound({ command: 'play', mode: 'alarm', sound: 'alarm', fallback: 'alarm', severity: 'P1' });
    main.sound({ command: 'stop' });
    expect(player.log).toEqual([`play alarm ${builtinSoundUrl('alarm')}`, 'stop']);
  });

  it('a reloaded window picks up the alarm and the alert that are on right now', async () => {
    const main = fakeMain({ playing: { command: 'play', mode: 'alarm', sound: 'alarm', fallback: 'alarm', severity: 'P1' }, alert: ALERT });
    const player = fakePlayer();
    start(main, player);
    await waitFor(() => expect(player.log).toContain(`play alarm ${builtinSoundUrl('alarm')}`));
    expect(await screen.findByRole('heading', { name: 'PostgresDown' })).toBeTruthy();
  });

  it('shows the alert; Acknowledge acknowledges the group, Snooze snoozes it, Open opens it; hidden when main hides it', async () => {
    const main = fakeMain();
    const open = start(main, null);
    main.alert(ALERT);
    expect(await screen.findByText('2 pages waiting')).toBeTruthy();
    // what is wrong, where and since when, before anyone acknowledges
    expect(screen.getByText('Primary refuses connections')).toBeTruthy();
    expect(screen.getByText('db-1:5432 · Firing since 03:07')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: '30 min' }));
    fireEvent.click(screen.getByRole('button', { name: 'Acknowledge' }));
    await waitFor(() => expect(main.calls).toHaveLength(2));
    expect(main.calls).toEqual([{ snooze: { target: { groupKey: 'db' }, minutes: 30 } }, { acknowledge: { groupKey: 'db' } }]);
    // Open goes to the page and the alert steps aside, until it changes
    fireEvent.click(screen.getByRole('button', { name: 'Open' }));
    expect(open).toHaveBeenCalledWith('#/pages/db');
    await waitFor(() => expect(screen.queryByRole('alertdialog')).toBeNull());
    main.alert(ALERT);
    expect(screen.queryByRole('alertdialog')).toBeNull();
    main.alert({ ...ALERT, count: 3 });
    expect(await screen.findByText('3 pages waiting')).toBeTruthy();
    main.alert(null);
    await waitFor(() => expect(screen.queryByRole('alertdialog')).toBeNull());
  });

  it('a custom sound file is read through main, with the built-in sound as fallback; the alert window is recognised by its route', async () => {
    const urls = soundUrls({ command: 'play', mode: 'once', sound: '/home/me/my siren.ogg', fallback: 'chime', severity: 'P2' });
    expect(urls.fallbackUrl).toBe(builtinSoundUrl('chime'));
    const asked: string[] = [];
    const load = soundLoader(async ({ file }) => {
      asked.push(file);
      return { data: btoa('OggS-bytes') };
    });
    expect(new TextDecoder().decode(await load(urls.url))).toBe('OggS-bytes');
    expect(asked).toEqual(['/home/me/my siren.ogg']);
    const refused = soundLoader(async () => Promise.reject(new Error('not a sound file of the notification policy')));
    await expect(refused(urls.url)).rejects.toThrow('not a sound file');
    expect(isAlertWindow('#/alert')).toBe(true);
    expect(isAlertWindow('#/pages/alert')).toBe(false);
  });
});
