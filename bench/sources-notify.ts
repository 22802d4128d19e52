// Issue 10's bar: webhook → notification p99 for each kind, through the real main services
// (listener, signature check, adapter, pager reducer, notifier), over loopback.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { SOURCE_KINDS, type SourceKind } from '../src/core/sources/kinds';
import { secretFileName } from '../src/main/features/sources-ipc';
import { startMainServices } from '../src/main/services';
import { createFileSecretStore } from '../src/main/services/secret-store';
import { secretIds } from '../src/main/sources/secret-store';
import { hmacSha256Hex } from '../src/main/sources/signatures';
import { fixtureJson, fixtureText } from '../test/helpers/vendor-fake';

const FIXTURE: Record<SourceKind, [string, string]> = {
  alertmanager: ['alertmanager', 'webhook-firing.json'],
  grafana: ['grafana', 'webhook-v1-firing.json'],
  pagerduty: ['pagerduty', 'webhook-incident-triggered.json'],
  opsgenie: ['opsgenie', 'webhook-create.json'],
  goalert: ['goalert', 'alert.json'],
  generic: ['generic', 'webhook-batch.json'],
};
const SIGNED: Partial<Record<SourceKind, string>> = { pagerduty: 'x-pagerduty-signature', grafana: 'x-grafana-alerting-signature' };
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)]!;

/** Makes every dedup key in a fixture unique to run `i`, so each POST is a new page that rings. */
function uniquify(value: unknown, i: number): unknown {
  if (Array.isArray(value)) return value.map((v) => uniquify(v, i));
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (typeof v === 'string' && ['id', 'fingerprint', 'alias', 'alertId', 'incident_key'].includes(k)) out[k] = `${v}-${i}`;
    else if (typeof v === 'number' && k === 'AlertID') out[k] = v * 1000 + i;
    else out[k] = uniquify(v, i);
  }
  return out;
}

/** Prints webhook → notifier p50/p99 per source kind. */
export async function benchSourcesNotify(): Promise<void> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'occ-bench-kinds-'));
  const secret = 'bench-signing-secret-0123456789';
  const sources = SOURCE_KINDS.map((kind) => ({ id: kind === 'alertmanager' ? 'alertmanager' : `${kind}-src`, kind, name: kind, options: kind === 'generic' ? fixtureJson('generic', 'mapping.json') : {} }));
  writeFileSync(path.join(dataDir, 'config.json'), JSON.stringify({ version: 2, listener: { host: '127.0.0.1', port: 0 }, coalesceSeconds: 0, sources }));
  const store = createFileSecretStore(path.join(dataDir, 'secrets'));
  for (const s of sources) if (SIGNED[s.kind]) store.set(secretFileName(secretIds(s.id).signing), secret);
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
    secrets: store,
  });
  const { token, port } = services.settings.view().listener;
  console.log('Webhook → notification through the real main services, loopback, 300 POSTs per kind (goal p99 ≤ 20 ms):');
  for (const s of sources) {
    const base = JSON.parse(fixtureText(...FIXTURE[s.kind])) as unknown;
    const samples: number[] = [];
    let refused = 0;
    for (let i = 0; i < 330; i++) {
      const body = JSON.stringify(uniquify(base, i));
      const headers: Record<string, string> = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
      const sig = SIGNED[s.kind];
      if (sig) headers[sig] = s.kind === 'pagerduty' ? `v1=${hmacSha256Hex(secret, body)}` : hmacSha256Hex(secret, body);
      const rang = new Promise<number>((r) => (notified = () => r(performance.now())));
      const t0 = performance.now();
      const url = s.kind === 'alertmanager' ? `http://127.0.0.1:${port}/hooks/alertmanager` : `http://127.0.0.1:${port}/webhook/${s.id}${s.kind === 'goalert' ? `?token=${token}` : ''}`;
      const res = await fetch(url, { method: 'POST', headers, body });
      await res.arrayBuffer();
      if (res.status >= 300) {
        refused++;
        continue;
      }
      const t1 = await Promise.race([rang, new Promise<number>((r) => setTimeout(() => r(Number.NaN), 1_000))]);
      if (i >= 30 && Number.isFinite(t1)) samples.push(t1 - t0);
    }
    const line = samples.length ? `p50 ${pct(samples, 50).toFixed(2)} ms  p99 ${pct(samples, 99).toFixed(2)} ms  (${samples.length} rang)` : 'no notification';
    console.log(`  ${s.kind.padEnd(12)} ${line}${refused ? `  ${refused} refused` : ''}`);
  }
  await services.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
