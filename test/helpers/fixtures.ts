import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { PageSignal } from '../../src/core/page';

/** Reads a captured Alertmanager body from test/fixtures/alertmanager. */
export function capture(name: string): Record<string, unknown> {
  // vitest runs from the project root; import.meta.url is an http URL under jsdom
  const file = path.resolve(process.cwd(), 'test/fixtures/alertmanager', name);
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
}

/** A firing Alertmanager webhook body with `n` distinct alerts. */
export function firingWebhook(n: number, opts: { severity?: string; startsAt?: string; prefix?: string } = {}) {
  const alerts = Array.from({ length: n }, (_, i) => ({
    status: 'firing',
    labels: { alertname: `${opts.prefix ?? 'Alert'}${i}`, instance: `host-${i}:9100`, severity: opts.severity ?? 'critical' },
    annotations: { summary: `Something is wrong on host-${i}` },
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
