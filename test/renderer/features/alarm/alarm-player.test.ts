import { describe, expect, it, vi } from 'vitest';
import { AlarmPlayer, DEFAULT_PLAYER_OPTIONS } from '../../../../src/renderer/features/alarm/alarm-player';
import { FakeAudioContext } from './fake-audio';

const files: Record<string, string> = { 'alarm.wav': 'RIFF-alarm', 'chime.wav': 'RIFF-chime', 'broken.wav': 'not a wav' };
const loader = vi.fn(async (url: string) => {
  const body = files[url];
  if (body === undefined) throw new Error(`404 ${url}`);
  return new TextEncoder().encode(body).buffer as ArrayBuffer;
});
const ALARM = { url: 'alarm.wav', fallbackUrl: 'alarm.wav' };

describe('the alarm player', () => {
  it('the alarm loops and grows louder until it reaches full volume', async () => {
    const ctx = new FakeAudioContext();
    ctx.currentTime = 5;
    const player = new AlarmPlayer(ctx, loader);
    expect(await player.play(ALARM, 'alarm')).toEqual({ started: true, url: 'alarm.wav', fallbackReason: null });
    expect(ctx.sources).toHaveLength(1);
    expect(ctx.sources[0]!.loop).toBe(true);
    expect(ctx.loudnessAt(5)).toBeCloseTo(DEFAULT_PLAYER_OPTIONS.startGain);
    expect(ctx.loudnessAt(35)).toBeGreaterThan(ctx.loudnessAt(15));
    expect(ctx.loudnessAt(5 + DEFAULT_PLAYER_OPTIONS.riseSeconds)).toBeCloseTo(DEFAULT_PLAYER_OPTIONS.maxGain);
    expect(ctx.loudnessAt(600)).toBeCloseTo(DEFAULT_PLAYER_OPTIONS.maxGain);
    expect(player.active).toBe(true);
  });

  it('a preloaded sound plays without loading it again, and preloading starts nothing', async () => {
    const loads: string[] = [];
    const count = async (url: string) => {
      loads.push(url);
      return new TextEncoder().encode(files[url]!).buffer as ArrayBuffer;
    };
    const ctx = new FakeAudioContext();
    const player = new AlarmPlayer(ctx, count);
    await player.preload('alarm.wav');
    expect(ctx.sources).toHaveLength(0);
    expect(player.active).toBe(false);
    await player.play(ALARM, 'alarm');
    expect(loads).toEqual(['alarm.wav']);
    expect(ctx.sources).toHaveLength(1);
  });

  it('stop() makes it silent within 300 ms, from wherever the rise was', async () => {
    const ctx = new FakeAudioContext();
    const player = new AlarmPlayer(ctx, loader);
    await player.play(ALARM, 'alarm');
    ctx.currentTime = 20;
    const before = ctx.loudnessAt(20);
    player.stop();
    expect(before).toBeGreaterThan(0.3);
    expect(ctx.loudnessAt(20)).toBeCloseTo(before);
    expect(ctx.loudnessAt(20.3)).toBe(0);
    expect(ctx.loudnessAt(100)).toBe(0);
    expect(player.active).toBe(false);
  });

  it('a stop() while the sound is still loading means it never starts', async () => {
    const ctx = new FakeAudioContext();
    let release: () => void = () => undefined;
    const slow = (url: string) => new Promise<ArrayBuffer>((resolve) => (release = () => void loader(url).then(resolve)));
    const player = new AlarmPlayer(ctx, slow);
    const pending = player.play(ALARM, 'alarm');
    player.stop();
    release();
    expect(await pending).toEqual({ started: false, cancelled: true });
    expect(ctx.sources).toHaveLength(0);
  });

  it('a broken or missing custom sound falls back to the built-in one and says why; it is tried again next time', async () => {
    const ctx = new FakeAudioContext();
    const player = new AlarmPlayer(ctx, loader);
    const broken = await player.play({ url: 'broken.wav', fallbackUrl: 'alarm.wav' }, 'alarm');
    expect(broken).toEqual({ started: true, url: 'alarm.wav', fallbackReason: 'Unable to decode audio data' });
    const missing = await player.play({ url: 'mine.wav', fallbackUrl: 'alarm.wav' }, 'alarm');
    expect(missing).toMatchObject({ started: true, url: 'alarm.wav', fallbackReason: '404 mine.wav' });
    files['mine.wav'] = 'RIFF-mine';
    expect(await player.play({ url: 'mine.wav', fallbackUrl: 'alarm.wav' }, 'alarm')).toMatchObject({ url: 'mine.wav', fallbackReason: null });
    // each new alarm replaced the one before: one alarm sounds, not three
    ctx.currentTime = 1;
    expect(ctx.loudnessAt(1)).toBeCloseTo(ctx.sources.at(-1)!.gain!.gain.at(1));
  });

  it('if even the built-in sound cannot be played, play() fails loudly', async () => {
    const player = new AlarmPlayer(new FakeAudioContext(), loader);
    await expect(player.play({ url: 'broken.wav', fallbackUrl: 'broken.wav' }, 'alarm')).rejects.toThrow('Unable to decode');
  });

  it('a chime plays once at a steady volume, over a running alarm', async () => {
    const ctx = new FakeAudioContext();
    const player = new AlarmPlayer(ctx, loader);
    await player.play(ALARM, 'alarm');
    await player.play({ url: 'chime.wav', fallbackUrl: 'chime.wav' }, 'once');
    expect(ctx.sources.map((s) => [s.loop, s.stopAt])).toEqual([
      [true, null],
      [false, null],
    ]);
    expect(ctx.loudnessAt(0)).toBeCloseTo(DEFAULT_PLAYER_OPTIONS.startGain + DEFAULT_PLAYER_OPTIONS.chimeGain);
  });

  it('resumes a context the autoplay policy left suspended', async () => {
    const ctx = new FakeAudioContext();
    ctx.state = 'suspended';
    await new AlarmPlayer(ctx, loader).play(ALARM, 'alarm');
    expect(ctx.resumed).toBe(1);
  });
});
