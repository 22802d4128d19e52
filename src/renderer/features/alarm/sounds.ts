import type { BuiltinSound } from '../../../core/alarms/policy';

// `new URL(…, import.meta.url)` makes vite copy the files into the build and return their URLs.
const URLS: Record<BuiltinSound, string> = {
  alarm: new URL('../../../../assets/sounds/alarm.wav', import.meta.url).href,
  chime: new URL('../../../../assets/sounds/chime.wav', import.meta.url).href,
};

/** The URL of a bundled sound, for AlarmPlayer.play. */
export function builtinSoundUrl(name: BuiltinSound): string {
  return URLS[name];
}
