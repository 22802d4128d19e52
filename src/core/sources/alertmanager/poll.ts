import { z } from 'zod';
import type { PageSignal } from '../../page';
import { reconcileListed, type KnownPage, type Reconciliation } from '../reconcile';
import { mapSeverity } from '../../severity';
import { isDateString, parseTime, shapeError, signalId } from '../parse';
import type { AdapterContext, SourceError } from '../types';

const labelMap = z.record(z.string(), z.string());
const isoDate = z.string().refine(isDateString, { message: 'not an RFC 3339 date' });

/** One alert from `GET /api/v2/alerts` (gettableAlert in Alertmanager's OpenAPI spec). */
export const gettableAlertSchema = z.object({
  labels: labelMap,
  annotations: labelMap.default({}),
  startsAt: isoDate,
  endsAt: isoDate,
  updatedAt: isoDate,
  fingerprint: z.string().min(1),
  generatorURL: z.string().optional(),
  receivers: z.array(z.object({ name: z.string() })).default([]),
  status: z.object({
    state: z.enum(['active', 'suppressed', 'unprocessed']),
    silencedBy: z.array(z.string()).default([]),
    inhibitedBy: z.array(z.string()).default([]),
  }),
});
/** The body of `GET /api/v2/alerts`. */
export const gettableAlertsSchema = z.array(gettableAlertSchema);

/** One silence from `GET /api/v2/silences` or `/api/v2/silence/{id}`. */
export const gettableSilenceSchema = z.object({
  id: z.string(),
  matchers: z.array(z.object({ name: z.string(), value: z.string(), isRegex: z.boolean(), isEqual: z.boolean().default(true) })),
  startsAt: isoDate,
  endsAt: isoDate,
  updatedAt: isoDate.optional(),
  createdBy: z.string(),
  comment: z.string(),
  status: z.object({ state: z.enum(['active', 'pending', 'expired']) }),
});
/** A silence as the API returns it. */
export type GettableSilence = z.infer<typeof gettableSilenceSchema>;

/** Why Alertmanager holds back an alert; shown beside the page instead of "firing". */
export interface AlertSuppression {
  pageId: string;
  fingerprint: string;
  state: 'active' | 'suppressed' | 'unprocessed';
  silencedBy: string[];
  inhibitedBy: string[];
  /** The alert's current end time in Alertmanager (moved forward while it is re-sent); null if unset. */
  endsAt: number | null;
  labels: Record<string, string>;
}

/** A silence explained for the page: who silenced it, until when, and whether it is this app's own acknowledgement. */
export interface SilenceInfo {
  id: string;
  createdBy: string;
  comment: string;
  endsAt: number;
  isAck: boolean;
}

/** The comment prefix marking a silence this app created to acknowledge an alert. */
export const ACK_COMMENT_PREFIX = 'ACK!';

/** A parsed poll: the firing alerts as signals, and the suppression state of each. */
export interface AlertmanagerPoll {
  signals: PageSignal[];
  suppressions: AlertSuppression[];
}

/**
 * A group key for alerts first seen by polling. The API does not return the route's group key, so
 * alerts are grouped by alertname, which is the usual `group_by`.
 */
export function pollGroupKey(sourceId: string, labels: Record<string, string>): string {
  return `${sourceId}:poll:{alertname="${labels['alertname'] ?? ''}"}`;
}

/** Parses `GET /api/v2/alerts`. Alerts whose end is already past `now` count as resolved. */
export function parseAlertmanagerAlerts(body: unknown, ctx: AdapterContext, now: number): { ok: true; poll: AlertmanagerPoll } | { ok: false; error: SourceError } {
  const parsed = gettableAlertsSchema.safeParse(body);
  if (!parsed.success) return { ok: false, error: shapeError(parsed.error, 'Alertmanager GET /api/v2/alerts') };
  const signals: PageSignal[] = [];
  const suppressions: AlertSuppression[] = [];
  for (const a of parsed.data) {
    const endsAt = parseTime(a.endsAt);
    const resolved = endsAt !== null && endsAt <= now;
    const id = signalId(ctx.sourceId, a.fingerprint);
    signals.push({
      id,
      source: 'alertmanager',
      fingerprint: a.fingerprint,
      groupKey: pollGroupKey(ctx.sourceId, a.labels),
      status: resolved ? 'resolved' : 'firing',
      title: a.labels['alertname'] ?? 'Alert',
      severity: mapSeverity(a.labels['severity'], ctx.severityMapping),
      summary: a.annotations['summary'] ?? a.annotations['description'] ?? a.annotations['message'] ?? '',
      instance: a.labels['instance'] ?? '',
      labels: a.labels,
      annotations: a.annotations,
      startsAt: Date.parse(a.startsAt),
      endsAt: resolved ? endsAt : null,
      generatorUrl: a.generatorURL || null,
      runbookUrl: a.annotations['runbook_url'] ?? a.annotations['runbook'] ?? null,
    });
    suppressions.push({ pageId: id, fingerprint: a.fingerprint, state: a.status.state, silencedBy: a.status.silencedBy, inhibitedBy: a.status.inhibitedBy, endsAt, labels: a.labels });
  }
  return { ok: true, poll: { signals, suppressions } };
}

/** Parses `GET /api/v2/silences`. */
export function parseSilences(body: unknown): { ok: true; silences: GettableSilence[] } | { ok: false; error: SourceError } {
  const parsed = z.array(gettableSilenceSchema).safeParse(body);
  return parsed.success ? { ok: true, silences: parsed.data } : { ok: false, error: shapeError(parsed.error, 'Alertmanager GET /api/v2/silences') };
}

/** Explains the silences holding back an alert; unknown ids (already expired and collected) are left out. */
export function describeSilences(suppression: AlertSuppression, silences: readonly GettableSilence[]): SilenceInfo[] {
  const byId = new Map(silences.map((s) => [s.id, s]));
  return suppression.silencedBy.flatMap((id) => {
    const s = byId.get(id);
    if (!s) return [];
    return [{ id, createdBy: s.createdBy, comment: s.comment, endsAt: Date.parse(s.endsAt), isAck: s.comment.startsWith(ACK_COMMENT_PREFIX) }];
  });
}

/**
 * Reconciles the open pages of one Alertmanager source with a poll sent at `polledAt`.
 * A page Alertmanager no longer lists is closed: this is how a silenced alert that resolved gets
 * closed, since Alertmanager never sends that resolve (prometheus/alertmanager#226).
 */
export function reconcileAlertmanager(known: readonly KnownPage[], poll: AlertmanagerPoll, polledAt: number): Reconciliation {
  return reconcileListed(known, poll.signals, polledAt);
}
export type { KnownPage, Reconciliation } from '../reconcile';
