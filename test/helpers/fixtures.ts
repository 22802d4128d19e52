import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Delivery } from '../../src/core/ipc-contract';
import type { PageSignal } from '../../src/core/page';

/** Reads a captured Alertmanager body from test/fixtures/alertmanager. */
export function capture(name: string): Record<string, unknown> {
  // vitest runs from the project root; import.meta.url is an http URL under jsdom
  const file = path.resolve(process.cwd(), 'test/fixtures/alertmanager', name);
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
}

/** Labels and annotations the size of kube-prometheus's, so bodies weigh what real groups weigh (~650 bytes an alert). */
const kubeLabels = (i: number) => ({
  container: 'api',
  endpoint: 'http-metrics',
  job: 'kube-state-metrics',
  namespace: 'payments',
  pod: `payments-api-7d9f8b6c5d-${i.toString(36).padStart(5, 'x')}`,
  prometheus: 'monitoring/k8s',
  service: 'kube-state-metrics',
});

/** A firing Alertmanager webhook body with `n` distinct alerts; `kube` makes them as heavy as real ones. */
export function firingWebhook(n: number, opts: { severity?: string; startsAt?: string; prefix?: string; kube?: boolean } = {}) {
  const alerts = Array.from({ length: n }, (_, i) => ({
    status: 'firing',
    labels: { alertname: `${opts.prefix ?? 'Alert'}${i}`, instance: `host-${i}:9100`, severity: opts.severity ?? 'critical', ...(opts.kube ? kubeLabels(i) : {}) },
    annotations: {
      summary: `Something is wrong on host-${i}`,
      ...(opts.kube ? { description: `Pod payments/payments-api-${i} (api) is in waiting state (reason: "CrashLoopBackOff").`, runbook_url: 'https://runbooks.example.dev/runbooks/kubernetes/kubepodcrashlooping' } : {}),
    },
    startsAt: opts.startsAt ?? '2026-11-21T05:27:16.425Z',
    endsAt: '0001-01-01T00:00:00Z',
    generatorURL: 'http://127.0.0.1:9090/graph',
    fingerprint: `${opts.prefix ?? 'fp'}${i.toString(16).padStart(12, '0')}`,
  }));
  return { receiver: 'app', status: 'firing', alerts, groupLabels: {}, commonLabels: {}, commonAnnotations: {}, externalURL: 'http://127.0.0.1:9093', version: '4', groupKey: '{}:{}', truncatedAlerts: 0 };
}

/** A signal with sensible defaults for state-machine tests. */
export function signal(over: Partial<PageSignal> = {}): PageSignal {
  return {
    id: 'alertmanager:abc',
    source: 'alertmanager',
    fingerprint: 'abc',
    groupKey: '{}:{alertname="X"}',
    status: 'firing',
    title: 'X',
    severity: 'P1',
    summary: 'X is broken',
    instance: 'db-1:9100',
    labels: { alertname: 'X', severity: 'critical' },
    annotations: { summary: 'X is broken' },
    startsAt: 1_000,
    endsAt: null,
    generatorUrl: null,
    runbookUrl: null,
    ...over,
  };
}

/** A delivery from main with empty commands, events and groups unless given. */
export function delivery(over: Partial<Delivery> & { id: string }): Delivery {
  return { receivedAt: 1, notifiedAt: null, signals: [], commands: [], events: [], groups: [], newIds: [], ...over };
}
