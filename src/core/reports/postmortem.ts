import { z } from 'zod';
import { buildTimeline, computeMetrics, timelineMarkers, type TimelineInputs, type TimelineItem } from '../incidents/timeline';
import type { Incident } from '../incidents/model';
import type { ChecklistRun } from '../runbooks/run';
import { SEVERITIES } from '../severity';
import { ReportError, type Translate } from './errors';
import { reportDate } from './format';

/** Review states of a postmortem. */
export const POSTMORTEM_STATUSES = ['draft', 'inReview', 'reviewed', 'closed'] as const;
/** Action item types: stop it now, stop it coming back, or change how we work. */
export const ACTION_TYPES = ['mitigate', 'prevent', 'process'] as const;
/** Marker lines in the postmortem timeline. */
export const MARKERS = ['outageBegins', 'mitigated', 'ends'] as const;

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');
const millis = z.number().int();

/** One action item with its owner, as the handbook asks. */
export const actionItemSchema = z.object({
  item: z.string().min(1),
  type: z.enum(ACTION_TYPES),
  owner: z.string(),
  due: date.nullable(),
  ticket: z.string().nullable(),
});

/** One line of the postmortem timeline; a marker line has `marker` set. */
export const postmortemTimelineSchema = z.object({
  at: millis,
  by: z.string(),
  text: z.string(),
  marker: z.enum(MARKERS).nullable(),
});

/** A runbook step that was run during the incident. */
export const runStepRecordSchema = z.object({
  at: millis,
  by: z.string(),
  runbook: z.string(),
  step: z.string(),
  result: z.enum(['done', 'skipped']),
  note: z.string().nullable(),
});

/** The postmortem, fields as in the reports issue. Times are epoch ms, whole seconds. */
export const postmortemSchema = z
  .object({
    schemaVersion: z.literal(1),
    id: z.string().min(1),
    incidentId: z.string().nullable(),
    title: z.string().min(1),
    date,
    authors: z.array(z.string()),
    owner: z.string(),
    severity: z.enum(SEVERITIES),
    status: z.enum(POSTMORTEM_STATUSES),
    timeZone: z.string().min(1),
    reviewDueBy: date,
    summary: z.string(),
    impact: z.string(),
    detection: z.string(),
    response: z.string(),
    recovery: z.string(),
    trigger: z.string(),
    rootCause: z.string(),
    contributingFactors: z.string(),
    resolution: z.string(),
    actionItems: z.array(actionItemSchema),
    lessons: z.object({ wentWell: z.string(), wentWrong: z.string(), gotLucky: z.string() }),
    timeline: z.array(postmortemTimelineSchema),
    metrics: z.object({
      timeToDetect: millis.nullable(),
      timeToAcknowledge: millis.nullable(),
      timeToMitigate: millis.nullable(),
      timeToResolve: millis.nullable(),
    }),
    runbookSteps: z.array(runStepRecordSchema),
    createdAt: millis,
    updatedAt: millis,
  })
  .strict();

/** A postmortem: plain data, stored as one record and autosaved as a draft. */
export type Postmortem = z.infer<typeof postmortemSchema>;
/** One action item. */
export type ActionItem = z.infer<typeof actionItemSchema>;

/** The JSON Schema of the JSON export (draft 2020-12), generated from the zod schema. */
export function postmortemJsonSchema(): Record<string, unknown> {
  return { $id: 'https://on-call-companion.invalid/schemas/postmortem-v1.json', title: 'Postmortem', ...z.toJSONSchema(postmortemSchema) } as Record<string, unknown>;
}

const sec = (ms: number) => Math.floor(ms / 1000) * 1000;
const secOrNull = (ms: number | null) => (ms === null ? null : Math.round(ms / 1000) * 1000);

/** Timeline text in the report's language, from the same catalog keys the incident page uses. */
export function timelineText(item: TimelineItem, t: Translate): string {
  const p = item.params;
  // One catalog lookup per line, more only where a line names a role or a status: a 2,000-line
  // timeline renders in the incident page and in every postmortem export.
  const params: Record<string, unknown> = { ...p, text: item.text ?? '', note: p.note ?? '' };
  if (item.kind === 'statusChanged') {
    params.from = t(`incidents.status.${String(p.from)}`);
    params.to = t(`incidents.status.${String(p.to)}`);
  } else if (item.kind === 'roleAssigned') {
    params.role = t(`incidents.roles.${String(p.role)}`);
    params.person = p.person ?? t('incidents.roles.unassigned');
  }
  return t(`incidents.timeline.${item.kind}`, params);
}

