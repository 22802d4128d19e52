import type { Page } from '../page';
import { severityRank, type Severity } from '../severity';
import { IncidentError } from './errors';
import { INCIDENT_STATUSES, type Incident, type IncidentEntry, type IncidentEntryKind, type IncidentStatus } from './model';
import { SEVERITY_TARGETS } from './targets';

/** What an engineer can do to an incident. */
export type IncidentAction =
  | { type: 'addPages'; by: string; pages: readonly Page[] }
  | { type: 'acknowledge'; by: string }
  | { type: 'note'; by: string; text: string }
  | { type: 'setStatus'; by: string; status: IncidentStatus; message?: string }
  | { type: 'postUpdate'; by: string; text: string }
  | { type: 'setSeverity'; by: string; severity: Severity }
  | { type: 'assignRole'; by: string; role: 'commander' | 'communications'; person: string | null }
  | { type: 'addContributor'; by: string; person: string }
  | { type: 'removeContributor'; by: string; person: string }
  | { type: 'linkRun'; by: string; runId: string; title: string }
  | { type: 'markMitigated'; by: string }
  | { type: 'setOutageStart'; by: string; at: number }
  | { type: 'setTitle'; by: string; title: string }
  | { type: 'setUpdateInterval'; by: string; minutes: number | null };

/** The new incident and the entries it appended (to store and show). */
export interface IncidentTransition {
  incident: Incident;
  entries: IncidentEntry[];
}

function entry(incident: Pick<Incident, 'id' | 'entries'>, at: number, by: string, kind: IncidentEntryKind, text: string | null = null, params: IncidentEntry['params'] = {}): IncidentEntry {
  return { id: `${incident.id}:${incident.entries.length + 1}`, incidentId: incident.id, at, by, kind, text, params };
}

function minOf(values: readonly number[]): number | null {
  return values.length === 0 ? null : Math.min(...values);
}

/** Options for a new incident. */
export interface NewIncident {
  id: string;
  by: string;
  title: string;
  severity: Severity;
}

/** Opens an incident by hand; whoever opens it is Incident Commander until someone else is named. */
export function createIncident(input: NewIncident, now: number): IncidentTransition {
  const title = input.title.trim();
  if (title === '') throw new IncidentError('titleEmpty');
  const base: Incident = {
    id: input.id,
    title,
    severity: input.severity,
    status: 'investigating',
    createdAt: now,
    createdBy: input.by,
    updatedAt: now,
    pageIds: [],
    runIds: [],
    roles: { commander: input.by, communications: null, contributors: [] },
    outageBeganAt: null,
    outageBeganManual: false,
    detectedAt: now,
    acknowledgedAt: null,
    mitigatedAt: null,
    resolvedAt: null,
    lastStatusUpdateAt: null,
    updateIntervalMinutes: SEVERITY_TARGETS[input.severity].updateMinutes,
    entries: [],
  };
  const e = entry(base, now, input.by, 'created', null, { severity: input.severity });
  return { incident: { ...base, entries: [e] }, entries: [e] };
}

/**
 * Opens an incident from one or more pages (a group in one click): the most urgent severity, the
 * earliest start as outage start, the earliest receipt as detection, and any acknowledgement.
 */
export function createIncidentFromPages(pages: readonly Page[], input: Omit<NewIncident, 'title' | 'severity'> & { title?: string }, now: number): IncidentTransition {
  if (pages.length === 0) throw new IncidentError('noPages');
  const sorted = [...pages].sort((a, b) => severityRank(a.severity) - severityRank(b.severity) || a.startsAt - b.startsAt);
  const lead = sorted[0]!;
  const title = input.title?.trim() || (pages.length === 1 ? lead.title : `${lead.title} (+${pages.length - 1})`);
  const created = createIncident({ id: input.id, by: input.by, title, severity: lead.severity }, now);
  const added = applyIncidentAction(created.incident, { type: 'addPages', by: input.by, pages }, now);
  const incident = { ...added.incident, detectedAt: Math.min(now, minOf(pages.map((p) => p.receivedAt)) ?? now) };
  return { incident, entries: [...created.entries, ...added.entries] };
}

const nonEmpty = (text: string): string => {
  const t = text.trim();
  if (t === '') throw new IncidentError('textEmpty');
  return t;
};

/**
 * Applies an action. Actions that change nothing (naming the same commander twice) record
 * nothing; a resolved incident still takes notes and can be reopened by a status change.
 */
