import { BUILTIN_SOUNDS, isBuiltinSound } from '../../../core/alarms/policy';
import type { AlarmAlert, AlarmSound } from '../../../core/ipc-contract';
import { groupRoute } from '../../../core/notification';
import type { Bridge } from '../../bridge';
import { formatClock } from '../../format';
import { AlarmPlayer, type SoundLoader } from './alarm-player';
import { mountAlertWindow, type MountedAlert } from './mount';
import { builtinSoundUrl } from './sounds';

/** The route the always-on-top alert BrowserWindow loads: only the alert, no player, no sync. */
export const ALERT_ROUTE = '#/alert';

/** Whether this window is the alert window rather than the app's main window. */
export function isAlertWindow(hash: string): boolean {
  return hash === ALERT_ROUTE || hash.startsWith(`${ALERT_ROUTE}?`);
}

/** What the host needs of main. */
export type AlarmHostApi = Pick<Bridge, 'onAlarmSound' | 'onAlarmAlert' | 'getAlarms' | 'acknowledgePages' | 'snooze'>;

/** Options of the alarm host; the player is null in the alert window (the main window plays). */
export interface AlarmHostOptions {
  api: AlarmHostApi;
  player: Pick<AlarmPlayer, 'play' | 'stop' | 'preload'> | null;
  /** Where the alert overlay mounts (created on first use). */
  container: () => HTMLElement;
  locale: () => string;
  /** Opens the app at a route (the main window) or asks main to (the alert window). */
  open: (route: string) => void;
  onError: (err: Error) => void;
}

/** How a user's own sound file is named to the player; main reads it (the renderer cannot). */
export const USER_SOUND_PREFIX = 'user-sound:';

/** The sound's URL: a built-in by name, a user file through main; the policy's built-in as fallback. */
export function soundUrls(sound: Extract<AlarmSound, { command: 'play' }>): { url: string; fallbackUrl: string } {
  const fallbackUrl = builtinSoundUrl(sound.fallback);
  return { url: isBuiltinSound(sound.sound) ? builtinSoundUrl(sound.sound) : `${USER_SOUND_PREFIX}${encodeURIComponent(sound.sound)}`, fallbackUrl };
}

/**
 * Loads a sound for the player: bundled ones with fetch, a user file as bytes from main. Any
 * failure makes the player fall back to the built-in sound, and says why.
 */
export function soundLoader(readSoundFile: Bridge['readSoundFile'], fetchUrl: (url: string) => Promise<Response> = (u) => fetch(u)): SoundLoader {
  return async (url) => {
    if (url.startsWith(USER_SOUND_PREFIX)) {
      const { data } = await readSoundFile({ file: decodeURIComponent(url.slice(USER_SOUND_PREFIX.length)) });
      const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
      return bytes.buffer;
    }
    const r = await fetchUrl(url);
    if (!r.ok) throw new Error(`HTTP ${r.status}`);
    return r.arrayBuffer();
  };
}

/**
 * Follows main's alarm messages: plays and stops the sound (main decides when) and shows the
 * alert with Acknowledge, Open and Snooze. On start it asks main what is going on, so a window
 * that was reloaded while a P1 rang picks the alarm up again.
 */
export function startAlarmHost(opts: AlarmHostOptions): { stop(): void } {
  let mounted: MountedAlert | null = null;
  let element: HTMLElement | null = null;
  // Open takes the user to the page: the alert steps aside until it changes (another page, a new count)
  let dismissed: string | null = null;
  const keyOf = (a: AlarmAlert) => `${a.groupKey}\n${a.pageId}\n${a.count}`;

  const sound = (s: AlarmSound) => {
    if (!opts.player) return;
    if (s.command === 'stop') return opts.player.stop();
    opts.player.play(soundUrls(s), s.mode).catch((err: Error) => opts.onError(err));
  };

  const alert = (a: AlarmAlert | null) => {
    if (!a || keyOf(a) === dismissed) {
      mounted?.unmount();
      mounted = null;
      element?.remove();
      element = null;
      return;
    }
    const props = {
      severity: a.severity,
      title: a.title,
      summary: a.summary,
      instance: a.instance,
      ...(a.startsAt !== null ? { since: formatClock(a.startsAt, opts.locale()) } : {}),
      count: a.count,
      onAcknowledge: () => void opts.api.acknowledgePages({ groupKey: a.groupKey }).catch((err: Error) => opts.onError(err)),
      onOpen: () => {
        dismissed = keyOf(a);
        alert(null);
        opts.open(groupRoute(a.groupKey));
      },
      onSnooze: (minutes: number) => void opts.api.snooze({ target: { groupKey: a.groupKey }, minutes }).catch((err: Error) => opts.onError(err)),
    };
    if (mounted) return mounted.update(props);
    element = document.createElement('div');
    element.className = 'alarm-overlay';
    opts.container().appendChild(element);
    mounted = mountAlertWindow(element, opts.locale(), props);
  };

  // decoded before the first page, so that page is audible at once
  for (const name of BUILTIN_SOUNDS) opts.player?.preload(builtinSoundUrl(name)).catch((err: Error) => opts.onError(err));
  const offSound = opts.api.onAlarmSound(sound);
  const offAlert = opts.api.onAlarmAlert(({ alert: a }) => alert(a));
  void opts.api
    .getAlarms()
    .then((view) => {
      if (view.playing) sound(view.playing);
      if (view.alert) alert(view.alert);
    })
    .catch((err: Error) => opts.onError(err));
  return {
    stop() {
      offSound();
      offAlert();
      opts.player?.stop();
      alert(null);
    },
  };
}

/** The real player: Web Audio in this window; bundled sounds by fetch, the user's through main. */
export function createWebAudioPlayer(readSoundFile: Bridge['readSoundFile']): AlarmPlayer {
  return new AlarmPlayer(new AudioContext() as never, soundLoader(readSoundFile));
}
