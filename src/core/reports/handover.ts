import { z } from 'zod';
import type { Incident } from '../incidents/model';
import { isWorkingTime, type WorkingHours } from '../incidents/targets';
import type { Page } from '../page';
import { nextStep, runProgress, type ChecklistRun } from '../runbooks/run';
import { SEVERITIES } from '../severity';
import { ReportError } from './errors';

/** A silence (Alertmanager) or snooze (in the app) that outlives the shift. */
export interface SilenceInfo {
  id: string;
  kind: 'silence' | 'snooze';
  description: string;
  endsAt: number;
}

/** The tray-pager self-test result, when that feature exists. */
export interface SelfTestInfo {
  ok: boolean;
  at: number;
  detail: string;
}

/** Everything the handover is built from; main or the renderer collects it from the stores. */
export interface HandoverInput {
  window: { start: number; end: number; timeZone: string };
  outgoing: string;
  incoming: string;
  pages: readonly Page[];
  incidents: readonly Incident[];
  runs: readonly ChecklistRun[];
  silences?: readonly SilenceInfo[];
  selfTest?: SelfTestInfo | null;
  watchItems?: readonly string[];
  notes?: string;
  /** Postmortem title or file per incident id, for "resolved this shift". */
  postmortems?: Readonly<Record<string, string>>;
  workingHours: WorkingHours;
}

const millis = z.number().int();
const counts = z.object({ P1: z.number().int(), P2: z.number().int(), P3: z.number().int(), P4: z.number().int(), total: z.number().int() });

/** The handover report, as stored, exported to JSON, and rendered to Markdown, HTML and chat. */
export const handoverSchema = z
  .object({
    schemaVersion: z.literal(1),
    generatedAt: millis,
    window: z.object({ start: millis, end: millis, timeZone: z.string() }),
    previousWindow: z.object({ start: millis, end: millis }),
    outgoing: z.string(),
    incoming: z.string(),
    pages: z.object({ thisShift: counts, previousShift: counts }),
    noisiest: z.array(z.object({ alert: z.string(), count: z.number().int() })),
    outOfHours: z.array(z.object({ pageId: z.string(), title: z.string(), severity: z.enum(SEVERITIES), at: millis })),
    openIncidents: z.array(
      z.object({
        id: z.string(),
        title: z.string(),
        severity: z.enum(SEVERITIES),
        status: z.string(),
        owner: z.string().nullable(),
        lastUpdateAt: millis.nullable(),
        lastUpdate: z.string().nullable(),
        nextStep: z.string().nullable(),
      }),
    ),
    resolved: z.array(z.object({ id: z.string(), title: z.string(), severity: z.enum(SEVERITIES), resolvedAt: millis, postmortem: z.string().nullable() })),
    openRuns: z.array(z.object({ id: z.string(), runbook: z.string(), handled: z.number().int(), total: z.number().int(), startedAt: millis, nextStep: z.string().nullable() })),
    silences: z.array(z.object({ id: z.string(), kind: z.enum(['silence', 'snooze']), description: z.string(), endsAt: millis })),
    selfTest: z.object({ ok: z.boolean(), at: millis, detail: z.string() }).nullable(),
    watchItems: z.array(z.string()),
    notes: z.string(),
    acknowledgedBy: z.string().nullable(),
    acknowledgedAt: millis.nullable(),
  })
  .strict();

/** A shift handover report. */
export type Handover = z.infer<typeof handoverSchema>;

/** How many noisiest alerts the report lists. */
export const NOISIEST = 5;

function countBySeverity(pages: readonly Page[]): Handover['pages']['thisShift'] {
  const c = { P1: 0, P2: 0, P3: 0, P4: 0, total: pages.length };
  for (const p of pages) c[p.severity]++;
  return c;
}

function lastUpdate(incident: Incident): { at: number; text: string } | null {
  for (let i = incident.entries.length - 1; i >= 0; i--) {
    const e = incident.entries[i]!;
    if ((e.kind === 'statusUpdate' || e.kind === 'statusChanged' || e.kind === 'note') && e.text) return { at: e.at, text: e.text };
  }
  return null;
}

/**
 * Builds the handover for a shift window: pages by severity against the previous window of the
 * same length, noisiest alerts, out-of-hours pages, open and resolved incidents, open runs,
 * silences that outlive the shift, self-test, watch items and notes. One pass over the pages.
 */
