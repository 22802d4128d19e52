// Figures for the alert-sources issue: printed, never asserted.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { DEFAULT_SEVERITY_MAPPING } from '../src/core/severity';
import { reconcileAlertmanager, type KnownPage } from '../src/core/sources/alertmanager/poll';
import { SOURCE_KINDS, type SourceKind } from '../src/core/sources/kinds';
import { SOURCE_ADAPTERS } from '../src/core/sources/registry';
import { createAlertmanagerClient } from '../src/main/sources/alertmanager-client';
import { systemTimers } from '../src/main/sources/http';
import { answerWebhook } from '../src/main/sources/receive';
import { hmacSha256Hex } from '../src/main/sources/signatures';
import { fixtureJson, fixtureText, startVendorFake } from '../test/helpers/vendor-fake';

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};
const ms = (v: number) => `${v.toFixed(2)} ms`;
const us = (v: number) => `${(v * 1000).toFixed(1)} µs`;

const FIXTURE: Record<SourceKind, [string, string]> = {
  alertmanager: ['alertmanager', 'webhook-firing.json'],
  grafana: ['grafana', 'webhook-v1-firing.json'],
  pagerduty: ['pagerduty', 'webhook-incident-triggered.json'],
  opsgenie: ['opsgenie', 'webhook-create.json'],
  goalert: ['goalert', 'alert.json'],
  generic: ['generic', 'webhook-batch.json'],
};
const optionsFor = (kind: SourceKind): unknown => (kind === 'generic' ? fixtureJson('generic', 'mapping.json') : {});

/** 1,000 open alerts in Alertmanager's GET /api/v2/alerts shape. */
function openAlerts(n: number, now: number) {
  return Array.from({ length: n }, (_, i) => ({
    annotations: { summary: `Disk on db-${i} is 97% full`, runbook_url: 'https://runbooks.example.com/disk-full' },
    endsAt: new Date(now + 5 * 60_000).toISOString(),
    fingerprint: i.toString(16).padStart(16, '0'),
    receivers: [{ name: 'app' }],
    startsAt: new Date(now - 60_000).toISOString(),
    status: { inhibitedBy: [], silencedBy: i % 10 === 0 ? ['0b3f5c1e-0000-4000-8000-000000000000'] : [], state: i % 10 === 0 ? 'suppressed' : 'active' },
    updatedAt: new Date(now - 60_000).toISOString(),
    generatorURL: 'http://127.0.0.1:9090/graph',
    labels: { alertname: `Alert${i % 50}`, instance: `db-${i}:9100`, severity: i % 3 === 0 ? 'critical' : 'warning' },
  }));
}

async function benchPollReconcile(n: number): Promise<void> {
  const now = Date.now();
  const ctx = { sourceId: 'am', severityMapping: DEFAULT_SEVERITY_MAPPING };
  const body = JSON.stringify(openAlerts(n, now));
  const fake = await startVendorFake();
  fake.route('GET', '/api/v2/alerts', () => ({ status: 200, body }));
  const client = createAlertmanagerClient({ baseUrl: fake.base, fetch, clock: { now: () => Date.now() }, timers: systemTimers, ctx });
  // the app knows all of them plus 10 that have since gone: those must close
  const known: KnownPage[] = [...openAlerts(n, now), ...openAlerts(n + 10, now).slice(n)].map((a) => ({
    id: `am:${a.fingerprint}`,
    source: 'alertmanager',
    fingerprint: a.fingerprint,
    groupKey: `{}:{alertname="${a.labels.alertname}"}`,
    title: a.labels.alertname,
    severity: 'P1',
    summary: '',
    instance: a.labels.instance,
    labels: a.labels,
    annotations: a.annotations,
    startsAt: now - 60_000,
    generatorUrl: null,
    runbookUrl: null,
    receivedAt: now - 50_000,
  }));
  const totals: number[] = [];
  const reconciles: number[] = [];
  let closed = 0;
  for (let i = 0; i < 35; i++) {
    const t0 = performance.now();
    const polled = await client.pollAlerts();
    if (!polled.ok) throw new Error(JSON.stringify(polled.failure));
    const t1 = performance.now();
    const r = reconcileAlertmanager(known, polled.poll, polled.polledAt);
    const t2 = performance.now();
    closed = r.closed.length;
    if (i < 5) continue; // warm-up: JIT and the first connection
    totals.push(t2 - t0);
    reconciles.push(t2 - t1);
  }
  await fake.stop();
  console.log(`Alertmanager poll of ${n} open alerts (${(body.length / 1024).toFixed(0)} KiB) → reconciled state, loopback HTTP, 30 runs after 5 warm-up:`);
  console.log(`  GET+parse+reconcile p50 ${ms(pct(totals, 50))}  p99 ${ms(pct(totals, 99))}   reconcile alone p50 ${ms(pct(reconciles, 50))}   pages closed per run ${closed}`);
}

