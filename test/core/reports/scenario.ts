import { createI18n } from '../../../src/core/i18n';
import { applyIncidentAction, createIncidentFromPages } from '../../../src/core/incidents/incident';
import type { Incident } from '../../../src/core/incidents/model';
import { buildTimeline, type TimelineItem } from '../../../src/core/incidents/timeline';
import type { Page, PageEvent } from '../../../src/core/page';
import type { Translate } from '../../../src/core/reports/errors';
import { checklistAsRunbook } from '../../../src/core/runbooks/recurring';
import { applyRunAction, startRun, type ChecklistRun } from '../../../src/core/runbooks/run';
import { ackPage, receivedPage } from '../incidents/pages';

/** 2026-03-02 10:00:00 UTC, a Monday. */
export const T0 = Date.parse('2026-03-02T10:00:00Z');
export const MIN = 60_000;

/** A translate function for a language, as the UI would pass it. */
export function translator(lang: 'en' | 'de'): Translate {
  const i = createI18n(lang);
  return (key, params) => i.t(key, params as Record<string, unknown>);
}

/** A resolved P1: page at T0 (started 4 min earlier), acked +3, runbook steps, mitigated +13, resolved +40. */
export function resolvedIncident(): { incident: Incident; pages: Page[]; pageEvents: PageEvent[]; run: ChecklistRun; timeline: TimelineItem[] } {
  const received = receivedPage('p1', T0, { severity: 'P1', lead: 4 * MIN, title: 'CheckoutErrorRate' });
  const acked = ackPage(received.page, T0 + 3 * MIN);
  let incident = createIncidentFromPages([acked.page], { id: 'inc-7', by: 'ann' }, T0 + 5 * MIN).incident;
  const rb = checklistAsRunbook({ id: 'c', title: 'Checkout errors', items: ['Check the error dashboard', 'Roll back cart | service', 'Purge the CDN'], trigger: { kind: 'shiftStart', leadMinutes: 0 } });
  let run = startRun(rb, { id: 'run-1', by: 'ann', incidentId: 'inc-7' }, T0 + 6 * MIN).run;
  run = applyRunAction(run, { type: 'done', stepId: 'g1.s1', by: 'ann' }, T0 + 8 * MIN).run;
  run = applyRunAction(run, { type: 'done', stepId: 'g1.s2', by: 'ben' }, T0 + 12 * MIN + 500).run;
  run = applyRunAction(run, { type: 'skip', stepId: 'g1.s3', by: 'ann', reason: 'no CDN in front of checkout' }, T0 + 12 * MIN + 30_000).run;
  const steps: Array<[number, Parameters<typeof applyIncidentAction>[1]]> = [
    [T0 + 6 * MIN, { type: 'linkRun', by: 'ann', runId: 'run-1', title: 'Checkout errors' }],
    [T0 + 7 * MIN, { type: 'assignRole', by: 'ann', role: 'communications', person: 'cem' }],
    [T0 + 9 * MIN, { type: 'postUpdate', by: 'cem', text: 'Checkout failing for some users; rollback under way' }],
    [T0 + 13 * MIN, { type: 'setStatus', by: 'ann', status: 'monitoring', message: 'Rolled back, error rate falling' }],
    [T0 + 40 * MIN, { type: 'setStatus', by: 'ann', status: 'resolved' }],
  ];
  for (const [at, a] of steps) incident = applyIncidentAction(incident, a, at).incident;
  const pageEvents = [...received.events, ...acked.events];
  const timeline = buildTimeline(incident, { pages: [acked.page], pageEvents, runEvents: run.events, me: 'ann' });
  return { incident, pages: [acked.page], pageEvents, run, timeline };
}
