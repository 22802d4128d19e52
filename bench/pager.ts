// Issue 6's bars: a storm of webhooks → Notify calls and time to the last confirmed delivery (real
// Chromium, real IndexedDB), and main's state size and restart time with 100,000 known pages.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { DEFAULT_HEARTBEAT_MATCHERS } from '../src/core/pager/heartbeat';
import type { PagerInput } from '../src/core/pager/live-state';
import { createPagerStore } from '../src/main/services/pager-store';
import { startApp } from '../test/e2e/app-host';
import { firingWebhook, signal } from '../test/helpers/fixtures';
import { testDataDir } from '../test/helpers/main-harness';

const mb = (v: number) => `${(v / 1024 / 1024).toFixed(1)} MiB`;

/** 10,000 alerts in 10 webhooks of one group within 1 s → Notify calls, and the last delivery confirmed by Chromium. */
export async function benchStorm(): Promise<void> {
  const dataDir = testDataDir();
  let notifies = 0;
  const { services, ui } = await startApp({ dataDir, notifier: { notify: () => void notifies++ } });
  const { url, token } = services.settings.view().listener;
  // Alertmanager re-sends the whole group as it grows: webhook k holds the first k × 1,000 alerts
  const full = firingWebhook(10_000, { kube: true, severity: 'critical' });
  const t0 = performance.now();
  const answers: number[] = [];
  for (let k = 1; k <= 10; k++) {
    const body = JSON.stringify({ ...full, alerts: full.alerts.slice(0, k * 1_000) });
    const s = performance.now();
    const res = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body });
    await res.arrayBuffer();
    answers.push(performance.now() - s);
    const due = t0 + k * 100;
    if (performance.now() < due) await new Promise((r) => setTimeout(r, due - performance.now()));
  }
  const sent = performance.now();
  while (services.outbox.size() > 0) await new Promise((r) => setTimeout(r, 20));
  const drained = performance.now();
  console.log(`10,000 alerts as 10 growing webhooks of one group in ${(sent - t0).toFixed(0)} ms → ${notifies} Notify call(s) (goal: 1 per group)`);
  console.log(`  webhook answered in ${Math.min(...answers).toFixed(0)}–${Math.max(...answers).toFixed(0)} ms; last delivery confirmed by Chromium (real IndexedDB) ${(drained - t0).toFixed(0)} ms after the first webhook`);
  await ui.stop();
  await services.stop();
  rmSync(dataDir, { recursive: true, force: true });
}

/** Main's durable state with 100,000 known pages: its size on disk and how long a restart takes to load it. */
export async function benchPagerState(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'occ-bench-pager-'));
  const policy = () => ({ coalesceMs: 15_000, heartbeats: DEFAULT_HEARTBEAT_MATCHERS, keepResolvedMs: 7 * 86_400_000 });
  const store = createPagerStore(dir, policy, (m) => console.error(m));
  const now = Date.now();
  for (let b = 0; b < 100; b++) {
    const signals = Array.from({ length: 1_000 }, (_, i) => signal({ id: `alertmanager:fp${b}-${i}`, fingerprint: `fp${b}-${i}`, groupKey: `g${b}`, startsAt: now }));
    const input: PagerInput = { type: 'signals', at: now, signals, groups: [] };
    store.apply(input);
    store.record(input);
  }
  const c0 = performance.now();
  store.compact();
  const compactMs = performance.now() - c0;
  const size = statSync(path.join(dir, 'pager-state.json')).size;
  global.gc?.();
  const heap0 = process.memoryUsage().heapUsed;
  const r0 = performance.now();
  const again = createPagerStore(dir, policy, (m) => console.error(m));
  const restartMs = performance.now() - r0;
  const heap1 = process.memoryUsage().heapUsed;
  console.log(
    `main's pager state with ${again.state().pages.size.toLocaleString('en')} known pages: ${mb(size)} on disk, snapshot written in ${compactMs.toFixed(0)} ms, restart (load) ${restartMs.toFixed(0)} ms, heap +${mb(heap1 - heap0)}`,
  );
  rmSync(dir, { recursive: true, force: true });
}
