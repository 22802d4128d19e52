// npm run bench: prints the figures the issues ask for. No assertions: numbers to read and report.
import 'fake-indexeddb/auto';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import { normalizeAlertmanagerWebhook } from '../src/core/alertmanager';
import { startMainServices } from '../src/main/services';
import { OnCallDb } from '../src/renderer/db/database';
import { storeDelivery } from '../src/renderer/db/pages-repo';
import { firingWebhook } from '../test/helpers/fixtures';
import { testDataDir } from '../test/helpers/main-harness';
import { benchImport, benchRota } from './rota';

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
const ms = (v: number) => `${v.toFixed(2)} ms`;
const mb = (v: number) => `${(v / 1024 / 1024).toFixed(1)} MiB`;

async function receiptToNotify(n: number) {
  const dataDir = testDataDir();
  let notified: () => void = () => undefined;
  const services = await startMainServices({
    dataDir,
    notifier: { notify: () => notified() },
    tray: { setAttention: () => undefined },
    events: { emit: () => undefined },
    clock: { now: () => Date.now() },
    logger: { info: () => undefined, error: (m) => console.error(m) },
    isTrustedSender: () => true,
    openExternal: () => undefined,
  });
  const { url, token } = services.settings.view().listener;
  const samples: number[] = [];
  for (let i = 0; i < n + 50; i++) {
    // a group of its own each time: within one group's coalescing window a new alert would not ring
    const body = JSON.stringify({ ...firingWebhook(1, { prefix: `b${i}-` }), groupKey: `{}:{bench="${i}"}` });
    const got = new Promise<number>((resolve) => (notified = () => resolve(performance.now())));
    const t0 = performance.now();
    const res = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body });
    const t1 = await got;
    await res.arrayBuffer();
    if (i >= 50) samples.push(t1 - t0); // the first 50 warm up the JIT and the connection pool
  }
  await services.stop();
  rmSync(dataDir, { recursive: true, force: true });
  samples.sort((a, b) => a - b);
  console.log(`POST sent → notifier called, ${n} pages over loopback HTTP (includes the request itself):`);
  console.log(`  p50 ${ms(pct(samples, 50))}   p99 ${ms(pct(samples, 99))}   max ${ms(samples.at(-1)!)}   (goal p99 ≤ 20 ms)`);
}

async function bigWebhookToDexie(n: number) {
  const body = firingWebhook(n);
  const json = JSON.stringify(body);
  global.gc?.();
  const heap0 = process.memoryUsage().heapUsed;
  const t0 = performance.now();
  const signals = normalizeAlertmanagerWebhook(JSON.parse(json));
  const t1 = performance.now();
  const db = new OnCallDb(`bench-${Date.now()}`);
  await storeDelivery(db, { id: 'bench', receivedAt: Date.now(), notifiedAt: Date.now(), signals, commands: [], events: [], groups: [], newIds: [] }, Date.now());
  const t2 = performance.now();
  const heap1 = process.memoryUsage().heapUsed;
  const stored = await db.pages.count();
  console.log(`${n} alerts in one webhook (${mb(json.length)} of JSON) → stored in Dexie (fake-indexeddb):`);
  console.log(`  parse+validate ${ms(t1 - t0)}   store ${ms(t2 - t1)}   total ${ms(t2 - t0)}   heap +${mb(heap1 - heap0)}   pages stored ${stored}`);
  db.close();
}

function bundleSize() {
  const dir = path.resolve('dist/renderer/assets');
  let raw = 0;
  let gz = 0;
  for (const f of readdirSync(dir).filter((f) => /\.(js|css)$/.test(f))) {
    const buf = readFileSync(path.join(dir, f));
    raw += buf.length;
    gz += gzipSync(buf, { level: 9 }).length;
  }
  console.log(`renderer bundle (JS+CSS): ${(raw / 1024).toFixed(0)} kB raw, ${(gz / 1024).toFixed(0)} kB gzip   (goal ≤ 400 kB gzip)`);
}

await receiptToNotify(1_000);
await bigWebhookToDexie(10_000);
bundleSize();
benchRota();
await benchImport();
const { benchStorm, benchPagerState } = await import('./pager');
await benchStorm();
await benchPagerState();
const { benchBoundedImports, benchListenerDuringImport } = await import('./imports');
await benchBoundedImports();
await benchListenerDuringImport();
const { benchSources } = await import('./sources');
await benchSources();
const { benchRelay } = await import('./relay');
await benchRelay();
const { benchAlarm, benchAlarmCore, benchAlarmThroughMain } = await import('./alarm');
await benchAlarm();
await benchAlarmThroughMain();
await benchAlarmCore();
const { benchRunbooks, benchIncidentPage } = await import('./runbooks');
await benchRunbooks();
await benchIncidentPage();
const { benchReports } = await import('./reports');
await benchReports();
const { benchSourcesNotify } = await import('./sources-notify');
await benchSourcesNotify();
const { benchRenderer } = await import('./renderer');
await benchRenderer();
