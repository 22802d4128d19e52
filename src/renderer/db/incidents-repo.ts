import { applyIncidentAction, createIncidentFromPages, type IncidentAction } from '../../core/incidents/incident';
import type { IncidentsSync } from '../../core/incidents/ipc-schemas';
import type { Incident } from '../../core/incidents/model';
import { buildTimeline, type TimelineItem } from '../../core/incidents/timeline';
import type { Page } from '../../core/page';
import type { Runbook } from '../../core/runbooks/model';
import { applyRunAction, restoreRun, startRun, type ChecklistRun, type RunAction } from '../../core/runbooks/run';
import type { OnCallDb } from './database';
import { readTimeline } from './timeline';

/** Starts a checklist run on a runbook as it is now, for a page and (when the page has one) its incident. */
export async function startRunbookRun(db: OnCallDb, runbook: Runbook, opts: { id: string; by: string; pageId?: string | null; incidentId?: string | null }, now: number): Promise<ChecklistRun> {
  return db.transaction('rw', db.runs, db.incidents, async () => {
    const incident = opts.incidentId ? await db.incidents.get(opts.incidentId) : opts.pageId ? await incidentOfPage(db, opts.pageId) : undefined;
    const { run } = startRun(runbook, { id: opts.id, by: opts.by, pageId: opts.pageId ?? null, incidentId: incident?.id ?? null }, now);
    await db.runs.put(run);
    if (incident) await db.incidents.put(applyIncidentAction(incident, { type: 'linkRun', by: opts.by, runId: run.id, title: run.runbookTitle }, now).incident);
    return run;
  });
}

/** Applies a checklist action and stores the run in one step; a refused action leaves the stored run as it was. */
export async function applyStoredRunAction(db: OnCallDb, runId: string, action: RunAction, now: number): Promise<ChecklistRun> {
  return db.transaction('rw', db.runs, async () => {
    const stored = await db.runs.get(runId);
    if (!stored) throw new Error(`no checklist run ${runId}`);
    const { run } = applyRunAction(restoreRun(stored), action, now);
    await db.runs.put(run);
    return run;
  });
}

/** The open incident a page belongs to, if any. */
export async function incidentOfPage(db: OnCallDb, pageId: string): Promise<Incident | undefined> {
  const open = await db.incidents.where('status').notEqual('resolved').toArray();
  return open.find((i) => i.pageIds.includes(pageId));
}

/**
 * Makes an incident from pages (a group in one click) and links the checklist runs already
 * started on those pages, so their steps land in its timeline.
 */
export async function createIncidentFromStoredPages(db: OnCallDb, pages: readonly Page[], opts: { id: string; by: string }, now: number): Promise<Incident> {
  return db.transaction('rw', db.incidents, db.runs, async () => {
    let { incident } = createIncidentFromPages(pages, opts, now);
    const runs = await db.runs.where('pageId').anyOf(pages.map((p) => p.id)).toArray();
    for (const run of runs.sort((a, b) => a.startedAt - b.startedAt)) {
      incident = applyIncidentAction(incident, { type: 'linkRun', by: opts.by, runId: run.id, title: run.runbookTitle }, now).incident;
      if (run.incidentId === null) await db.runs.put({ ...run, incidentId: incident.id });
    }
    await db.incidents.put(incident);
    return incident;
  });
}

/** Applies an incident action and stores the result; a refused action changes nothing. */
export async function applyStoredIncidentAction(db: OnCallDb, incidentId: string, action: IncidentAction, now: number): Promise<Incident> {
  return db.transaction('rw', db.incidents, async () => {
    const stored = await db.incidents.get(incidentId);
    if (!stored) throw new Error(`no incident ${incidentId}`);
    const { incident } = applyIncidentAction(stored, action, now);
    await db.incidents.put(incident);
    return incident;
  });
}

/** The runs of an incident: linked ones and ones started for it. */
export async function runsOfIncident(db: OnCallDb, incident: Incident): Promise<ChecklistRun[]> {
  const [linked, own] = await Promise.all([db.runs.bulkGet(incident.runIds), db.runs.where('incidentId').equals(incident.id).toArray()]);
  const byId = new Map<string, ChecklistRun>();
  for (const r of [...linked, ...own]) if (r) byId.set(r.id, r);
  return [...byId.values()].sort((a, b) => a.startedAt - b.startedAt);
}

/** Everything the incident page and the postmortem need: the incident's merged timeline and its runs. */
export async function loadIncidentDetail(db: OnCallDb, incidentId: string, me: string): Promise<{ incident: Incident; timeline: TimelineItem[]; runs: ChecklistRun[] } | null> {
  const incident = await db.incidents.get(incidentId);
  if (!incident) return null;
  const [pages, pageEvents, runs] = await Promise.all([db.pages.bulkGet(incident.pageIds), readTimeline(db, incident.pageIds), runsOfIncident(db, incident)]);
  const timeline = buildTimeline(incident, { pages: pages.filter((p): p is Page => p !== undefined), pageEvents, runEvents: runs.flatMap((r) => r.events), me });
  return { incident, timeline, runs };
}

/** What main needs to remind about status updates: the open incidents, reduced to their schedule. */
export function reminderSync(incidents: readonly Incident[], checklistTimeZone: string | null, language: string): IncidentsSync {
  return {
    incidents: incidents
      .filter((i) => i.status !== 'resolved')
      .map((i) => ({ id: i.id, title: i.title.slice(0, 1000), severity: i.severity, status: i.status, createdAt: i.createdAt, lastStatusUpdateAt: i.lastStatusUpdateAt, updateIntervalMinutes: i.updateIntervalMinutes })),
    checklistTimeZone,
    language,
  };
}
