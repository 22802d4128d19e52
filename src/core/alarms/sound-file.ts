import { AlarmError } from './errors';

/** A custom sound above this size is refused: it is read into memory and decoded on every start. */
export const MAX_SOUND_BYTES = 5 * 1024 * 1024;

/** The formats Chromium's Web Audio decodes on every platform, recognised by their first bytes. */
export type SoundFormat = 'wav' | 'ogg' | 'mp3' | 'flac';

function ascii(bytes: Uint8Array, from: number, length: number): string {
  return String.fromCharCode(...bytes.subarray(from, from + length));
}

/**
 * Checks a custom sound file's bytes before it is offered to the player, so Settings can name the
 * problem at once instead of the alarm failing at 3 a.m. The player still falls back to the
 * built-in sound if decoding fails anyway.
 */
export function checkSoundFile(file: string, bytes: Uint8Array): SoundFormat {
  const fail = (message: string) => new AlarmError('soundUnplayable', { file, message });
  if (bytes.length === 0) throw fail('the file is empty');
  if (bytes.length > MAX_SOUND_BYTES) throw fail(`larger than ${MAX_SOUND_BYTES / 1024 / 1024} MiB`);
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WAVE') {
    if (bytes.length < 44) throw fail('the WAV file is cut short');
    return 'wav';
  }
  if (ascii(bytes, 0, 4) === 'OggS') return 'ogg';
  if (ascii(bytes, 0, 4) === 'fLaC') return 'flac';
  if (ascii(bytes, 0, 3) === 'ID3' || (bytes[0] === 0xff && ((bytes[1] ?? 0) & 0xe0) === 0xe0)) return 'mp3';
  throw fail('not a WAV, Ogg, FLAC or MP3 file');
}