function benchParse(): void {
  console.log('Adapter parse time per webhook (documented fixture, pure call, 2,000 runs after warm-up):');
  for (const kind of SOURCE_KINDS) {
    const adapter = SOURCE_ADAPTERS[kind];
    const opts = adapter.parseOptions(optionsFor(kind) as never);
    if (!opts.ok) throw new Error(kind);
    const raw = fixtureText(...FIXTURE[kind]);
    const ctx = { sourceId: kind, severityMapping: DEFAULT_SEVERITY_MAPPING };
    const run = () => adapter.parseWebhook!({ rawBody: raw, headers: {}, receivedAt: Date.now() }, ctx, opts.options);
    for (let i = 0; i < 200; i++) run();
    const samples: number[] = [];
    for (let i = 0; i < 2_000; i++) {
      const t0 = performance.now();
      run();
      samples.push(performance.now() - t0);
    }
    console.log(`  ${kind.padEnd(12)} p50 ${us(pct(samples, 50))}  p99 ${us(pct(samples, 99))}`);
  }
}

/** Webhook POST → adapter result ready, per kind, over loopback, with signature checks where the kind signs. */
async function benchWebhookLatency(): Promise<void> {
  const secret = 'bench-secret';
  let answered: () => void = () => undefined;
  let current: SourceKind = 'alertmanager';
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const adapter = SOURCE_ADAPTERS[current];
      const opts = adapter.parseOptions(optionsFor(current) as never);
      if (!opts.ok) throw new Error(current);
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
      const signed = adapter.signature(opts.options) !== null;
      const a = answerWebhook({ adapter, options: opts.options, ctx: { sourceId: current, severityMapping: DEFAULT_SEVERITY_MAPPING }, secret: signed ? secret : null }, { rawBody: Buffer.concat(chunks).toString('utf8'), headers, receivedAt: Date.now() }, 32 * 1024 * 1024);
      if (!a.result.ok || a.result.signals.length === 0) throw new Error(`${current}: ${JSON.stringify(a.result)}`);
      answered();
      res.writeHead(a.status).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  console.log('Webhook POST → signals ready in main, loopback HTTP, 300 requests per kind (goal p99 ≤ 20 ms to notification):');
  for (const kind of SOURCE_KINDS) {
    current = kind;
    const raw = fixtureText(...FIXTURE[kind]);
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (kind === 'pagerduty') headers['x-pagerduty-signature'] = `v1=${hmacSha256Hex(secret, raw)}`;
    if (kind === 'grafana') headers['x-grafana-alerting-signature'] = hmacSha256Hex(secret, raw);
    const samples: number[] = [];
    for (let i = 0; i < 330; i++) {
      const ready = new Promise<number>((r) => (answered = () => r(performance.now())));
      const t0 = performance.now();
      const res = await fetch(url, { method: 'POST', headers, body: raw });
      const t1 = await ready;
      await res.arrayBuffer();
      if (i >= 30) samples.push(t1 - t0);
    }
    console.log(`  ${kind.padEnd(12)} p50 ${ms(pct(samples, 50))}  p99 ${ms(pct(samples, 99))}`);
  }
  await new Promise<void>((r) => server.close(() => r()));
}

/** Prints the sources figures: poll → reconciled state, parse time per kind, webhook latency per kind. */
export async function benchSources(): Promise<void> {
  await benchPollReconcile(1_000);
  benchParse();
  await benchWebhookLatency();
}
