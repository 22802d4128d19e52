import { z } from 'zod';
import type { PageSignal } from './page';
import type { GroupInfo } from './pager/live-state';
import { alertmanagerWebhookBodySchema, groupAlertSchema } from './sources/alertmanager/webhook';
import { describeIssues } from './validation';
import { mapSeverity, type SeverityMapping, DEFAULT_SEVERITY_MAPPING } from './severity';

/** Alertmanager writes "0001-01-01T00:00:00Z" for "no end yet". */
const ZERO_TIME = Date.UTC(1, 0, 1);


/** One alert in an Alertmanager v4 webhook: one schema for the /hooks route and the source adapter. */
export const alertmanagerAlertSchema = groupAlertSchema;

/** The Alertmanager webhook body, version "4" (Alertmanager 0.x's only format). */
export const alertmanagerWebhookSchema = alertmanagerWebhookBodySchema;
export type AlertmanagerWebhook = z.infer<typeof alertmanagerWebhookSchema>;

/** A parse failure with a message that names the offending field; `code` says which HTTP answer fits. */
export class PayloadError extends Error {
  constructor(
    message: string,
    readonly code: 'malformedJson' | 'wrongShape' = 'wrongShape',
  ) {
    super(message);
    this.name = 'PayloadError';
  }
}

/** Parses and validates a webhook body's text; throws PayloadError (malformedJson or wrongShape). */
export function parseAlertmanagerText(text: string, mapping: SeverityMapping = DEFAULT_SEVERITY_MAPPING): { signals: PageSignal[]; groups: GroupInfo[] } {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (err) {
    throw new PayloadError(`invalid JSON: ${(err as Error).message}`, 'malformedJson');
  }
  return alertmanagerBatch(body, mapping);
}

function parseTime(value: string | undefined): number | null {
  if (value === undefined) return null;
  const t = Date.parse(value);
  return t <= ZERO_TIME ? null : t;
}

/** Validates a webhook body and returns one signal per alert, or throws PayloadError naming the field. */
export function normalizeAlertmanagerWebhook(body: unknown, mapping: SeverityMapping = DEFAULT_SEVERITY_MAPPING): PageSignal[] {
  return alertmanagerBatch(body, mapping).signals;
}

/** A webhook as signals plus its group's facts (how many alerts Alertmanager left out). */
export function alertmanagerBatch(body: unknown, mapping: SeverityMapping = DEFAULT_SEVERITY_MAPPING): { signals: PageSignal[]; groups: GroupInfo[] } {
  const parsed = alertmanagerWebhookSchema.safeParse(body);
  if (!parsed.success) throw new PayloadError(`not an Alertmanager v4 webhook: ${describeIssues(parsed.error)}`);
  const hook = parsed.data;
  const signals = hook.alerts.map((alert) => {
    const labels = alert.labels;
    const annotations = alert.annotations;
    const startsAt = Date.parse(alert.startsAt);
    return {
      id: `alertmanager:${alert.fingerprint}`,
      source: 'alertmanager',
      fingerprint: alert.fingerprint,
      groupKey: hook.groupKey,
      status: alert.status,
      title: labels['alertname'] ?? hook.groupLabels['alertname'] ?? 'Alert',
      severity: mapSeverity(labels['severity'], mapping),
      summary: annotations['summary'] ?? annotations['description'] ?? annotations['message'] ?? '',
      instance: labels['instance'] ?? '',
      labels,
      annotations,
      startsAt,
      endsAt: alert.status === 'resolved' ? parseTime(alert.endsAt) : null,
      generatorUrl: alert.generatorURL || null,
      runbookUrl: annotations['runbook_url'] ?? annotations['runbook'] ?? null,
    } satisfies PageSignal;
  });
  return { signals, groups: [{ groupKey: hook.groupKey, truncatedAlerts: hook.truncatedAlerts }] };
}
