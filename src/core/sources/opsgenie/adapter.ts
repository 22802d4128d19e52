import { z } from 'zod';
import type { PageSignal } from '../../page';
import { mapSeverity } from '../../severity';
import { isDateString, parseJson, refuse, shapeError, signalId, stringRecord } from '../parse';
import type { AdapterContext, AdapterResult, SourceAdapter, SourceError, WebhookInput } from '../types';

/**
 * Opsgenie's outgoing webhook sends `updatedAt` in nanoseconds (about 1.4e18), beyond
 * Number.MAX_SAFE_INTEGER, so JSON.parse would round it. The digits are quoted before parsing so
 * the value stays exact as a string. Only a key directly preceded by an unescaped quote matches,
 * so text inside string values is left alone.
 */
export function quoteNanoTimes(rawBody: string): string {
  return rawBody.replace(/(^|[^\\])"updatedAt"(\s*):(\s*)(-?\d+)(?=\s*[,}\]])/g, '$1"updatedAt"$2:$3"$4"');
}

const digits = z.string().regex(/^-?\d+$/, { message: 'expected an integer' });

/** The alert inside an outgoing webhook (the subset Opsgenie's "alert action data" lists). */
export const opsgenieWebhookAlertSchema = z.object({
  alertId: z.string().min(1),
  alias: z.string().optional(),
  message: z.string(),
  tinyId: z.string().optional(),
  entity: z.string().optional(),
  source: z.string().optional(),
  description: z.string().optional(),
  priority: z.string().optional(),
  tags: z.array(z.string()).default([]),
  teams: z.array(z.string()).default([]),
  details: z.record(z.string(), z.unknown()).default({}),
  createdAt: z.number().int(),
  /** Nanoseconds, kept exact as text. */
  updatedAt: digits.optional(),
  username: z.string().optional(),
});

/** Opsgenie's outgoing webhook body: the action and the alert it was done to. */
export const opsgenieWebhookSchema = z.object({
  action: z.string().min(1),
  alert: opsgenieWebhookAlertSchema,
  source: z.object({ name: z.string().optional(), type: z.string().optional() }).optional(),
  integrationName: z.string().optional(),
  integrationId: z.string().optional(),
});

/** One alert from `GET /v2/alerts` (Alert API): times are RFC 3339 there. */
export const opsgenieApiAlertSchema = z.object({
  id: z.string().min(1),
  tinyId: z.string().optional(),
  alias: z.string().optional(),
  message: z.string(),
  status: z.enum(['open', 'closed']),
  acknowledged: z.boolean().default(false),
  snoozed: z.boolean().optional(),
  createdAt: z.string().refine(isDateString, { message: 'not an RFC 3339 date' }),
  updatedAt: z.string().optional(),
  source: z.string().optional(),
  entity: z.string().optional(),
  owner: z.string().optional(),
  priority: z.string().optional(),
  tags: z.array(z.string()).default([]),
  count: z.number().int().optional(),
});

/** `GET /v2/alerts`: a page of alerts and the link to the next. */
export const opsgenieAlertListSchema = z.object({
  data: z.array(opsgenieApiAlertSchema),
  paging: z.object({ next: z.string().optional(), first: z.string().optional(), last: z.string().optional() }).optional(),
  took: z.number().optional(),
  requestId: z.string().optional(),
});

/** Options of an Opsgenie source (EU accounts use api.eu.opsgenie.com). */
export const opsgenieOptionsSchema = z
  .object({
    apiBase: z.url().default('https://api.opsgenie.com'),
    user: z.string().min(1).optional(),
    query: z.string().min(1).default('status:open'),
    pollIntervalMs: z.number().int().min(10_000).default(60_000),
  })
  .strict();
/** Options of an Opsgenie source. */
export type OpsgenieOptions = z.infer<typeof opsgenieOptionsSchema>;

/** Actions after which the alert is over. */
const CLOSING_ACTIONS = new Set(['close', 'delete']);
/** Actions that say nothing about whether the alert fires. */
const PASSIVE_ACTIONS = new Set(['addnote', 'addtags', 'removetags', 'addteam', 'addresponder', 'assignownership', 'takeownership', 'updatepriority', 'updatemessage', 'updatedescription', 'updatealias', 'adddetails', 'removedetails', 'customaction', 'snooze', 'acknowledge', 'unacknowledge', 'escalatenext']);

