/** The parts of Web Audio the player uses, so tests (and any other backend) can stand in for it. */
export interface AudioParamLike {
  value: number;
  setValueAtTime(value: number, time: number): unknown;
  linearRampToValueAtTime(value: number, time: number): unknown;
  cancelScheduledValues(time: number): unknown;
}
/** A GainNode: the alarm's volume control. */
export interface GainNodeLike {
  gain: AudioParamLike;
  connect(destination: never): unknown;
  disconnect(): void;
}
/** An AudioBufferSourceNode: one playing of a decoded sound. */
export interface SourceNodeLike {
  buffer: unknown;
  loop: boolean;
  connect(destination: never): unknown;
  disconnect(): void;
  start(when?: number): void;
  stop(when?: number): void;
}
/** An AudioContext: a real one in the app, a fake on a fake clock in tests. */
export interface AudioContextLike {
  readonly currentTime: number;
  readonly destination: unknown;
  readonly state: string;
  resume(): Promise<void>;
  createGain(): GainNodeLike;
  createBufferSource(): SourceNodeLike;
  decodeAudioData(data: ArrayBuffer): Promise<unknown>;
}

/** How a sound plays: once (a chime), or looping and growing louder until stopped (the alarm). */
export type PlayMode = 'once' | 'alarm';

/** What to play: the configured sound, and the built-in one to use if that cannot be played. */
export interface SoundRequest {
  url: string;
  fallbackUrl: string;
}

/** Tuning of the alarm's rise and of how fast stop() silences it. */
export interface AlarmPlayerOptions {
  /** Gain the alarm starts at (0–1). */
  startGain: number;
  /** Gain it rises to. */
  maxGain: number;
  /** Seconds from start to full loudness. */
  riseSeconds: number;
  /** Gain of a one-off chime. */
  chimeGain: number;
  /** Seconds stop() fades out over: short enough to be silent at once, long enough not to click. */
  fadeSeconds: number;
}

/** Defaults: the alarm starts at a third and is at full volume after a minute; stop fades in 30 ms. */
export const DEFAULT_PLAYER_OPTIONS: AlarmPlayerOptions = { startGain: 0.35, maxGain: 1, riseSeconds: 60, chimeGain: 0.8, fadeSeconds: 0.03 };

/** The outcome of play(): started (maybe with the fallback, and why), or cancelled by a stop() meanwhile. */
export type PlayOutcome =
  | { started: true; url: string; fallbackReason: string | null }
  | { started: false; cancelled: true };

/** Loads and decodes one sound; the player caches decoded sounds by URL. */
export type SoundLoader = (url: string) => Promise<ArrayBuffer>;

interface Playing {
  source: SourceNodeLike;
  gain: GainNodeLike;
  mode: PlayMode;
  startedAt: number;
}

/**
 * Plays the alarm with Web Audio. Main decides when it starts and stops; this only makes the
 * sound: a loop whose gain rises (so a sleeping person is woken but not startled at first), or a
 * single chime. stop() silences everything within `fadeSeconds`, also a play() still loading.
 * A sound that cannot be loaded or decoded falls back to the built-in one, and says why.
 */
export class AlarmPlayer {
  private readonly options: AlarmPlayerOptions;
  private readonly buffers = new Map<string, Promise<unknown>>();
  private playing: Playing[] = [];
  /** Bumped by stop(): a play() that was loading when it happened must not start. */
  private generation = 0;

  constructor(
    private readonly context: AudioContextLike,
    private readonly load: SoundLoader,
    options: Partial<AlarmPlayerOptions> = {},
  ) {
    this.options = { ...DEFAULT_PLAYER_OPTIONS, ...options };
  }

  /** Whether anything is sounding (or scheduled to). */
  get active(): boolean {
    return this.playing.length > 0;
  }

  /** Starts a sound; an alarm replaces any alarm already playing, a chime plays over it. */
  async play(sound: SoundRequest, mode: PlayMode): Promise<PlayOutcome> {
    const generation = this.generation;
    let url = sound.url;
    let fallbackReason: string | null = null;
    let buffer: unknown;
    try {
      buffer = await this.decode(sound.url);
    } catch (err) {
      if (sound.fallbackUrl === sound.url) throw err;
      fallbackReason = err instanceof Error ? err.message : String(err);
      url = sound.fallbackUrl;
      buffer = await this.decode(sound.fallbackUrl);
    }
    if (generation !== this.generation) return { started: false, cancelled: true };
    if (this.context.state !== 'running') await this.context.resume();
    if (generation !== this.generation) return { started: false, cancelled: true };
    if (mode === 'alarm') this.silence();
    this.start(buffer, mode);
    return { started: true, url, fallbackReason };
  }

  /**
   * Loads and decodes a sound ahead of time, so the first page after start-up is audible without
   * waiting for a fetch and a decode. A failure is only reported: play() tries again and falls back.
   */
  async preload(url: string): Promise<void> {
    await this.decode(url);
  }

  /** Silences everything now, including a play() that is still loading. */
  stop(): void {
    this.generation++;
    this.silence();
  }

  private decode(url: string): Promise<unknown> {
    let pending = this.buffers.get(url);
    if (!pending) {
      pending = this.load(url).then((data) => this.context.decodeAudioData(data));
      // a failed load is not cached: the file may be fixed before the next page
      pending.catch(() => this.buffers.delete(url));
      this.buffers.set(url, pending);
    }
    return pending;
  }

  private start(buffer: unknown, mode: PlayMode): void {
    const { context: ctx, options: o } = this;
    const gain = ctx.createGain();
    const source = ctx.createBufferSource();
    source.buffer = buffer;
    source.loop = mode === 'alarm';
    source.connect(gain as never);
    gain.connect(ctx.destination as never);
    const t = ctx.currentTime;
    if (mode === 'alarm') {
      gain.gain.setValueAtTime(o.startGain, t);
      gain.gain.linearRampToValueAtTime(o.maxGain, t + o.riseSeconds);
    } else {
      gain.gain.setValueAtTime(o.chimeGain, t);
    }
    source.start(t);
    const entry: Playing = { source, gain, mode, startedAt: t };
    this.playing.push(entry);
    if (mode === 'once') {
      // forget a chime once it ended, so `active` tells the truth
      (source as { onended?: (() => void) | null }).onended = () => {
        this.playing = this.playing.filter((p) => p !== entry);
        entry.gain.disconnect();
      };
    }
  }

  private levelAt(entry: Playing, t: number): number {
    const o = this.options;
    if (entry.mode === 'once') return o.chimeGain;
    const progress = o.riseSeconds > 0 ? Math.min(1, Math.max(0, (t - entry.startedAt) / o.riseSeconds)) : 1;
    return o.startGain + (o.maxGain - o.startGain) * progress;
  }

  private silence(): void {
    const t = this.context.currentTime;
    const end = t + this.options.fadeSeconds;
    for (const entry of this.playing) {
      const { source, gain } = entry;
      gain.gain.cancelScheduledValues(t);
      // hold the level the rise had reached (AudioParam.value does not reflect automation in every engine)
      gain.gain.setValueAtTime(this.levelAt(entry, t), t);
      gain.gain.linearRampToValueAtTime(0, end);
      try {
        source.stop(end);
      } catch {
        // already stopped: nothing more to silence
      }
    }
    this.playing = [];
  }
}
