import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAlarmPage, paplay, soxStats, startPulse, type AlarmPage, type PulseSession, type Recorder } from './peers/pulse';

const ARTIFACTS = path.resolve(process.cwd(), 'test-results');

describe('the alarm is really heard', () => {
  let pulse: PulseSession;
  let recorder: Recorder;
  let alarm: AlarmPage;

  beforeAll(async () => {
    pulse = await startPulse();
    recorder = await pulse.record();
    alarm = await openAlarmPage(pulse);
  });
  afterAll(async () => {
    await alarm?.close();
    await pulse?.stop();
  });

  it('the rig hears a reference player, and hears nothing when nothing plays', async () => {
    const before = recorder.mark();
    await recorder.waitUntil(performance.now() + 300);
    expect(soxStats(recorder.segment(before)).max).toBe(0);
    const start = recorder.mark();
    expect(await paplay(pulse, 'assets/sounds/chime.wav')).toBe(0);
    expect(soxStats(recorder.segment(start)).rms).toBeGreaterThan(0.05);
    await recorder.waitForSilence(performance.now(), 300);
  });

  it('the alarm player in Chromium is loud while it plays and silent within 1 s of stop()', async () => {
    const received = performance.now();
    await alarm.play();
    const loudAt = await recorder.waitForLoud(received);
    const playing = recorder.mark();
    await recorder.waitUntil(performance.now() + 2_000);
    const whilePlaying = soxStats(recorder.segment(playing));
    expect(whilePlaying.seconds).toBeGreaterThan(1.5);
    expect(whilePlaying.rms).toBeGreaterThan(0.05);

    // stop in the middle of a beep, so "silent" cannot be one of the alarm's own rests
    await recorder.waitForLoud(performance.now());
    const stoppedAt = performance.now();
    await alarm.stop();
    const silentAt = await recorder.waitForSilence(stoppedAt);
    expect(silentAt - stoppedAt).toBeLessThan(1_000);
    // everything recorded from one second after stop() on is digital silence, as sox measures it
    await recorder.waitUntil(stoppedAt + 1_000);
    const afterSecond = recorder.mark();
    await recorder.waitUntil(performance.now() + 1_000);
    const after = soxStats(recorder.segment(afterSecond));
    expect(after.seconds).toBeGreaterThan(0.8);
    expect(after.max).toBeLessThan(0.001);
    console.log(`alarm: page received → audible ${(loudAt - received).toFixed(0)} ms; stop → silent ${(silentAt - stoppedAt).toFixed(0)} ms`);
  });

  it('Enter in the alert window acknowledges: the alarm is silent within 1 s of it', async () => {
    await alarm.play();
    await recorder.waitForLoud(performance.now());
    await alarm.showAlert({ severity: 'P1', title: 'KubePodCrashLooping', summary: 'api-7f9 restarts every 30 s', count: 3 });
    mkdirSync(ARTIFACTS, { recursive: true });
    await alarm.page.screenshot({ path: path.join(ARTIFACTS, 'alert-window.png') });
    await recorder.waitForLoud(performance.now());
    // Enter counts once the keyboard has been still a moment since the alert appeared (typing guard)
    await alarm.page.locator('[role="alertdialog"][data-enter-armed="true"]').waitFor();
    const pressedAt = performance.now();
    await alarm.page.keyboard.press('Enter');
    const silentAt = await recorder.waitForSilence(pressedAt);
    expect(silentAt - pressedAt).toBeLessThan(1_000);
    expect(await alarm.acknowledgements()).toBe(1);
    await recorder.waitUntil(pressedAt + 1_000);
    const from = recorder.mark();
    await recorder.waitUntil(performance.now() + 800);
    expect(soxStats(recorder.segment(from)).max).toBeLessThan(0.001);
    console.log(`alarm: Enter (Acknowledge) → silent ${(silentAt - pressedAt).toFixed(0)} ms`);
  });
});
