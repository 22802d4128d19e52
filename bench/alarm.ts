// The alarm's bars (issue 12), measured on a real PulseAudio null sink with Debian Chromium:
// page received → first non-silent sample (goal ≤ 1 s) and acknowledge → silent (goal ≤ 300 ms).
import { performance } from 'node:perf_hooks';
import { openAlarmPage, startPulse } from '../test/e2e/peers/pulse';

const ms = (v: number) => `${v.toFixed(0)} ms`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * Plays and stops the real AlarmPlayer bundle `rounds` times. The first round includes fetching
 * and decoding the WAV, as the first page after start-up would; later rounds use the decoded copy.
 * Times are from the test's call into the page to the first 10 ms window of sound (or of lasting
 * silence) arriving from parec, so they include Chromium's and PulseAudio's output latency.
 */
export async function benchAlarm(rounds = 5): Promise<void> {
  const pulse = await startPulse();
  try {
    const recorder = await pulse.record();
    const alarm = await openAlarmPage(pulse);
    try {
      const audible: number[] = [];
      const silent: number[] = [];
      const acked: number[] = [];
      await alarm.showAlert({ severity: 'P1', title: 'KubePodCrashLooping', count: 1 });
      for (let i = 0; i < rounds; i++) {
        const received = performance.now();
        await alarm.play();
        audible.push((await recorder.waitForLoud(received)) - received);
        await recorder.waitUntil(performance.now() + 700);
        await recorder.waitForLoud(performance.now());
        const stopped = performance.now();
        await alarm.stop();
        silent.push((await recorder.waitForSilence(stopped)) - stopped);
        // the same again, stopped the way a user does: Enter in the alert window
        await alarm.play();
        await recorder.waitUntil(performance.now() + 700);
        await recorder.waitForLoud(performance.now());
        await alarm.showAlert({ severity: 'P1', title: 'KubePodCrashLooping', count: i + 2 });
        const pressed = performance.now();
        await alarm.page.keyboard.press('Enter');
        acked.push((await recorder.waitForSilence(pressed)) - pressed);
      }
      console.log(`alarm on a PulseAudio null sink (Chromium, Web Audio), ${rounds} rounds:`);
      console.log(`  page received → audible: first ${ms(audible[0]!)}, median ${ms(median(audible))}, max ${ms(Math.max(...audible))}   (goal ≤ 1 s)`);
      console.log(`  stop() → silent:         median ${ms(median(silent))}, max ${ms(Math.max(...silent))}   (goal ≤ 300 ms)`);
      console.log(`  Enter in alert → silent: median ${ms(median(acked))}, max ${ms(Math.max(...acked))}   (goal ≤ 300 ms)`);
    } finally {
      await alarm.close();
    }
  } finally {
    await pulse.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchAlarm();

/**
 * Main evaluates the alarms after every pager input, over every page it knows: time one
 * evaluation with 100,000 known pages (1,000 of them still waiting, in 100 groups).
 */
export async function benchAlarmCore(): Promise<void> {
  const { evaluateAlarms } = await import('../src/core/alarms/evaluate');
  const { defaultAlarmPolicy } = await import('../src/core/alarms/policy');
  const { emptyAlarmState } = await import('../src/core/alarms/state');
  type Page = import('../src/core/alarms/evaluate').AlarmPage;
  const now = Date.UTC(2026, 10, 23, 10);
  const pages: Page[] = [];
  for (let i = 0; i < 100_000; i++) {
    const waiting = i % 100 === 0;
    pages.push({ id: `p${i}`, groupKey: `g${i % 10_000}`, title: `Alert ${i}`, severity: waiting && i % 300 === 0 ? 'P1' : 'P2', status: waiting ? 'firing' : 'acknowledged', startsAt: now - i, rangAt: now - i });
  }
  const policy = defaultAlarmPolicy();
  let state = emptyAlarmState();
  const samples: number[] = [];
  for (let i = 0; i < 60; i++) {
    const t0 = performance.now();
    state = evaluateAlarms(state, { pages, policy, rota: null, timeZone: 'Europe/Berlin', now: now + i * 1000 }).state;
    samples.push(performance.now() - t0);
  }
  const firing = pages.filter((p) => p.status === 'firing');
  const onlyFiring: number[] = [];
  for (let i = 0; i < 60; i++) {
    const t0 = performance.now();
    state = evaluateAlarms(state, { pages: firing, policy, rota: null, timeZone: 'Europe/Berlin', now: now + (60 + i) * 1000 }).state;
    onlyFiring.push(performance.now() - t0);
  }
  const show = (xs: number[]) => {
    const warm = xs.slice(10).sort((a, b) => a - b);
    return `median ${warm[Math.floor(warm.length / 2)]!.toFixed(2)} ms, max ${warm.at(-1)!.toFixed(2)} ms`;
  };
  console.log('alarm evaluation, 1,000 waiting pages in 100 groups:');
  console.log(`  given all 100,000 known pages: ${show(samples)}`);
  console.log(`  given only the 1,000 firing:   ${show(onlyFiring)}`);
}

if (import.meta.url === `file://${process.argv[1]}`) await benchAlarmCore();

/**
 * The same bars through the whole app: a webhook to main's listener → main's alarm logic →
 * the renderer's player in Chromium → first sound on the null sink; then Acknowledge over IPC →
 * main stops the alarm → silence. Needs a built renderer (node scripts/build.mjs renderer).
 */
export async function benchAlarmThroughMain(rounds = 5): Promise<void> {
  const { mkdtempSync, rmSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const path = await import('node:path');
  const { startMainServices } = await import('../src/main/services');
  const { startRenderer } = await import('../test/e2e/renderer-host');
  const { firingWebhook } = await import('../test/helpers/fixtures');
  const pulse = await startPulse();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'occ-bench-alarm-'));
  writeFileSync(path.join(dataDir, 'config.json'), JSON.stringify({ listener: { host: '127.0.0.1', port: 0, token: `bench-${Date.now()}-0123456789abcdef` }, coalesceSeconds: 0 }));
  let emit: ((c: string, p: unknown) => void) | null = null;
  let appUrl = '';
  const services = await startMainServices({
    dataDir,
    notifier: { notify: () => undefined },
    tray: { setAttention: () => undefined },
    events: { emit: (c, p) => emit?.(c, p) },
    clock: { now: () => Date.now() },
    logger: { info: () => undefined, error: (m) => console.error(m) },
    isTrustedSender: (url) => url.startsWith(appUrl.replace(/index\.html$/, '')),
    openExternal: () => undefined,
  });
  const ui = await startRenderer({
    router: () => services.router,
    onAppUrl: (url) => (appUrl = url),
    launch: { args: ['--autoplay-policy=no-user-gesture-required'], env: pulse.env, ignoreDefaultArgs: ['--mute-audio'] },
  });
  emit = (c, p) => ui.events.emit(c as never, p as never);
  try {
    const recorder = await pulse.record();
    await ui.page.getByRole('navigation').waitFor();
    const { url, token } = services.settings.view().listener;
    const audible: number[] = [];
    const silent: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const groupKey = `{}:{alertname="Bench${i}"}`;
      const body = JSON.stringify({ ...firingWebhook(1, { prefix: `Bench${i}-`, severity: 'critical', startsAt: new Date().toISOString() }), groupKey });
      const received = performance.now();
      const res = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body });
      await res.arrayBuffer();
      audible.push((await recorder.waitForLoud(received)) - received);
      await recorder.waitUntil(performance.now() + 700);
      await recorder.waitForLoud(performance.now());
      const acked = performance.now();
      await services.handlers['pages:acknowledge']({ groupKey });
      silent.push((await recorder.waitForSilence(acked)) - acked);
    }
    console.log(`alarm through main (webhook → main → Chromium → PulseAudio), ${rounds} rounds:`);
    console.log(`  page received → audible: first ${ms(audible[0]!)}, median ${ms(median(audible))}, max ${ms(Math.max(...audible))}   (goal ≤ 1 s)`);
    console.log(`  Acknowledge → silent:    median ${ms(median(silent))}, max ${ms(Math.max(...silent))}   (goal ≤ 300 ms)`);
  } finally {
    await ui.stop();
    await services.stop();
    await pulse.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
