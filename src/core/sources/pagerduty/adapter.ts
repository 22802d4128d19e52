import { z } from 'zod';
import type { PageSignal } from '../../page';
import { mapSeverity } from '../../severity';
import { isDateString, parseJson, refuse, shapeError, signalId } from '../parse';
import type { AdapterContext, AdapterResult, HmacScheme, SourceAdapter, SourceError, WebhookInput } from '../types';

const isoDate = z.string().refine(isDateString, { message: 'not an RFC 3339 date' });
const reference = z.object({ id: z.string(), summary: z.string().optional(), html_url: z.string().nullable().optional() });

/** An incident as both the REST API v2 and a v3 webhook's `event.data` describe it (the fields we use). */
export const pagerDutyIncidentSchema = z.object({
  id: z.string().min(1),
  type: z.literal('incident'),
  title: z.string(),
  status: z.enum(['triggered', 'acknowledged', 'resolved']),
  incident_key: z.string().nullable().optional(),
  created_at: isoDate,
  html_url: z.string().nullable().optional(),
  number: z.number().int().optional(),
  incident_number: z.number().int().optional(),
  urgency: z.enum(['high', 'low']).optional(),
  priority: z.object({ summary: z.string() }).nullable().optional(),
  service: reference,
  summary: z.string().optional(),
});
/** One PagerDuty incident. */
export type PagerDutyIncident = z.infer<typeof pagerDutyIncidentSchema>;

/** A v3 webhook: one event per delivery, the resource in `event.data`. */
export const pagerDutyWebhookSchema = z.object({
  event: z.object({
    id: z.string(),
    event_type: z.string().min(1),
    resource_type: z.string(),
    occurred_at: isoDate,
    data: z.record(z.string(), z.unknown()),
  }),
});

/** `GET /incidents` (REST API v2): classic offset paging. */
export const pagerDutyIncidentListSchema = z.object({
  incidents: z.array(pagerDutyIncidentSchema),
  limit: z.number().int().optional(),
  offset: z.number().int().optional(),
  more: z.boolean(),
  total: z.number().int().nullable().optional(),
});

/** Options of a PagerDuty source. `from` is the login e-mail PagerDuty requires on writes. */
export const pagerDutyOptionsSchema = z
  .object({
    apiBase: z.url().default('https://api.pagerduty.com'),
    from: z.email().optional(),
    /** Limit polling to these services or teams; empty polls every open incident the key can see. */
    serviceIds: z.array(z.string().min(1)).default([]),
    teamIds: z.array(z.string().min(1)).default([]),
    pollIntervalMs: z.number().int().min(10_000).default(60_000),
  })
  .strict();
/** Options of a PagerDuty source. */
export type PagerDutyOptions = z.infer<typeof pagerDutyOptionsSchema>;

/** PagerDuty priorities are "P1".."P5"; without one, high urgency counts as critical. */
function severityLabel(incident: PagerDutyIncident): string {
  return incident.priority?.summary ?? (incident.urgency === 'low' ? 'warning' : 'critical');
}

/** Turns an incident into a signal keyed by the incident id and grouped by service. */
export function incidentToSignal(incident: PagerDutyIncident, ctx: AdapterContext): PageSignal {
  const sev = severityLabel(incident);
  const labels: Record<string, string> = { service: incident.service.summary ?? incident.service.id, severity: sev, status: incident.status };
  if (incident.incident_key) labels['incident_key'] = incident.incident_key;
  if (incident.urgency) labels['urgency'] = incident.urgency;
  const number = incident.number ?? incident.incident_number;
  if (number !== undefined) labels['number'] = String(number);
  const resolved = incident.status === 'resolved';
  return {
    id: signalId(ctx.sourceId, incident.id),
    source: 'pagerduty',
    fingerprint: incident.id,
    groupKey: `${ctx.sourceId}:service:${incident.service.id}`,
    status: resolved ? 'resolved' : 'firing',
    title: incident.title,
    severity: mapSeverity(sev, ctx.severityMapping),
    summary: incident.summary ?? incident.title,
    instance: incident.service.summary ?? '',
    labels,
    annotations: {},
    startsAt: Date.parse(incident.created_at),
    endsAt: null,
    generatorUrl: incident.html_url ?? null,
    runbookUrl: null,
  };
}

/** Parses a v3 webhook. Events about other resources (pings, services, notes) are accepted and ignored. */
export function parsePagerDutyWebhook(input: WebhookInput, ctx: AdapterContext): AdapterResult {
  const json = parseJson(input.rawBody);
  if (!json.ok) return refuse(json.error);
  const parsed = pagerDutyWebhookSchema.safeParse(json.value);
  if (!parsed.success) return refuse(shapeError(parsed.error, 'PagerDuty v3 webhook'));
  const event = parsed.data.event;
  if (event.resource_type !== 'incident' || !event.event_type.startsWith('incident.') || event.data['type'] !== 'incident') {
    return { ok: true, signals: [], groups: [], ignored: event.event_type };
  }
  const incident = pagerDutyIncidentSchema.safeParse(event.data);
  if (!incident.success) {
    const error = shapeError(incident.error, 'PagerDuty v3 webhook');
    return refuse({ ...error, params: { ...error.params, field: `event.data.${String(error.params['field'])}` } });
  }
  const signal = incidentToSignal(incident.data, ctx);
  if (signal.status === 'resolved') signal.endsAt = Date.parse(event.occurred_at);
  return { ok: true, signals: [signal], groups: [{ groupKey: signal.groupKey }] };
}

/** Parses one page of `GET /incidents`. */
export function parsePagerDutyIncidents(body: unknown, ctx: AdapterContext): { ok: true; signals: PageSignal[]; more: boolean } | { ok: false; error: SourceError } {
  const parsed = pagerDutyIncidentListSchema.safeParse(body);
  if (!parsed.success) return { ok: false, error: shapeError(parsed.error, 'PagerDuty GET /incidents') };
  return { ok: true, signals: parsed.data.incidents.map((i) => incidentToSignal(i, ctx)), more: parsed.data.more };
}

/** PagerDuty's v3 signature: `X-PagerDuty-Signature: v1=<hex>[,v1=<hex>…]`, HMAC-SHA256 of the raw body. */
export const PAGERDUTY_SCHEME: HmacScheme = { type: 'hmac-sha256', header: 'x-pagerduty-signature', prefix: 'v1=', separator: ',', encoding: 'hex' };

/** The PagerDuty adapter. */
export const pagerDutyAdapter: SourceAdapter<PagerDutyOptions> = {
  kind: 'pagerduty',
  signature: () => PAGERDUTY_SCHEME,
  parseOptions(raw) {
    const parsed = pagerDutyOptionsSchema.safeParse(raw ?? {});
    return parsed.success ? { ok: true, options: parsed.data } : { ok: false, error: shapeError(parsed.error, 'PagerDuty options') };
  },
  parseWebhook: (input, ctx) => parsePagerDutyWebhook(input, ctx),
};