/** Opsgenie dedups on `alias` (it defaults to the message); the id is the fallback. */
function dedupKey(alias: string | undefined, id: string): string {
  return alias && alias.length > 0 ? alias : id;
}

function groupKey(ctx: AdapterContext, entity: string | undefined, source: string | undefined): string {
  return `${ctx.sourceId}:${entity || source || 'opsgenie'}`;
}

/** Parses an outgoing webhook. Create and other live actions give a firing signal; Close and Delete resolve. */
export function parseOpsgenieWebhook(input: WebhookInput, ctx: AdapterContext): AdapterResult {
  const json = parseJson(quoteNanoTimes(input.rawBody));
  if (!json.ok) return refuse(json.error);
  const parsed = opsgenieWebhookSchema.safeParse(json.value);
  if (!parsed.success) return refuse(shapeError(parsed.error, 'Opsgenie outgoing webhook'));
  const { action, alert } = parsed.data;
  const act = action.toLowerCase();
  const closing = CLOSING_ACTIONS.has(act);
  if (!closing && act !== 'create' && PASSIVE_ACTIONS.has(act)) return { ok: true, signals: [], groups: [], ignored: action };
  const key = dedupKey(alert.alias, alert.alertId);
  const labels: Record<string, string> = { ...stringRecord(alert.details), alertId: alert.alertId };
  if (alert.priority) labels['priority'] = alert.priority;
  if (alert.tinyId) labels['tinyId'] = alert.tinyId;
  if (alert.updatedAt) labels['updatedAtNs'] = alert.updatedAt;
  if (alert.tags.length > 0) labels['tags'] = alert.tags.join(',');
  const signal: PageSignal = {
    id: signalId(ctx.sourceId, key),
    source: 'opsgenie',
    fingerprint: key,
    groupKey: groupKey(ctx, alert.entity, alert.source),
    status: closing ? 'resolved' : 'firing',
    title: alert.message,
    severity: mapSeverity(alert.priority, ctx.severityMapping),
    summary: alert.description ?? alert.message,
    instance: alert.entity ?? '',
    labels,
    annotations: alert.description ? { description: alert.description } : {},
    startsAt: alert.createdAt,
    endsAt: closing ? input.receivedAt : null,
    generatorUrl: null,
    runbookUrl: null,
  };
  return { ok: true, signals: [signal], groups: [{ groupKey: signal.groupKey }] };
}

/** Parses one page of `GET /v2/alerts`; `next` is the body's paging link, if any. */
export function parseOpsgenieAlerts(body: unknown, ctx: AdapterContext): { ok: true; signals: PageSignal[]; next: string | null } | { ok: false; error: SourceError } {
  const parsed = opsgenieAlertListSchema.safeParse(body);
  if (!parsed.success) return { ok: false, error: shapeError(parsed.error, 'Opsgenie GET /v2/alerts') };
  const signals = parsed.data.data.map((a): PageSignal => {
    const key = dedupKey(a.alias, a.id);
    const labels: Record<string, string> = { alertId: a.id };
    if (a.priority) labels['priority'] = a.priority;
    if (a.tinyId) labels['tinyId'] = a.tinyId;
    if (a.acknowledged) labels['acknowledged'] = 'true';
    return {
      id: signalId(ctx.sourceId, key),
      source: 'opsgenie',
      fingerprint: key,
      groupKey: groupKey(ctx, a.entity, a.source),
      status: a.status === 'closed' ? 'resolved' : 'firing',
      title: a.message,
      severity: mapSeverity(a.priority, ctx.severityMapping),
      summary: a.message,
      instance: a.entity ?? '',
      labels,
      annotations: {},
      startsAt: Date.parse(a.createdAt),
      endsAt: null,
      generatorUrl: null,
      runbookUrl: null,
    };
  });
  return { ok: true, signals, next: parsed.data.paging?.next ?? null };
}

/** The Opsgenie adapter. Outgoing webhooks are not signed; the listener's token authenticates them. */
export const opsgenieAdapter: SourceAdapter<OpsgenieOptions> = {
  kind: 'opsgenie',
  signature: () => null,
  parseOptions(raw) {
    const parsed = opsgenieOptionsSchema.safeParse(raw ?? {});
    return parsed.success ? { ok: true, options: parsed.data } : { ok: false, error: shapeError(parsed.error, 'Opsgenie options') };
  },
  parseWebhook: (input, ctx) => parseOpsgenieWebhook(input, ctx),
};
