import { fromWall, parseClock, toWall, wallStartOfDay, wallWeekday } from '../rota/time-zone';
import type { Severity } from '../severity';
import type { Incident } from './model';

/** How fast a response is due: minutes, by the end of the next working day, or best effort. */
export type ResponseTarget = { kind: 'minutes'; minutes: number } | { kind: 'nextWorkingDay' } | { kind: 'bestEffort' };

/** Targets per severity. */
export interface SeverityTargets {
  response: ResponseTarget;
  /** Default minutes between status updates while open; null: no reminders. */
  updateMinutes: number | null;
}

/**
 * Response targets from the ops handbook (P1 15 min, P2 2 h, P3 next working day, P4 best
 * effort). The handbook sets no update cadence, so the update defaults are ours and editable per incident.
 */
export const SEVERITY_TARGETS: Record<Severity, SeverityTargets> = {
  P1: { response: { kind: 'minutes', minutes: 15 }, updateMinutes: 30 },
  P2: { response: { kind: 'minutes', minutes: 120 }, updateMinutes: 60 },
  P3: { response: { kind: 'nextWorkingDay' }, updateMinutes: 240 },
  P4: { response: { kind: 'bestEffort' }, updateMinutes: null },
};

/** Working hours, for "next working day". Days: 0 = Sunday … 6 = Saturday. */
export interface WorkingHours {
  timeZone: string;
  days: number[];
  start: string;
  end: string;
}

/** Monday to Friday, 09:00–17:00, as in the roles handbook. */
export function defaultWorkingHours(timeZone: string): WorkingHours {
  return { timeZone, days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' };
}

/** End of the first working day after the one `t` falls on. */
export function endOfNextWorkingDay(t: number, hours: WorkingHours): number {
  const endMin = parseClock(hours.end) ?? 17 * 60;
  let day = wallStartOfDay(toWall(t, hours.timeZone));
  for (let i = 0; i < 14; i++) {
    day += 86_400_000;
    if (hours.days.includes(wallWeekday(day))) return fromWall(day + endMin * 60_000, hours.timeZone);
  }
  return fromWall(day + endMin * 60_000, hours.timeZone);
}

/** Whether `t` falls inside working hours; pages outside them go on the handover's "out of hours" list. */
export function isWorkingTime(t: number, hours: WorkingHours): boolean {
  const wall = toWall(t, hours.timeZone);
  if (!hours.days.includes(wallWeekday(wall))) return false;
  const minute = (wall - wallStartOfDay(wall)) / 60_000;
  return minute >= (parseClock(hours.start) ?? 0) && minute < (parseClock(hours.end) ?? 24 * 60);
}

/** When the first response is due; null for best effort. */
export function responseDueAt(incident: Pick<Incident, 'severity' | 'detectedAt'>, hours: WorkingHours): number | null {
  const target = SEVERITY_TARGETS[incident.severity].response;
  if (target.kind === 'minutes') return incident.detectedAt + target.minutes * 60_000;
  if (target.kind === 'nextWorkingDay') return endOfNextWorkingDay(incident.detectedAt, hours);
  return null;
}

/** Whether the response target was missed (acknowledged late, or still not by `now`). */
export function responseBreached(incident: Pick<Incident, 'severity' | 'detectedAt' | 'acknowledgedAt'>, hours: WorkingHours, now: number): boolean {
  const due = responseDueAt(incident, hours);
  return due !== null && (incident.acknowledgedAt ?? now) > due;
}

/** When the next status update is due while the incident is open; null once resolved or with reminders off. */
export function nextStatusUpdateDue(incident: Pick<Incident, 'status' | 'createdAt' | 'lastStatusUpdateAt' | 'updateIntervalMinutes'>): number | null {
  if (incident.status === 'resolved' || incident.updateIntervalMinutes === null) return null;
  return (incident.lastStatusUpdateAt ?? incident.createdAt) + incident.updateIntervalMinutes * 60_000;
}

/** One reminder for main to fire. */
export interface StatusUpdateReminder {
  incidentId: string;
  dueAt: number;
  /** How many intervals have passed without an update (1 = first reminder). */
  overdueCount: number;
}

/**
 * Reminders due in (t0, t1]: every N minutes after the last update until someone posts one or
 * the incident is resolved. Half-open, so consecutive timer ticks never fire one twice.
 */
export function statusUpdateRemindersBetween(incidents: readonly Incident[], t0: number, t1: number): StatusUpdateReminder[] {
  const out: StatusUpdateReminder[] = [];
  for (const inc of incidents) {
    const first = nextStatusUpdateDue(inc);
    if (first === null) continue;
    const step = inc.updateIntervalMinutes! * 60_000;
    let k = first > t0 ? 0 : Math.floor((t0 - first) / step) + 1;
    for (let at = first + k * step; at <= t1; at = first + ++k * step) if (at > t0) out.push({ incidentId: inc.id, dueAt: at, overdueCount: k + 1 });
  }
  return out.sort((a, b) => a.dueAt - b.dueAt);
}