export function buildHandover(input: HandoverInput, now: number): Handover {
  const { start, end, timeZone } = input.window;
  if (!(end > start)) throw new ReportError('windowInvalid', { start, end });
  const prevStart = start - (end - start);
  const current: Page[] = [];
  const previous: Page[] = [];
  for (const p of input.pages) {
    if (p.receivedAt >= start && p.receivedAt < end) current.push(p);
    else if (p.receivedAt >= prevStart && p.receivedAt < start) previous.push(p);
  }
  const byAlert = new Map<string, number>();
  for (const p of current) {
    const name = p.labels.alertname ?? p.title;
    byAlert.set(name, (byAlert.get(name) ?? 0) + p.fireCount);
  }
  const noisiest = [...byAlert.entries()]
    .map(([alert, count]) => ({ alert, count }))
    .sort((a, b) => b.count - a.count || a.alert.localeCompare(b.alert))
    .slice(0, NOISIEST);
  const outOfHours = current
    .filter((p) => !isWorkingTime(p.receivedAt, input.workingHours))
    .map((p) => ({ pageId: p.id, title: p.title, severity: p.severity, at: p.receivedAt }))
    .sort((a, b) => a.at - b.at);
  const runsById = new Map(input.runs.map((r) => [r.id, r]));
  const openIncidents = input.incidents
    .filter((i) => i.status !== 'resolved' && i.createdAt < end)
    .sort((a, b) => a.severity.localeCompare(b.severity) || a.createdAt - b.createdAt)
    .map((i) => {
      const upd = lastUpdate(i);
      const run = i.runIds.map((id) => runsById.get(id)).find((r) => r?.status === 'running' && nextStep(r) !== null);
      return {
        id: i.id,
        title: i.title,
        severity: i.severity,
        status: i.status,
        owner: i.roles.commander,
        lastUpdateAt: upd?.at ?? null,
        lastUpdate: upd?.text ?? null,
        nextStep: run ? nextStep(run)!.text : null,
      };
    });
  const resolved = input.incidents
    .filter((i) => i.status === 'resolved' && i.resolvedAt !== null && i.resolvedAt >= start && i.resolvedAt < end)
    .sort((a, b) => a.resolvedAt! - b.resolvedAt!)
    .map((i) => ({ id: i.id, title: i.title, severity: i.severity, resolvedAt: i.resolvedAt!, postmortem: input.postmortems?.[i.id] ?? null }));
  const openRuns = input.runs
    .filter((r) => r.status === 'running' && r.startedAt < end)
    .sort((a, b) => a.startedAt - b.startedAt)
    .map((r) => {
      const p = runProgress(r);
      return { id: r.id, runbook: r.runbookTitle, handled: p.done + p.skipped, total: p.total, startedAt: r.startedAt, nextStep: nextStep(r)?.text ?? null };
    });
  return {
    schemaVersion: 1,
    generatedAt: now,
    window: { start, end, timeZone },
    previousWindow: { start: prevStart, end: start },
    outgoing: input.outgoing,
    incoming: input.incoming,
    pages: { thisShift: countBySeverity(current), previousShift: countBySeverity(previous) },
    noisiest,
    outOfHours,
    openIncidents,
    resolved,
    openRuns,
    silences: (input.silences ?? []).filter((s) => s.endsAt > end).map((s) => ({ ...s })).sort((a, b) => a.endsAt - b.endsAt),
    selfTest: input.selfTest ?? null,
    watchItems: [...(input.watchItems ?? [])].map((w) => w.trim()).filter((w) => w !== ''),
    notes: input.notes ?? '',
    acknowledgedBy: null,
    acknowledgedAt: null,
  };
}

/** The incoming engineer acknowledges the handover. */
export function acknowledgeHandover(h: Handover, by: string, now: number): Handover {
  return { ...h, acknowledgedBy: by, acknowledgedAt: now };
}

/** The JSON Schema of the handover JSON export. */
export function handoverJsonSchema(): Record<string, unknown> {
  return { $id: 'https://on-call-companion.invalid/schemas/handover-v1.json', title: 'Shift handover', ...z.toJSONSchema(handoverSchema) } as Record<string, unknown>;
}

/** The JSON export. */
export function handoverToJson(h: Handover): string {
  return `${JSON.stringify(handoverSchema.parse(h), null, 2)}\n`;
}

/** Re-imports a handover from JSON; refuses malformed input as a whole, naming the field. */
export function handoverFromJson(text: string): Handover {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new ReportError('jsonInvalid', { reason: (err as Error).message });
  }
  const parsed = handoverSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ReportError('schemaMismatch', { field: issue.path.join('.') || '(root)', reason: issue.message });
  }
  return parsed.data;
}

/** What the outgoing engineer edits before handing over. */
export interface HandoverEdit {
  notes?: string;
  watchItems?: readonly string[];
  incoming?: string;
}

/** Applies the outgoing engineer's edits; blank watch items are dropped. */
export function editHandover(h: Handover, edit: HandoverEdit): Handover {
  return {
    ...h,
    notes: edit.notes ?? h.notes,
    incoming: edit.incoming?.trim() || h.incoming,
    watchItems: edit.watchItems ? edit.watchItems.map((w) => w.trim()).filter((w) => w !== '') : h.watchItems,
  };
}

/** A shift as the rota engine gives it (only what the handover needs). */
export interface ShiftLike {
  person: string;
  start: number;
  end: number;
}

/**
 * The default handover window: my latest shift that has started (a running one ends at its
 * planned end), joined with back-to-back pieces of mine before it, and who takes over after it.
 * Null when I had no shift.
 */
export function lastShiftWindow(shifts: readonly ShiftLike[], me: string, now: number): { start: number; end: number; incoming: string | null } | null {
  const mine = shifts.filter((s) => s.person === me && s.start < now).sort((a, b) => a.start - b.start);
  if (mine.length === 0) return null;
  const end = mine.at(-1)!.end;
  let start = mine.at(-1)!.start;
  for (let i = mine.length - 2; i >= 0 && mine[i]!.end >= start; i--) start = Math.min(start, mine[i]!.start);
  const next = shifts.filter((s) => s.person !== me && s.start <= end && s.end > end).sort((a, b) => a.start - b.start)[0];
  return { start, end, incoming: next?.person ?? null };
}
