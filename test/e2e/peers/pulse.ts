import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Page } from 'playwright-core';
import { startPeer, type Peer } from './process';

/** Recording format: mono 16-bit at 16 kHz is plenty to tell a beep from silence. */
export const REC_RATE = 16_000;
const BYTES_PER_SAMPLE = 2;
/** Loudness is judged per 10 ms window. */
const WINDOW_SAMPLES = REC_RATE / 100;
/** RMS (full scale = 1) above which a window counts as sound; a null sink's silence is exactly 0. */
export const LOUD_RMS = 0.01;

/** What sox says about a stretch of recording. */
export interface SoxStats {
  seconds: number;
  rms: number;
  max: number;
}

/** Asks sox for the RMS and peak amplitude of raw recorded samples. */
export function soxStats(raw: Buffer): SoxStats {
  const r = spawnSync('sox', ['-t', 'raw', '-r', String(REC_RATE), '-e', 'signed', '-b', '16', '-c', '1', '-', '-n', 'stat'], { input: raw, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`sox stat failed: ${r.stderr}`);
  const field = (name: string) => {
    const m = new RegExp(`^${name}:\\s+(-?[\\d.]+)`, 'm').exec(r.stderr);
    if (!m) throw new Error(`sox stat printed no "${name}":\n${r.stderr}`);
    return Number(m[1]);
  };
  return { seconds: field('Length \\(seconds\\)'), rms: field('RMS\\s+amplitude'), max: field('Maximum amplitude') };
}

/** One 10 ms window of the recording, stamped with when its chunk reached us. */
interface Window {
  at: number;
  rms: number;
}

/**
 * A running `parec` of the null sink's monitor. Samples are kept and judged as they arrive, so a
 * test can wait for "loud" or "silent" as events, with times on the performance.now() clock.
 */
export class Recorder {
  private chunks: Buffer[] = [];
  private bytes = 0;
  private pending = Buffer.alloc(0);
  private readonly windows: Window[] = [];
  private readonly waiters = new Set<() => void>();

  constructor(private readonly peer: Peer) {
    peer.proc.stdout!.removeAllListeners('data');
    peer.proc.stdout!.on('data', (buf: Buffer) => this.onData(buf, performance.now()));
  }

  private onData(buf: Buffer, at: number): void {
    this.chunks.push(buf);
    this.bytes += buf.length;
    this.pending = Buffer.concat([this.pending, buf]);
    const size = WINDOW_SAMPLES * BYTES_PER_SAMPLE;
    while (this.pending.length >= size) {
      let sum = 0;
      for (let i = 0; i < size; i += 2) {
        const v = this.pending.readInt16LE(i) / 32768;
        sum += v * v;
      }
      this.windows.push({ at, rms: Math.sqrt(sum / WINDOW_SAMPLES) });
      this.pending = this.pending.subarray(size);
    }
    this.waiters.forEach((w) => w());
  }

  /** Byte offset of "now" in the recording, to cut segments for sox. */
  mark(): number {
    return this.bytes - (this.bytes % BYTES_PER_SAMPLE);
  }

  /** The raw samples between two marks. */
  segment(from: number, to = this.mark()): Buffer {
    return Buffer.concat(this.chunks).subarray(from, to);
  }

  private waitFor<T>(find: () => T | null, what: string, timeoutMs: number): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const hit = find();
        if (hit === null) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve(hit);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`timed out waiting for ${what}`));
      }, timeoutMs);
      this.waiters.add(check);
      check();
    });
  }

  /** When the first loud window after `since` arrived. */
  waitForLoud(since: number, timeoutMs = 10_000): Promise<number> {
    return this.waitFor(() => this.windows.find((w) => w.at >= since && w.rms > LOUD_RMS)?.at ?? null, 'sound on the sink', timeoutMs);
  }

  /**
   * When silence began after `since` and then held for `holdMs`. The hold must outlast the gaps
   * inside the alarm itself (its longest rest is 300 ms), or a pause would count as stopped.
   */
  waitForSilence(since: number, holdMs = 500, timeoutMs = 10_000): Promise<number> {
    return this.waitFor(
      () => {
        let start: number | null = null;
        for (const w of this.windows) {
          if (w.at < since) continue;
          if (w.rms > LOUD_RMS) start = null;
          else {
            start ??= w.at;
            if (w.at - start >= holdMs) return start;
          }
        }
        return null;
      },
      'silence on the sink',
      timeoutMs,
    );
  }

  /** Waits until the recording reaches at least `at` (performance.now() time). */
  waitUntil(at: number, timeoutMs = 10_000): Promise<void> {
    return this.waitFor(() => (this.windows.at(-1)?.at ?? 0) >= at ? true : null, 'recording to catch up', timeoutMs).then(() => undefined);
  }

  stop(): Promise<void> {
    return this.peer.stop();
  }
}