/** What a postmortem is prefilled from. */
export interface PrefillInput {
  id: string;
  incident: Incident;
  timeline: readonly TimelineItem[];
  runs: readonly ChecklistRun[];
  authors: string[];
  timeZone: string;
  t: Translate;
}

/**
 * A blameless draft from the incident: metrics, the timeline with OUTAGE BEGINS / MITIGATED /
 * ENDS markers, the runbook steps run, and the status updates as a start for the prose.
 */
export function prefillPostmortem(input: PrefillInput, now: number): Postmortem {
  const { incident, t } = input;
  const metrics = computeMetrics(incident, input.timeline);
  const lines = input.timeline.map((i) => ({ at: sec(i.at), by: i.by, text: timelineText(i, t), marker: null }));
  const markers = timelineMarkers(metrics).map((m) => ({ at: sec(m.at), by: '', text: t(`incidents.markers.${m.marker}`), marker: m.marker }));
  const timeline = [...markers, ...lines].sort((a, b) => a.at - b.at || (a.marker === null ? 1 : 0) - (b.marker === null ? 1 : 0));
  const runbookSteps = input.runs
    .filter((r) => r.incidentId === incident.id || incident.runIds.includes(r.id))
    .flatMap((r) =>
      r.events
        .filter((e) => e.kind === 'stepDone' || e.kind === 'stepSkipped')
        .map((e) => ({ at: sec(e.at), by: e.by, runbook: r.runbookTitle, step: e.stepText ?? '', result: e.kind === 'stepDone' ? ('done' as const) : ('skipped' as const), note: e.text })),
    )
    .sort((a, b) => a.at - b.at);
  const updates = input.timeline.filter((i) => (i.kind === 'statusUpdate' || i.kind === 'statusChanged') && i.text).map((i) => `- ${i.text}`);
  const weekLater = now + 7 * 86_400_000;
  return {
    schemaVersion: 1,
    id: input.id,
    incidentId: incident.id,
    title: incident.title,
    date: reportDate(incident.createdAt, input.timeZone),
    authors: input.authors,
    owner: incident.roles.commander ?? input.authors[0] ?? '',
    severity: incident.severity,
    status: 'draft',
    timeZone: input.timeZone,
    reviewDueBy: reportDate(weekLater, input.timeZone),
    summary: '',
    impact: '',
    detection: '',
    response: updates.join('\n'),
    recovery: '',
    trigger: '',
    rootCause: '',
    contributingFactors: '',
    resolution: '',
    actionItems: [],
    lessons: { wentWell: '', wentWrong: '', gotLucky: '' },
    timeline,
    metrics: {
      timeToDetect: secOrNull(metrics.timeToDetect),
      timeToAcknowledge: secOrNull(metrics.timeToAcknowledge),
      timeToMitigate: secOrNull(metrics.timeToMitigate),
      timeToResolve: secOrNull(metrics.timeToResolve),
    },
    runbookSteps,
    createdAt: now,
    updatedAt: now,
  };
}

/** Builds the merged timeline and prefills in one call, for main or the renderer. */
export function prefillFromStores(input: Omit<PrefillInput, 'timeline'> & { sources: TimelineInputs }, now: number): Postmortem {
  return prefillPostmortem({ ...input, timeline: buildTimeline(input.incident, { ...input.sources, runEvents: input.sources.runEvents ?? input.runs.flatMap((r) => r.events) }) }, now);
}

/** The JSON export: pretty, stable key order (the schema's). */
export function postmortemToJson(pm: Postmortem): string {
  return `${JSON.stringify(postmortemSchema.parse(pm), null, 2)}\n`;
}

/** Re-imports a postmortem from its JSON export; anything malformed is refused as a whole. */
export function postmortemFromJson(text: string): Postmortem {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new ReportError('jsonInvalid', { reason: (err as Error).message });
  }
  const parsed = postmortemSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ReportError('schemaMismatch', { field: issue.path.join('.') || '(root)', reason: issue.message });
  }
  return parsed.data;
}

/** The fields the engineer edits in the app (everything but ids, derived data and timestamps). */
export type PostmortemEdit = Partial<Omit<Postmortem, 'schemaVersion' | 'id' | 'incidentId' | 'timeline' | 'metrics' | 'runbookSteps' | 'createdAt' | 'updatedAt'>>;

/**
 * Applies an edit and stamps `updatedAt`. Invalid edits (an empty title, a malformed date) are
 * refused with the field named, and the draft stays as it was.
 */
export function editPostmortem(pm: Postmortem, edit: PostmortemEdit, now: number): Postmortem {
  const parsed = postmortemSchema.safeParse({ ...pm, ...edit, updatedAt: now });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ReportError('schemaMismatch', { field: issue.path.join('.'), reason: issue.message });
  }
  return parsed.data;
}
