import type { AudioContextLike, AudioParamLike, GainNodeLike, SourceNodeLike } from '../../../../src/renderer/features/alarm/alarm-player';

type Event = { kind: 'set' | 'ramp'; value: number; time: number };

/** An AudioParam that keeps its automation events and can say its value at any time, as Web Audio would. */
export class FakeParam implements AudioParamLike {
  events: Event[] = [];
  constructor(public value: number) {}
  setValueAtTime(value: number, time: number) {
    this.events.push({ kind: 'set', value, time });
  }
  linearRampToValueAtTime(value: number, time: number) {
    this.events.push({ kind: 'ramp', value, time });
  }
  cancelScheduledValues(time: number) {
    this.events = this.events.filter((e) => e.time < time);
  }
  at(t: number): number {
    let v = 1;
    let vt = 0;
    for (const e of [...this.events].sort((a, b) => a.time - b.time)) {
      if (e.kind === 'set') {
        if (e.time > t) break;
        v = e.value;
        vt = e.time;
      } else {
        if (e.time <= t) {
          v = e.value;
          vt = e.time;
        } else {
          return v + ((e.value - v) * (t - vt)) / (e.time - vt);
        }
      }
    }
    return v;
  }
}

export class FakeGain implements GainNodeLike {
  gain = new FakeParam(1);
  connected = false;
  connect() {
    this.connected = true;
  }
  disconnect() {
    this.connected = false;
  }
}

export class FakeSource implements SourceNodeLike {
  buffer: unknown = null;
  loop = false;
  startAt: number | null = null;
  stopAt: number | null = null;
  gain: FakeGain | null = null;
  connect(dest: never) {
    this.gain = dest as unknown as FakeGain;
  }
  disconnect() {}
  start(when = 0) {
    this.startAt = when;
  }
  stop(when = 0) {
    if (this.stopAt !== null) throw new Error('InvalidStateError: already stopped');
    this.stopAt = when;
  }
}

/** An AudioContext on a fake clock: `currentTime` is set by the test. */
export class FakeAudioContext implements AudioContextLike {
  currentTime = 0;
  destination = {};
  state = 'running';
  sources: FakeSource[] = [];
  resumed = 0;
  async resume() {
    this.resumed++;
    this.state = 'running';
  }
  createGain() {
    return new FakeGain();
  }
  createBufferSource() {
    const s = new FakeSource();
    this.sources.push(s);
    return s;
  }
  async decodeAudioData(data: ArrayBuffer) {
    const text = new TextDecoder().decode(data);
    if (!text.startsWith('RIFF')) throw new Error('Unable to decode audio data');
    return { decoded: text };
  }
  /** The loudness reaching the speakers at time t: the sum of every sounding source's gain. */
  loudnessAt(t: number): number {
    let sum = 0;
    for (const s of this.sources) {
      if (s.startAt === null || s.startAt > t || (s.stopAt !== null && s.stopAt <= t) || !s.gain) continue;
      sum += s.gain.gain.at(t);
    }
    return sum;
  }
}
