import type { Page, PageEvent } from '../page';
import type { RunEvent } from '../runbooks/run';
import type { Incident } from './model';

/** Where a timeline line came from. */
export type TimelineSource = 'incident' | 'page' | 'runbook';

/** One line of the merged incident timeline; `kind` picks the catalog text `incidents.timeline.<kind>`. */
export interface TimelineItem {
  key: string;
  at: number;
  by: string;
  source: TimelineSource;
  kind: string;
  text: string | null;
  params: Record<string, string | number | null>;
}

/** Inputs to merge: page events and run events come from their own stores. */
export interface TimelineInputs {
  pages?: readonly Pick<Page, 'id' | 'title' | 'source'>[];
  pageEvents?: readonly PageEvent[];
  runEvents?: readonly RunEvent[];
  /** Who acknowledges pages on this laptop, for page acknowledgements. */
  me?: string;
}

const PAGE_KIND: Record<PageEvent['kind'], string> = {
  received: 'pageReceived',
  notified: 'pageNotified',
  acknowledged: 'pageAcknowledged',
  resolved: 'pageResolved',
  reopened: 'pageReopened',
  updated: 'pageUpdated',
  writeBack: 'pageWriteBack',
  escalated: 'pageEscalated',
  snoozed: 'pageSnoozed',
  unacknowledged: 'pageUnacknowledged',
};

/**
 * One timeline for the incident: its own entries, the events of its pages and the steps of its
 * runs, oldest first. Equal timestamps keep a fixed order (page, then incident, then runbook),
 * so a page received and an incident created in the same millisecond read naturally.
 */
export function buildTimeline(incident: Incident, inputs: TimelineInputs = {}): TimelineItem[] {
  const items: Array<TimelineItem & { order: number }> = [];
  const pageIds = new Set(incident.pageIds);
  const pages = new Map((inputs.pages ?? []).map((p) => [p.id, p]));
  let n = 0;
  for (const e of inputs.pageEvents ?? []) {
    if (!pageIds.has(e.pageId)) continue;
    const page = pages.get(e.pageId);
    const by = e.kind === 'acknowledged' || e.kind === 'unacknowledged' ? (inputs.me ?? '') : (page?.source ?? '');
    items.push({ key: `p:${e.pageId}:${e.kind}:${e.at}:${n}`, at: e.at, by, source: 'page', kind: PAGE_KIND[e.kind], text: page?.title ?? e.pageId, params: { pageId: e.pageId, detail: e.detail ?? null }, order: n++ });
  }
  for (const e of incident.entries) items.push({ key: e.id, at: e.at, by: e.by, source: 'incident', kind: e.kind, text: e.text, params: e.params, order: n++ });
  const runIds = new Set(incident.runIds);
  for (const e of inputs.runEvents ?? []) {
    if (!runIds.has(e.runId)) continue;
    items.push({ key: `r:${e.runId}:${n}`, at: e.at, by: e.by, source: 'runbook', kind: e.kind, text: e.stepText, params: { runId: e.runId, stepId: e.stepId, note: e.text }, order: n++ });
  }
  const rank: Record<TimelineSource, number> = { page: 0, incident: 1, runbook: 2 };
  items.sort((a, b) => a.at - b.at || rank[a.source] - rank[b.source] || a.order - b.order);
  return items.map(({ order: _order, ...rest }) => rest);
}

/** The moments and durations the postmortem and the incident page show. Null: not reached yet. */
export interface IncidentMetrics {
  outageBeganAt: number;
  detectedAt: number;
  acknowledgedAt: number | null;
  mitigatedAt: number | null;
  resolvedAt: number | null;
  timeToDetect: number;
  timeToAcknowledge: number | null;
  timeToMitigate: number | null;
  timeToResolve: number | null;
}

function earliest(...values: Array<number | null | undefined>): number | null {
  const v = values.filter((x): x is number => typeof x === 'number');
  return v.length === 0 ? null : Math.min(...v);
}

/**
 * Metrics from the timeline: detect and acknowledge from the first page receipt and the first
 * acknowledgement (of the incident or any of its pages); mitigate and resolve from the status
 * changes. Detect, mitigate and resolve count from the outage start; acknowledge from detection.
 */
export function computeMetrics(incident: Incident, timeline: readonly TimelineItem[]): IncidentMetrics {
  const firstOf = (kind: string) => timeline.find((i) => i.kind === kind)?.at;
  const detectedAt = earliest(firstOf('pageReceived'), incident.detectedAt)!;
  const outageBeganAt = Math.min(incident.outageBeganAt ?? detectedAt, detectedAt);
  const acknowledgedAt = earliest(incident.acknowledgedAt, firstOf('pageAcknowledged'));
  const mitigatedAt = incident.mitigatedAt;
  const resolvedAt = incident.status === 'resolved' ? incident.resolvedAt : null;
  return {
    outageBeganAt,
    detectedAt,
    acknowledgedAt,
    mitigatedAt,
    resolvedAt,
    timeToDetect: detectedAt - outageBeganAt,
    timeToAcknowledge: acknowledgedAt === null ? null : Math.max(0, acknowledgedAt - detectedAt),
    timeToMitigate: mitigatedAt === null ? null : mitigatedAt - outageBeganAt,
    timeToResolve: resolvedAt === null ? null : resolvedAt - outageBeganAt,
  };
}

/** The postmortem's OUTAGE BEGINS, MITIGATED and ENDS markers. */
export interface TimelineMarker {
  at: number;
  marker: 'outageBegins' | 'mitigated' | 'ends';
}

/** Markers for the moments that were reached, oldest first. */
export function timelineMarkers(m: IncidentMetrics): TimelineMarker[] {
  const out: TimelineMarker[] = [{ at: m.outageBeganAt, marker: 'outageBegins' }];
  if (m.mitigatedAt !== null) out.push({ at: m.mitigatedAt, marker: 'mitigated' });
  if (m.resolvedAt !== null) out.push({ at: m.resolvedAt, marker: 'ends' });
  return out;
}

/** "1 h 05 min"-style compact duration parts, for catalogs that format them. */
export function durationParts(ms: number): { days: number; hours: number; minutes: number; seconds: number } {
  const s = Math.max(0, Math.round(ms / 1000));
  return { days: Math.floor(s / 86_400), hours: Math.floor((s % 86_400) / 3600), minutes: Math.floor((s % 3600) / 60), seconds: s % 60 };
}

/** A short language-neutral duration: "45s", "12m", "1h 05m", "2d 3h". */
export function formatDuration(ms: number): string {
  const { days, hours, minutes, seconds } = durationParts(ms);
  if (days > 0) return `${days}d ${hours}h`;
  if (hours > 0) return `${hours}h ${String(minutes).padStart(2, '0')}m`;
  if (minutes > 0) return `${minutes}m`;
  return `${seconds}s`;
}
