import type { Severity } from '../severity';

/** Status of an incident, as on a status page. */
export const INCIDENT_STATUSES = ['investigating', 'identified', 'monitoring', 'resolved'] as const;
/** One of the incident statuses. */
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

/** The incident roles of the handbook: one commander, one communications manager, any contributors. */
export interface IncidentRoles {
  commander: string | null;
  communications: string | null;
  contributors: string[];
}

/** Kinds of entries the incident itself records (page and runbook events are merged in from their own stores). */
export type IncidentEntryKind =
  | 'created'
  | 'pageAdded'
  | 'acknowledged'
  | 'statusChanged'
  | 'statusUpdate'
  | 'note'
  | 'severityChanged'
  | 'roleAssigned'
  | 'contributorAdded'
  | 'contributorRemoved'
  | 'runLinked'
  | 'mitigated'
  | 'outageStartSet'
  | 'titleChanged';

/** One line of the incident's own log. `params` carries what the catalog text needs. */
export interface IncidentEntry {
  id: string;
  incidentId: string;
  at: number;
  by: string;
  kind: IncidentEntryKind;
  text: string | null;
  params: Record<string, string | number | null>;
}

/** An incident: plain data with ids and timestamps, stored as one record. */
export interface Incident {
  id: string;
  title: string;
  severity: Severity;
  status: IncidentStatus;
  createdAt: number;
  createdBy: string;
  updatedAt: number;
  pageIds: string[];
  runIds: string[];
  roles: IncidentRoles;
  /** When impact began: earliest page start, or set by hand. */
  outageBeganAt: number | null;
  outageBeganManual: boolean;
  /** First time anyone knew: earliest page receipt, or creation for a hand-made incident. */
  detectedAt: number;
  acknowledgedAt: number | null;
  mitigatedAt: number | null;
  resolvedAt: number | null;
  lastStatusUpdateAt: number | null;
  /** Minutes between status-update reminders; null turns them off. */
  updateIntervalMinutes: number | null;
  entries: IncidentEntry[];
}
