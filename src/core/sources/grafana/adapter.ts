import { z } from 'zod';
import type { PageSignal } from '../../page';
import { mapSeverity } from '../../severity';
import { groupAlertToSignal, groupNotificationSchema } from '../alertmanager/webhook';
import { parseJson, refuse, shapeError, signalId, stringRecord } from '../parse';
import type { AdapterContext, AdapterResult, HmacScheme, SourceAdapter, WebhookInput } from '../types';

/** Grafana Alerting's webhook contact point, `version: "1"`: Alertmanager's group shape plus Grafana's fields. */
export const grafanaV1Schema = groupNotificationSchema.extend({
  version: z.literal('1'),
  orgId: z.number().int().optional(),
  title: z.string().optional(),
  state: z.string().optional(),
  message: z.string().optional(),
});

/** The legacy (dashboard alerting, Grafana ≤ 8) webhook notifier body. */
export const grafanaLegacySchema = z.object({
  title: z.string(),
  ruleId: z.number().int(),
  ruleName: z.string(),
  ruleUrl: z.string().optional(),
  state: z.enum(['alerting', 'ok', 'no_data', 'paused', 'pending']),
  message: z.string().optional(),
  orgId: z.number().int().optional(),
  dashboardId: z.number().int().optional(),
  panelId: z.number().int().optional(),
  imageUrl: z.string().optional(),
  tags: z.record(z.string(), z.unknown()).default({}),
  evalMatches: z.array(z.object({ value: z.number().nullable(), metric: z.string(), tags: z.record(z.string(), z.unknown()).nullable().optional() })).default([]),
});

/** Options of a Grafana source: the HMAC headers its contact point is configured with. */
export const grafanaOptionsSchema = z
  .object({
    signatureHeader: z.string().min(1).default('X-Grafana-Alerting-Signature'),
    timestampHeader: z.string().min(1).optional(),
  })
  .strict();
/** Options of a Grafana source. */
export type GrafanaOptions = z.infer<typeof grafanaOptionsSchema>;

function legacyToSignal(body: z.infer<typeof grafanaLegacySchema>, input: WebhookInput, ctx: AdapterContext): PageSignal {
  const key = `rule-${body.orgId ?? 0}-${body.ruleId}`;
  const labels: Record<string, string> = { alertname: body.ruleName, ...stringRecord(body.tags) };
  const resolved = body.state === 'ok';
  return {
    id: signalId(ctx.sourceId, key),
    source: 'grafana',
    fingerprint: key,
    groupKey: `${ctx.sourceId}:dashboard-${body.dashboardId ?? 0}`,
    status: resolved ? 'resolved' : 'firing',
    title: body.ruleName,
    severity: mapSeverity(labels['severity'], ctx.severityMapping),
    summary: body.message ?? body.title,
    instance: body.evalMatches[0]?.metric ?? '',
    labels,
    annotations: body.message ? { message: body.message } : {},
    // The legacy notifier sends no times: the page starts when it arrived.
    startsAt: input.receivedAt,
    endsAt: resolved ? input.receivedAt : null,
    generatorUrl: body.ruleUrl || null,
    runbookUrl: null,
  };
}

/** Parses a Grafana webhook in either shape; `version: "1"` wins when present. */
export function parseGrafanaWebhook(input: WebhookInput, ctx: AdapterContext): AdapterResult {
  const json = parseJson(input.rawBody);
  if (!json.ok) return refuse(json.error);
  const body = json.value;
  const isObject = body !== null && typeof body === 'object' && !Array.isArray(body);
  if (isObject && 'version' in body) {
    const parsed = grafanaV1Schema.safeParse(body);
    if (!parsed.success) return refuse(shapeError(parsed.error, 'Grafana webhook version 1'));
    const hook = parsed.data;
    const groupKey = `${ctx.sourceId}:${hook.groupKey}`;
    return {
      ok: true,
      signals: hook.alerts.map((a) => groupAlertToSignal(a, groupKey, hook.groupLabels, ctx, 'grafana')),
      groups: [{ groupKey, truncatedAlerts: hook.truncatedAlerts }],
    };
  }
  const legacy = grafanaLegacySchema.safeParse(body);
  if (!legacy.success) return refuse(shapeError(legacy.error, 'Grafana webhook (legacy)'));
  if (legacy.data.state === 'paused' || legacy.data.state === 'pending') return { ok: true, signals: [], groups: [], ignored: `state ${legacy.data.state}` };
  const signal = legacyToSignal(legacy.data, input, ctx);
  return { ok: true, signals: [signal], groups: [{ groupKey: signal.groupKey }] };
}

/** Grafana's optional HMAC: hex SHA-256 of the body, or of `timestamp:body` when a timestamp header is configured. */
export function grafanaScheme(options: GrafanaOptions): HmacScheme {
  const scheme: HmacScheme = { type: 'hmac-sha256', header: options.signatureHeader.toLowerCase(), prefix: '', separator: null, encoding: 'hex' };
  if (options.timestampHeader) {
    scheme.timestampHeader = options.timestampHeader.toLowerCase();
    scheme.timestampJoin = ':';
  }
  return scheme;
}

/** The Grafana adapter. */
export const grafanaAdapter: SourceAdapter<GrafanaOptions> = {
  kind: 'grafana',
  signature: grafanaScheme,
  parseOptions(raw) {
    const parsed = grafanaOptionsSchema.safeParse(raw ?? {});
    return parsed.success ? { ok: true, options: parsed.data } : { ok: false, error: shapeError(parsed.error, 'Grafana options') };
  },
  parseWebhook: (input, ctx) => parseGrafanaWebhook(input, ctx),
};