/** A private PulseAudio daemon with one null sink, for hearing what an app plays. */
export interface PulseSession {
  /** Put into the environment of a program that should play into the sink. */
  env: Record<string, string>;
  server: string;
  sink: string;
  /** Starts recording the sink's monitor; resolves once parec is connected. */
  record(): Promise<Recorder>;
  stop(): Promise<void>;
}

/**
 * Starts PulseAudio with its own runtime, state and home folders (nothing shared with a real
 * session), no default modules (-n), a null sink and an anonymous unix socket. Stopped by PID.
 */
export async function startPulse(): Promise<PulseSession> {
  const dir = mkdtempSync(path.join(tmpdir(), 'oncall-pulse-'));
  for (const sub of ['runtime', 'home', 'state']) mkdirSync(path.join(dir, sub), { mode: 0o700 });
  const socket = path.join(dir, 'runtime', 'native');
  const sink = 'oncall_null';
  const env: Record<string, string> = {
    XDG_RUNTIME_DIR: path.join(dir, 'runtime'),
    HOME: path.join(dir, 'home'),
    PULSE_RUNTIME_PATH: path.join(dir, 'runtime'),
    PULSE_STATE_PATH: path.join(dir, 'state'),
  };
  const daemonEnv = { ...process.env, ...env };
  delete daemonEnv['PULSE_SERVER'];
  const daemon = startPeer(
    'pulseaudio',
    [
      '--daemonize=no',
      '--exit-idle-time=-1',
      '-n',
      '--use-pid-file=no',
      '--disallow-exit',
      '--log-target=stderr',
      '--log-level=info',
      `--load=module-null-sink sink_name=${sink} rate=48000`,
      `--load=module-native-protocol-unix auth-anonymous=1 socket=${socket}`,
    ],
    { env: daemonEnv },
  );
  try {
    await daemon.waitForLine(/Daemon startup complete/, 'pulseaudio started');
  } catch (err) {
    await daemon.stop();
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  const server = `unix:${socket}`;
  const clientEnv = { ...env, PULSE_SERVER: server, PULSE_SINK: sink };
  const recorders: Recorder[] = [];
  return {
    env: clientEnv,
    server,
    sink,
    async record() {
      const peer = startPeer('parec', ['-d', `${sink}.monitor`, '--format=s16le', `--rate=${REC_RATE}`, '--channels=1', '--raw', '--latency-msec=10'], {
        env: { ...process.env, ...clientEnv },
      });
      const recorder = new Recorder(peer);
      recorders.push(recorder);
      // a monitor of an idle null sink still streams silence: the first window means connected
      await recorder.waitUntil(0);
      return recorder;
    },
    async stop() {
      for (const r of recorders) await r.stop();
      await daemon.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Plays a WAV into the session with paplay (a reference player, to check the rig itself). */
export function paplay(session: PulseSession, file: string): Promise<number | null> {
  const p = spawn('paplay', [file], { env: { ...process.env, ...session.env }, stdio: 'ignore' });
  return new Promise((resolve) => p.once('exit', (code) => resolve(code)));
}

/** A page in Debian Chromium playing into the PulseAudio session through the real AlarmPlayer bundle. */
export interface AlarmPage {
  page: Page;
  /** Starts the built-in alarm the way the renderer does when main says so; resolves once it started. */
  play(): Promise<void>;
  /** Calls stop() on the player directly. */
  stop(): Promise<void>;
  /** Shows the real alert window; its Acknowledge stops the player, as main does on acknowledgement. */
  showAlert(props: { severity: string; title: string; summary?: string; count: number }): Promise<void>;
  /** How many times the alert window's Acknowledge fired. */
  acknowledgements(): Promise<number>;
  close(): Promise<void>;
}

/** What the test page keeps on window (written out in each evaluated function: they run in the page). */
type PageGlobals = {
  alarm: { play(s: { url: string; fallbackUrl: string }, m: string): Promise<{ started: boolean }>; stop(): void };
  showAlert(props: object): void;
  acks: number;
  ready: boolean;
};

/**
 * Bundles the alarm player and the alert window (src/renderer/features/alarm) with vite into a
 * temp folder, not dist/, and opens them in Chromium with autoplay allowed and PULSE_SERVER
 * pointing at `pulse`.
 */
export async function openAlarmPage(pulse: PulseSession, riseSeconds = 5): Promise<AlarmPage> {
  const { build } = await import('vite');
  const { chromium } = await import('playwright-core');
  const { readdirSync, readFileSync } = await import('node:fs');
  const { CHROMIUM_ARGS } = await import('../renderer-host');
  const out = mkdtempSync(path.join(tmpdir(), 'oncall-player-'));
  await build({
    configFile: false,
    logLevel: 'warn',
    mode: 'production',
    // vitest sets NODE_ENV=test, which would otherwise pick React's development JSX runtime
    oxc: { jsx: { runtime: 'automatic', development: false } },
    define: { 'process.env.NODE_ENV': JSON.stringify('production') },
    build: {
      outDir: out,
      emptyOutDir: true,
      minify: false,
      lib: {
        entry: { player: path.resolve('src/renderer/features/alarm/alarm-player.ts'), mount: path.resolve('src/renderer/features/alarm/mount.tsx') },
        formats: ['es'],
        fileName: (_format, name) => `${name}.js`,
        cssFileName: 'alarm',
      },
    },
  });
  const types: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.wav': 'audio/wav', '.html': 'text/html' };
  const files = new Map<string, Buffer | string>(readdirSync(out).map((f) => [`/${f}`, readFileSync(path.join(out, f))]));
  // everything is served from memory, so the build folder can go at once, even if Chromium fails
  rmSync(out, { recursive: true, force: true });
  files.set('/alarm.wav', readFileSync(path.resolve('assets/sounds/alarm.wav')));
  files.set('/index.html', '<!doctype html><style>body{margin:0}</style><link rel="stylesheet" href="/alarm.css"><div id="root"></div><script type="module" src="/boot.js"></script>');
  files.set(
    '/boot.js',
    `import { AlarmPlayer } from '/player.js';
import { mountAlertWindow } from '/mount.js';
const load = (url) => fetch(url).then((r) => { if (!r.ok) throw new Error('HTTP ' + r.status); return r.arrayBuffer(); });
window.alarm = new AlarmPlayer(new AudioContext(), load, { riseSeconds: ${riseSeconds} });
window.acks = 0;
const onAcknowledge = () => { window.acks++; window.alarm.stop(); };
let mounted = null;
window.showAlert = (p) => {
  const props = { ...p, onAcknowledge, onOpen: () => undefined };
  if (mounted) mounted.update(props); else mounted = mountAlertWindow(document.getElementById('root'), 'en', props);
};
window.ready = true;`,
  );
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [...CHROMIUM_ARGS, '--autoplay-policy=no-user-gesture-required'],
    // Playwright mutes headless Chromium by default; this test is about the sound
    ignoreDefaultArgs: ['--mute-audio'],
    env: { ...process.env, ...pulse.env } as Record<string, string>,
  });
  const page = await browser.newPage({ viewport: { width: 520, height: 340 } });
  try {
    await page.route('http://alarm.test/**', (route) => {
      const name = new URL(route.request().url()).pathname;
      const body = files.get(name);
      return body === undefined ? route.fulfill({ status: 404, body: '' }) : route.fulfill({ status: 200, contentType: types[path.extname(name)] ?? 'application/octet-stream', body });
    });
    await page.goto('http://alarm.test/index.html');
    await page.waitForFunction(() => (window as unknown as PageGlobals).ready === true);
  } catch (err) {
    await browser.close();
    throw err;
  }
  return {
    page,
    async play() {
      const outcome = await page.evaluate(() => (window as unknown as PageGlobals).alarm.play({ url: '/alarm.wav', fallbackUrl: '/alarm.wav' }, 'alarm'));
      if (!outcome.started) throw new Error('the alarm did not start');
    },
    stop: () => page.evaluate(() => (window as unknown as PageGlobals).alarm.stop()),
    async showAlert(props) {
      await page.evaluate((p) => (window as unknown as PageGlobals).showAlert(p), props);
      await page.getByRole('alertdialog').waitFor();
    },
    acknowledgements: () => page.evaluate(() => (window as unknown as PageGlobals).acks),
    close: () => browser.close(),
  };
}
