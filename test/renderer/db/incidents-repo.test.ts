import { describe, expect, it } from 'vitest';
import { computeMetrics } from '../../../src/core/incidents/timeline';
import { postmortemToJson, prefillPostmortem } from '../../../src/core/reports/postmortem';
import { parseRunbook } from '../../../src/core/runbooks/parse';
import { runbookChangedSince } from '../../../src/core/runbooks/run';
import { OnCallDb } from '../../../src/renderer/db/database';
import { applyStoredIncidentAction, applyStoredRunAction, createIncidentFromStoredPages, loadIncidentDetail, reminderSync, startRunbookRun } from '../../../src/renderer/db/incidents-repo';
import { storeDelivery } from '../../../src/renderer/db/pages-repo';
import { editStoredPostmortem, importPostmortemJson, postmortemOfIncident, savePostmortem } from '../../../src/renderer/db/reports-repo';
import { delivery, signal } from '../../helpers/fixtures';

let n = 0;
const T = Date.parse('2026-11-20T03:00:00Z');
const MIN = 60_000;
const SOURCE = '# Disk full\n\n## Mitigation\n\n1. Find the biggest files\n2. Rotate the logs\n3. Grow the volume\n';
const runbook = (text = SOURCE) => parseRunbook(text, { path: 'disk.md' });
const t = (key: string, p?: Record<string, unknown>) => `${key}${p ? ` ${JSON.stringify(p)}` : ''}`;

async function pageIn(db: OnCallDb) {
  await storeDelivery(db, delivery({ id: 'd1', receivedAt: T, signals: [signal({ id: 'p1', groupKey: 'g1', title: 'DiskAlmostFull', severity: 'P1', startsAt: T - 2 * MIN })] }), T);
  return (await db.pages.get('p1'))!;
}

describe('checklist runs and incidents in Dexie', () => {
  it('a run survives a restart and resumes where it was; a runbook file changed mid-run is noticed, the run keeps its version', async () => {
    const name = `incidents-${++n}`;
    let db = new OnCallDb(name);
    const run = await startRunbookRun(db, runbook(), { id: 'r1', by: 'ann', pageId: 'p1' }, T);
    const [s1, s2] = run.steps;
    await applyStoredRunAction(db, 'r1', { type: 'done', stepId: s1!.id, by: 'ann' }, T + MIN);
    await applyStoredRunAction(db, 'r1', { type: 'start', stepId: s2!.id, by: 'ann' }, T + 2 * MIN);
    db.close();

    db = new OnCallDb(name);
    const resumed = (await db.runs.get('r1'))!;
    expect(resumed.stepStates[s1!.id]).toMatchObject({ status: 'done', finishedAt: T + MIN });
    expect(resumed.stepStates[s2!.id]).toMatchObject({ status: 'started', startedAt: T + 2 * MIN });
    const after = await applyStoredRunAction(db, 'r1', { type: 'skip', stepId: s2!.id, by: 'ann', reason: 'not needed' }, T + 3 * MIN);
    expect(after.events.map((e) => e.kind)).toEqual(['runStarted', 'stepDone', 'stepStarted', 'stepSkipped']);

    const edited = runbook(SOURCE.replace('Grow the volume', 'Call storage on-call'));
    expect(runbookChangedSince(after, edited)).toBe(true);
    expect(after.steps.map((s) => s.text)).toContain('Grow the volume');
  });

  it('a refused action leaves the stored run as it was', async () => {
    const db = new OnCallDb(`incidents-${++n}`);
    const run = await startRunbookRun(db, runbook(), { id: 'r1', by: 'ann' }, T);
    await expect(applyStoredRunAction(db, 'r1', { type: 'skip', stepId: run.steps[0]!.id, by: 'ann', reason: '  ' }, T + MIN)).rejects.toMatchObject({ code: 'skipNeedsReason' });
    expect(await db.runs.get('r1')).toEqual(run);
  });

  it('an incident made from a page takes in the runs started on it; its timeline merges page events, steps and notes in time order', async () => {
    const db = new OnCallDb(`incidents-${++n}`);
    const page = await pageIn(db);
    const run = await startRunbookRun(db, runbook(), { id: 'r1', by: 'ann', pageId: 'p1' }, T + MIN);
    for (const [i, s] of run.steps.entries()) await applyStoredRunAction(db, 'r1', { type: 'done', stepId: s.id, by: 'ann' }, T + (2 + i) * MIN);
    const incident = await createIncidentFromStoredPages(db, [page], { id: 'i1', by: 'ann' }, T + 6 * MIN);
    expect(incident).toMatchObject({ severity: 'P1', title: 'DiskAlmostFull', runIds: ['r1'], pageIds: ['p1'], detectedAt: T });
    expect((await db.runs.get('r1'))?.incidentId).toBe('i1');

    await applyStoredIncidentAction(db, 'i1', { type: 'note', by: 'ann', text: 'Logs rotated, 40% free' }, T + 7 * MIN);
    await applyStoredIncidentAction(db, 'i1', { type: 'setStatus', by: 'ann', status: 'resolved' }, T + 8 * MIN);
    const detail = (await loadIncidentDetail(db, 'i1', 'ann'))!;
    const kinds = detail.timeline.map((i) => `${i.source}:${i.kind}`);
    expect(kinds).toEqual(['page:pageReceived', 'runbook:runStarted', 'runbook:stepDone', 'runbook:stepDone', 'runbook:stepDone', 'incident:created', 'incident:pageAdded', 'incident:runLinked', 'incident:note', 'incident:statusChanged']);
    expect(detail.timeline.filter((i) => i.kind === 'stepDone').map((i) => i.at)).toEqual([T + 2 * MIN, T + 3 * MIN, T + 4 * MIN]);
    expect(computeMetrics(detail.incident, detail.timeline)).toMatchObject({ timeToResolve: 10 * MIN });
    // a resolved incident is no longer sent to main for reminders
    expect(reminderSync([detail.incident], 'UTC', 'en').incidents).toEqual([]);
  });

  it('a postmortem draft autosaves edit by edit; a refused edit keeps the stored draft; it comes back from its JSON', async () => {
    const db = new OnCallDb(`incidents-${++n}`);
    const page = await pageIn(db);
    await createIncidentFromStoredPages(db, [page], { id: 'i1', by: 'ann' }, T + MIN);
    const detail = (await loadIncidentDetail(db, 'i1', 'ann'))!;
    const draft = prefillPostmortem({ id: 'pm1', incident: detail.incident, timeline: detail.timeline, runs: detail.runs, authors: ['ann'], timeZone: 'UTC', t }, T + 2 * MIN);
    await savePostmortem(db, draft);
    await editStoredPostmortem(db, 'pm1', { summary: 'The disk filled up.' }, T + 3 * MIN);
    await expect(editStoredPostmortem(db, 'pm1', { title: '' }, T + 4 * MIN)).rejects.toMatchObject({ code: 'schemaMismatch', params: { field: 'title' } });
    const stored = (await postmortemOfIncident(db, 'i1'))!;
    expect(stored).toMatchObject({ summary: 'The disk filled up.', title: 'DiskAlmostFull', updatedAt: T + 3 * MIN });

    const json = postmortemToJson(stored);
    await db.postmortems.clear();
    expect(await importPostmortemJson(db, json)).toEqual(stored);
    await expect(importPostmortemJson(db, '{"schemaVersion":1}')).rejects.toMatchObject({ code: 'schemaMismatch' });
  });
});
