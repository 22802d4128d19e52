import { z } from 'zod';
import { SEVERITIES } from '../severity';
import { INCIDENT_STATUSES } from './model';

/** What main needs of an open incident to remind about status updates from its own timers. */
export const incidentReminderRefSchema = z.object({
  id: z.string().min(1).max(200),
  title: z.string().max(1000),
  severity: z.enum(SEVERITIES),
  status: z.enum(INCIDENT_STATUSES),
  createdAt: z.number(),
  lastStatusUpdateAt: z.number().nullable(),
  updateIntervalMinutes: z.number().int().min(1).max(24 * 60).nullable(),
});
export type IncidentReminderRef = z.infer<typeof incidentReminderRefSchema>;

/** The open incidents and recurring-checklist settings main reminds about (sent whenever they change). */
export const incidentsSyncSchema = z.object({
  incidents: z.array(incidentReminderRefSchema).max(1000),
  /** The maintenance checklists remind on their rules in this zone; null turns them off. */
  checklistTimeZone: z.string().min(1).max(100).nullable(),
  language: z.string().max(20),
});
export type IncidentsSync = z.infer<typeof incidentsSyncSchema>;
