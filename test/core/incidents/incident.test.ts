import { describe, expect, it } from 'vitest';
import { applyIncidentAction, createIncident, createIncidentFromPages, sortIncidents, type IncidentAction } from '../../../src/core/incidents/incident';
import type { Incident } from '../../../src/core/incidents/model';
import { buildTimeline, computeMetrics, formatDuration, timelineMarkers } from '../../../src/core/incidents/timeline';
import { startRun, applyRunAction } from '../../../src/core/runbooks/run';
import { checklistAsRunbook } from '../../../src/core/runbooks/recurring';
import { ackPage, receivedPage } from './pages';

const T0 = Date.parse('2026-03-02T10:00:00Z');
const MIN = 60_000;

function apply(inc: Incident, actions: Array<[number, IncidentAction]>): Incident {
  return actions.reduce((acc, [at, a]) => applyIncidentAction(acc, a, at).incident, inc);
}

describe('incidents', () => {
  it('made from a group of pages: most urgent severity, earliest start and receipt, roles, targets', () => {
    const a = receivedPage('a', T0, { severity: 'P2', lead: 5 * MIN, title: 'DB latency' });
    const b = receivedPage('b', T0 + MIN, { severity: 'P1', lead: MIN, title: 'API errors' });
    const { incident, entries } = createIncidentFromPages([a.page, b.page], { id: 'inc-1', by: 'ann' }, T0 + 2 * MIN);
    expect(incident.title).toBe('API errors (+1)');
    expect(incident.severity).toBe('P1');
    expect(incident.updateIntervalMinutes).toBe(30);
    expect(incident.outageBeganAt).toBe(T0 - 5 * MIN);
    expect(incident.detectedAt).toBe(T0);
    expect(incident.roles).toEqual({ commander: 'ann', communications: null, contributors: [] });
    expect(entries.map((e) => e.kind)).toEqual(['created', 'pageAdded', 'pageAdded']);
    expect(incident.pageIds).toEqual(['a', 'b']);
  });

  it('refuses empty input with typed errors', () => {
    expect(() => createIncidentFromPages([], { id: 'x', by: 'ann' }, T0)).toThrow(/noPages/);
    expect(() => createIncident({ id: 'x', by: 'ann', title: '  ', severity: 'P3' }, T0)).toThrow(/titleEmpty/);
    const { incident } = createIncident({ id: 'x', by: 'ann', title: 'Disk', severity: 'P3' }, T0);
    expect(() => applyIncidentAction(incident, { type: 'note', by: 'ann', text: '' }, T0)).toThrow(/textEmpty/);
    expect(() => applyIncidentAction(incident, { type: 'setOutageStart', by: 'ann', at: T0 + MIN }, T0)).toThrow(/outageAfterDetection/);
  });

  it('records roles, status changes and notes with who and when; repeats record nothing', () => {
    let inc = createIncident({ id: 'i', by: 'ann', title: 'Checkout down', severity: 'P1' }, T0).incident;
    inc = apply(inc, [
      [T0 + MIN, { type: 'assignRole', by: 'ann', role: 'communications', person: 'cem' }],
      [T0 + MIN, { type: 'addContributor', by: 'ann', person: 'dora' }],
      [T0 + 2 * MIN, { type: 'setStatus', by: 'ann', status: 'identified', message: 'Bad deploy of cart service' }],
      [T0 + 3 * MIN, { type: 'note', by: 'dora', text: 'rolling back' }],
    ]);
    expect(inc.roles).toEqual({ commander: 'ann', communications: 'cem', contributors: ['dora'] });
    expect(applyIncidentAction(inc, { type: 'assignRole', by: 'x', role: 'communications', person: 'cem' }, T0 + 9 * MIN).entries).toEqual([]);
    expect(inc.entries.map((e) => [e.kind, e.by, e.at - T0])).toEqual([
      ['created', 'ann', 0],
      ['roleAssigned', 'ann', MIN],
      ['contributorAdded', 'ann', MIN],
      ['statusChanged', 'ann', 2 * MIN],
      ['note', 'dora', 3 * MIN],
    ]);
    expect(inc.entries[3]!.params).toEqual({ from: 'investigating', to: 'identified' });
    expect(inc.lastStatusUpdateAt).toBe(T0 + 2 * MIN);
    expect(inc.acknowledgedAt).toBe(T0 + 2 * MIN);
  });

  it('merges page events, incident entries and runbook steps into one timeline and derives the metrics', () => {
    const received = receivedPage('p1', T0, { severity: 'P1', lead: 4 * MIN, title: 'KubePodCrashLooping' });
    const acked = ackPage(received.page, T0 + 3 * MIN);
    let inc = createIncidentFromPages([acked.page], { id: 'inc', by: 'ann' }, T0 + 5 * MIN).incident;
    const rb = checklistAsRunbook({ id: 'c', title: 'Crash loop', items: ['Read logs', 'Roll back'], trigger: { kind: 'shiftStart', leadMinutes: 0 } });
    let run = startRun(rb, { id: 'run-1', by: 'ann', incidentId: 'inc' }, T0 + 6 * MIN).run;
    run = applyRunAction(run, { type: 'done', stepId: 'g1.s1', by: 'ann' }, T0 + 8 * MIN).run;
    run = applyRunAction(run, { type: 'done', stepId: 'g1.s2', by: 'ann' }, T0 + 12 * MIN).run;
    inc = apply(inc, [
      [T0 + 6 * MIN, { type: 'linkRun', by: 'ann', runId: 'run-1', title: 'Crash loop' }],
      [T0 + 13 * MIN, { type: 'setStatus', by: 'ann', status: 'monitoring', message: 'Rolled back, watching' }],
      [T0 + 14 * MIN, { type: 'note', by: 'ann', text: 'error rate back to normal' }],
      [T0 + 40 * MIN, { type: 'setStatus', by: 'ann', status: 'resolved' }],
    ]);
    const timeline = buildTimeline(inc, { pages: [acked.page], pageEvents: [...received.events, ...acked.events, { pageId: 'other', kind: 'received', at: T0 }], runEvents: run.events, me: 'ann' });
    expect(timeline.map((i) => [(i.at - T0) / MIN, i.source, i.kind, i.by])).toEqual([
      [0, 'page', 'pageReceived', 'alertmanager'],
      [3, 'page', 'pageAcknowledged', 'ann'],
      [5, 'incident', 'created', 'ann'],
      [5, 'incident', 'pageAdded', 'ann'],
      [6, 'incident', 'runLinked', 'ann'],
      [6, 'runbook', 'runStarted', 'ann'],
      [8, 'runbook', 'stepDone', 'ann'],
      [12, 'runbook', 'stepDone', 'ann'],
      [13, 'incident', 'statusChanged', 'ann'],
      [14, 'incident', 'note', 'ann'],
      [40, 'incident', 'statusChanged', 'ann'],
    ]);
    expect(timeline[7]!.text).toBe('Roll back');
    const m = computeMetrics(inc, timeline);
    expect(m).toEqual({
      outageBeganAt: T0 - 4 * MIN,
      detectedAt: T0,
      acknowledgedAt: T0 + 3 * MIN,
      mitigatedAt: T0 + 13 * MIN,
      resolvedAt: T0 + 40 * MIN,
      timeToDetect: 4 * MIN,
      timeToAcknowledge: 3 * MIN,
      timeToMitigate: 17 * MIN,
      timeToResolve: 44 * MIN,
    });
    expect(timelineMarkers(m).map((x) => x.marker)).toEqual(['outageBegins', 'mitigated', 'ends']);
    expect(formatDuration(m.timeToResolve!)).toBe('44m');
    expect(formatDuration(65 * MIN)).toBe('1h 05m');
  });

  it('reopening clears the resolution; metrics show nothing not yet reached', () => {
    let inc = createIncident({ id: 'i', by: 'ann', title: 'x', severity: 'P3' }, T0).incident;
    inc = apply(inc, [
      [T0 + MIN, { type: 'setStatus', by: 'ann', status: 'resolved' }],
      [T0 + 2 * MIN, { type: 'setStatus', by: 'ann', status: 'investigating' }],
    ]);
    expect(inc.resolvedAt).toBeNull();
    const m = computeMetrics(inc, buildTimeline(inc));
    expect(m.timeToResolve).toBeNull();
    expect(m.timeToMitigate).toBe(MIN);
  });

  it('a severity change follows the new cadence unless a custom one was set', () => {
    let inc = createIncident({ id: 'i', by: 'ann', title: 'x', severity: 'P3' }, T0).incident;
    inc = applyIncidentAction(inc, { type: 'setSeverity', by: 'ann', severity: 'P1' }, T0).incident;
    expect(inc.updateIntervalMinutes).toBe(30);
    inc = applyIncidentAction(inc, { type: 'setUpdateInterval', by: 'ann', minutes: 10 }, T0).incident;
    inc = applyIncidentAction(inc, { type: 'setSeverity', by: 'ann', severity: 'P2' }, T0).incident;
    expect(inc.updateIntervalMinutes).toBe(10);
    expect(() => applyIncidentAction(inc, { type: 'setUpdateInterval', by: 'ann', minutes: 0 }, T0)).toThrow(/intervalInvalid/);
  });

  it('lists open incidents first, most urgent first, then recently resolved', () => {
    const mk = (id: string, severity: 'P1' | 'P3', at: number, resolvedAt?: number) => {
      let i = createIncident({ id, by: 'a', title: id, severity }, at).incident;
      if (resolvedAt) i = applyIncidentAction(i, { type: 'setStatus', by: 'a', status: 'resolved' }, resolvedAt).incident;
      return i;
    };
    const list = [mk('old-res', 'P1', T0, T0 + MIN), mk('p3', 'P3', T0), mk('p1', 'P1', T0 - MIN), mk('new-res', 'P3', T0, T0 + 5 * MIN)];
    expect(sortIncidents(list).map((i) => i.id)).toEqual(['p1', 'p3', 'new-res', 'old-res']);
  });
});
