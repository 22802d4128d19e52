import type { i18n } from 'i18next';
import { createI18n } from '../../core/i18n';
import type { IncidentReminderRef, IncidentsSync } from '../../core/incidents/ipc-schemas';
import type { Incident } from '../../core/incidents/model';
import { statusUpdateRemindersBetween } from '../../core/incidents/targets';
import { defaultRecurringChecklists, dueBetween, type RecurringChecklist } from '../../core/runbooks/recurring';
import { isValidTimeZone } from '../../core/rota/time-zone';
import type { Clock, Logger } from '../adapters';
import type { Notifier } from '../services/notifier';
import type { Timers } from './rota';

/** Reminders are planned this far ahead and re-planned after it (and on every sync). */
export const INCIDENT_PLAN_MS = 60 * 60_000;

/** What the incident reminders in main need; all injectable for tests. */
export interface IncidentsDeps {
  clock: Clock;
  timers: Timers;
  notifier: Notifier;
  logger: Logger;
  /** When my shifts start between two instants (from the rota), for the shift-start checklist. */
  myShiftStarts?: (from: number, to: number) => number[];
}

const hhmm = (ms: number, zone: string) => new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: zone }).format(ms);

/**
 * Status-update reminders for open incidents and the recurring maintenance checklists, fired from
 * main's timers: Chromium throttles a hidden window's timers, main's keep time. The renderer sends
 * the open incidents whenever they change (incidents:sync); each sync re-plans the next hour.
 */
export function setupIncidents(deps: IncidentsDeps) {
  let state: IncidentsSync = { incidents: [], checklistTimeZone: null, language: 'en' };
  let i18n: i18n = createI18n('en');
  let checklists: RecurringChecklist[] = [];
  let timers: unknown[] = [];
  let replanTimer: unknown = null;
  /** Start of the window not yet planned; a reminder is fired once even when a sync re-plans. */
  let plannedFrom = deps.clock.now();
  const fired = new Set<string>();

  function fire(key: string, title: string, body: string, route: string): void {
    if (fired.has(key)) return;
    fired.add(key);
    deps.notifier.notify({ title, body, urgency: 'normal', pageId: key, route });
  }

  function remindIncident(ref: IncidentReminderRef, dueAt: number): void {
    const t = i18n.t;
    const zone = state.checklistTimeZone ?? 'UTC';
    const last = ref.lastStatusUpdateAt ?? ref.createdAt;
    fire(
      `incident:${ref.id}:${dueAt}`,
      t('incidents.targets.reminderTitle', { title: ref.title }),
      t('incidents.targets.reminderBody', { severity: ref.severity, status: t(`incidents.status.${ref.status}`), last: hhmm(last, zone) }),
      `#/incidents/${encodeURIComponent(ref.id)}`,
    );
  }

  function plan(): void {
    timers.forEach((h) => deps.timers.clearTimeout(h));
    deps.timers.clearTimeout(replanTimer);
    const now = deps.clock.now();
    const until = now + INCIDENT_PLAN_MS;
    // due since the last plan (a sync arriving just after a due time still reminds), up to an hour ahead
    const from = Math.min(plannedFrom, now);
    const byId = new Map(state.incidents.map((i) => [i.id, i]));
    const due: Array<{ at: number; fn: () => void }> = [];
    for (const r of statusUpdateRemindersBetween(state.incidents as unknown as Incident[], from, until)) {
      const ref = byId.get(r.incidentId)!;
      due.push({ at: r.dueAt, fn: () => remindIncident(ref, r.dueAt) });
    }
    try {
      // a shift-start checklist is due a lead time before a shift: look a day past the window
      const starts = deps.myShiftStarts?.(from, until + 24 * 60 * 60_000) ?? [];
      for (const c of dueBetween(checklists, from, until, starts)) {
        due.push({ at: c.dueAt, fn: () => fire(`checklist:${c.checklistId}:${c.dueAt}`, i18n.t('runbooks.recurring.due', { title: c.title }), c.title, `#/runbooks/checklist/${encodeURIComponent(c.checklistId)}`) });
      }
    } catch (err) {
      deps.logger.error(`recurring checklists: ${(err as Error).message}`);
    }
    timers = due.map(({ at, fn }) => deps.timers.setTimeout(fn, Math.max(0, at - now)));
    plannedFrom = until;
    replanTimer = deps.timers.setTimeout(plan, INCIDENT_PLAN_MS);
  }

  return {
    handlers: {
      'incidents:sync': (next: IncidentsSync) => {
        if (next.checklistTimeZone !== null && !isValidTimeZone(next.checklistTimeZone)) throw new Error(`unknown time zone ${next.checklistTimeZone}`);
        if (next.language !== state.language) i18n = createI18n(next.language);
        checklists = next.checklistTimeZone ? defaultRecurringChecklists((k) => i18n.t(k), next.checklistTimeZone) : [];
        state = { ...next, incidents: next.incidents.filter((i) => i.status !== 'resolved') };
        // re-plan from now: the reminders of incidents no longer open are dropped with their timers
        plannedFrom = deps.clock.now();
        plan();
      },
    },
    /** The incidents main currently reminds about (for Settings and tests). */
    open: (): readonly IncidentReminderRef[] => state.incidents,
    /** After sleep the timers are stale: remind about what came due meanwhile, then re-plan. */
    resume(): void {
      plan();
    },
    stop(): void {
      timers.forEach((h) => deps.timers.clearTimeout(h));
      deps.timers.clearTimeout(replanTimer);
    },
  };
}