export function applyIncidentAction(incident: Incident, action: IncidentAction, now: number): IncidentTransition {
  const out: IncidentEntry[] = [];
  let next: Incident = { ...incident };
  const log = (kind: IncidentEntryKind, text: string | null = null, params: IncidentEntry['params'] = {}) => {
    const e = entry(next, now, action.by, kind, text, params);
    next = { ...next, entries: [...next.entries, e] };
    out.push(e);
  };
  switch (action.type) {
    case 'addPages': {
      const fresh = action.pages.filter((p) => !next.pageIds.includes(p.id));
      if (fresh.length === 0) break;
      next.pageIds = [...next.pageIds, ...fresh.map((p) => p.id)];
      if (!next.outageBeganManual) next.outageBeganAt = minOf([...(next.outageBeganAt === null ? [] : [next.outageBeganAt]), ...fresh.map((p) => p.startsAt)]);
      const acks = fresh.map((p) => p.acknowledgedAt).filter((a): a is number => a !== null);
      if (acks.length > 0) next.acknowledgedAt = minOf([...(next.acknowledgedAt === null ? [] : [next.acknowledgedAt]), ...acks]);
      for (const p of fresh) log('pageAdded', p.title, { pageId: p.id, severity: p.severity });
      break;
    }
    case 'acknowledge':
      if (next.acknowledgedAt !== null) break;
      next.acknowledgedAt = now;
      log('acknowledged');
      break;
    case 'note':
      log('note', nonEmpty(action.text));
      break;
    case 'postUpdate':
      next.lastStatusUpdateAt = now;
      log('statusUpdate', nonEmpty(action.text), { status: next.status });
      break;
    case 'setStatus': {
      if (!(INCIDENT_STATUSES as readonly string[]).includes(action.status)) throw new IncidentError('unknownStatus', { status: String(action.status) });
      if (action.status === next.status) break;
      const from = next.status;
      next.status = action.status;
      if (next.acknowledgedAt === null) next.acknowledgedAt = now;
      if ((action.status === 'monitoring' || action.status === 'resolved') && next.mitigatedAt === null) next.mitigatedAt = now;
      next.resolvedAt = action.status === 'resolved' ? now : null;
      const message = action.message?.trim() || null;
      if (message) next.lastStatusUpdateAt = now;
      log('statusChanged', message, { from, to: action.status });
      break;
    }
    case 'setSeverity': {
      if (action.severity === next.severity) break;
      const from = next.severity;
      const oldDefault = SEVERITY_TARGETS[from].updateMinutes;
      next.severity = action.severity;
      // Follow the new severity's cadence unless someone chose their own.
      if (next.updateIntervalMinutes === oldDefault) next.updateIntervalMinutes = SEVERITY_TARGETS[action.severity].updateMinutes;
      log('severityChanged', null, { from, to: action.severity });
      break;
    }
    case 'assignRole': {
      const person = action.person?.trim() || null;
      if (next.roles[action.role] === person) break;
      next.roles = { ...next.roles, [action.role]: person };
      log('roleAssigned', null, { role: action.role, person });
      break;
    }
    case 'addContributor': {
      const person = nonEmpty(action.person);
      if (next.roles.contributors.includes(person)) break;
      next.roles = { ...next.roles, contributors: [...next.roles.contributors, person] };
      log('contributorAdded', null, { person });
      break;
    }
    case 'removeContributor':
      if (!next.roles.contributors.includes(action.person)) break;
      next.roles = { ...next.roles, contributors: next.roles.contributors.filter((p) => p !== action.person) };
      log('contributorRemoved', null, { person: action.person });
      break;
    case 'linkRun':
      if (next.runIds.includes(action.runId)) break;
      next.runIds = [...next.runIds, action.runId];
      log('runLinked', action.title, { runId: action.runId });
      break;
    case 'markMitigated':
      if (next.mitigatedAt !== null) break;
      next.mitigatedAt = now;
      log('mitigated');
      break;
    case 'setOutageStart':
      if (action.at > next.detectedAt) throw new IncidentError('outageAfterDetection', { at: action.at, detectedAt: next.detectedAt });
      next.outageBeganAt = action.at;
      next.outageBeganManual = true;
      log('outageStartSet', null, { at: action.at });
      break;
    case 'setTitle': {
      const title = action.title.trim();
      if (title === '') throw new IncidentError('titleEmpty');
      if (title === next.title) break;
      log('titleChanged', title, { from: next.title });
      next.title = title;
      break;
    }
    case 'setUpdateInterval':
      if (action.minutes !== null && (!Number.isInteger(action.minutes) || action.minutes < 1 || action.minutes > 24 * 60)) throw new IncidentError('intervalInvalid', { minutes: action.minutes });
      next.updateIntervalMinutes = action.minutes;
      break;
  }
  if (out.length === 0 && action.type !== 'setUpdateInterval') return { incident, entries: [] };
  return { incident: { ...next, updatedAt: now }, entries: out };
}

/** Open first (most urgent, then newest), then resolved by most recent: the Incidents view order. */
export function sortIncidents(incidents: readonly Incident[]): Incident[] {
  return [...incidents].sort((a, b) => {
    const ao = a.status === 'resolved' ? 1 : 0;
    const bo = b.status === 'resolved' ? 1 : 0;
    if (ao !== bo) return ao - bo;
    if (ao === 0) return severityRank(a.severity) - severityRank(b.severity) || b.createdAt - a.createdAt;
    return (b.resolvedAt ?? 0) - (a.resolvedAt ?? 0);
  });
}
