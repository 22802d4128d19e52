import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkSoundFile, MAX_SOUND_BYTES } from '../../../src/core/alarms/sound-file';

const sound = (name: string) => new Uint8Array(readFileSync(path.resolve(__dirname, '../../../assets/sounds', name)));
const bytes = (text: string, pad = 64) => {
  const b = new Uint8Array(Math.max(text.length, pad));
  for (let i = 0; i < text.length; i++) b[i] = text.charCodeAt(i);
  return b;
};

describe('custom sound files', () => {
  it('our own bundled sounds pass, and are small', () => {
    for (const name of ['alarm.wav', 'chime.wav']) {
      const b = sound(name);
      expect(checkSoundFile(name, b)).toBe('wav');
      expect(b.length).toBeLessThan(200 * 1024);
    }
  });

  it('recognises Ogg, FLAC and MP3', () => {
    expect(checkSoundFile('a.ogg', bytes('OggS'))).toBe('ogg');
    expect(checkSoundFile('a.flac', bytes('fLaC'))).toBe('flac');
    expect(checkSoundFile('a.mp3', bytes('ID3'))).toBe('mp3');
    expect(checkSoundFile('b.mp3', new Uint8Array([0xff, 0xfb, 0x90, 0x00]))).toBe('mp3');
  });

  it('a broken file gets an error naming the file and the problem', () => {
    const cases: Array<[Uint8Array, string]> = [
      [new Uint8Array(0), 'the file is empty'],
      [bytes('RIFF\0\0\0\0WAVE', 20), 'the WAV file is cut short'],
      [bytes('<html>not a sound</html>'), 'not a WAV, Ogg, FLAC or MP3 file'],
      [new Uint8Array(MAX_SOUND_BYTES + 1), 'larger than 5 MiB'],
    ];
    for (const [b, message] of cases) {
      expect(() => checkSoundFile('/home/me/siren.wav', b), message).toThrow(
        expect.objectContaining({ alarmCode: 'soundUnplayable', params: { file: '/home/me/siren.wav', message } }),
      );
    }
  });
});
