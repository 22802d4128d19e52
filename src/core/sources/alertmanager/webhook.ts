import { z } from 'zod';
import type { PageSignal } from '../../page';
import { mapSeverity } from '../../severity';
import { labelMapSchema, rfc3339Schema } from '../../validation';
import { parseJson, parseTime, refuse, shapeError, signalId } from '../parse';
import type { AdapterContext, AdapterResult, SourceAdapter, WebhookInput } from '../types';

// the same strict rules as the /hooks/alertmanager route: a __proto__ label stays a label, and
// only RFC 3339 date-times with a zone are times
const labelMap = labelMapSchema;
const isoDate = rfc3339Schema;

/** One alert as Alertmanager (and Grafana's Alertmanager-shaped webhook) sends it. */
export const groupAlertSchema = z.object({
  status: z.enum(['firing', 'resolved']),
  labels: labelMap,
  annotations: labelMap.default({}),
  startsAt: isoDate,
  endsAt: isoDate.optional(),
  generatorURL: z.string().optional(),
  fingerprint: z.string().min(1),
});
/** One alert of a group notification. */
export type GroupAlert = z.infer<typeof groupAlertSchema>;

/** The fields Alertmanager's webhook v4 and Grafana's `version: "1"` webhook share. */
export const groupNotificationSchema = z.object({
  groupKey: z.string(),
  truncatedAlerts: z.number().int().nonnegative().default(0),
  status: z.enum(['firing', 'resolved']),
  receiver: z.string(),
  groupLabels: labelMap.default({}),
  commonLabels: labelMap.default({}),
  commonAnnotations: labelMap.default({}),
  externalURL: z.string().default(''),
  alerts: z.array(groupAlertSchema),
});

/** The Alertmanager webhook body, version "4". */
export const alertmanagerWebhookBodySchema = groupNotificationSchema.extend({ version: z.literal('4') });

/** Options of an Alertmanager source: where its API is, for polling and silences. */
export const alertmanagerOptionsSchema = z
  .object({
    baseUrl: z.url().optional(),
    pollIntervalMs: z.number().int().min(5_000).default(30_000),
  })
  .strict();
/** Options of an Alertmanager source. */
export type AlertmanagerOptions = z.infer<typeof alertmanagerOptionsSchema>;

/** Turns one alert of an Alertmanager-shaped group into a signal. */
export function groupAlertToSignal(alert: GroupAlert, groupKey: string, groupLabels: Record<string, string>, ctx: AdapterContext, kind: PageSignal['source']): PageSignal {
  const { labels, annotations } = alert;
  return {
    id: signalId(ctx.sourceId, alert.fingerprint),
    source: kind,
    fingerprint: alert.fingerprint,
    groupKey,
    status: alert.status,
    title: labels['alertname'] ?? groupLabels['alertname'] ?? 'Alert',
    severity: mapSeverity(labels['severity'], ctx.severityMapping),
    summary: annotations['summary'] ?? annotations['description'] ?? annotations['message'] ?? '',
    instance: labels['instance'] ?? '',
    labels,
    annotations,
    startsAt: Date.parse(alert.startsAt),
    endsAt: alert.status === 'resolved' ? parseTime(alert.endsAt) : null,
    generatorUrl: alert.generatorURL || null,
    runbookUrl: annotations['runbook_url'] ?? annotations['runbook'] ?? null,
  };
}

/** Parses an Alertmanager v4 webhook body (already size-checked and signature-checked by main). */
export function parseAlertmanagerWebhook(input: WebhookInput, ctx: AdapterContext): AdapterResult {
  const json = parseJson(input.rawBody);
  if (!json.ok) return refuse(json.error);
  const parsed = alertmanagerWebhookBodySchema.safeParse(json.value);
  if (!parsed.success) return refuse(shapeError(parsed.error, 'Alertmanager webhook v4'));
  const hook = parsed.data;
  return {
    ok: true,
    signals: hook.alerts.map((a) => groupAlertToSignal(a, hook.groupKey, hook.groupLabels, ctx, 'alertmanager')),
    groups: [{ groupKey: hook.groupKey, truncatedAlerts: hook.truncatedAlerts }],
  };
}

/** The Alertmanager adapter: webhook v4 with a bearer token (checked by the listener), no HMAC. */
export const alertmanagerAdapter: SourceAdapter<AlertmanagerOptions> = {
  kind: 'alertmanager',
  signature: () => null,
  parseOptions(raw) {
    const parsed = alertmanagerOptionsSchema.safeParse(raw ?? {});
    return parsed.success ? { ok: true, options: parsed.data } : { ok: false, error: shapeError(parsed.error, 'Alertmanager options') };
  },
  parseWebhook: (input, ctx) => parseAlertmanagerWebhook(input, ctx),
};
