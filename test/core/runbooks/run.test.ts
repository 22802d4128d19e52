import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RunbookError } from '../../../src/core/runbooks/errors';
import { parseRunbook } from '../../../src/core/runbooks/parse';
import { applyRunAction, nextStep, restoreRun, runbookChangedSince, runElapsed, runProgress, startRun, stepElapsed, type ChecklistRun, type RunAction } from '../../../src/core/runbooks/run';
import { fixture, fixtureText } from './fixtures';

const T0 = Date.parse('2026-03-02T10:00:00Z');
const MIN = 60_000;

/** A fake clock the tests move by hand. */
function clock(start = T0) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('a checklist run', () => {
  it('timestamps every action and reports elapsed time', () => {
    const c = clock();
    const rb = fixture('database/postgres-replication-lag.md');
    const started = startRun(rb, { id: 'run-1', by: 'ann', incidentId: 'inc-1' }, c.now());
    let run = started.run;
    expect(started.events).toEqual([{ runId: 'run-1', at: T0, by: 'ann', kind: 'runStarted', stepId: null, stepText: null, text: 'PostgreSQL replication lag' }]);
    const act = (a: RunAction) => {
      const r = applyRunAction(run, a, c.now());
      run = r.run;
      return r.events;
    };
    c.advance(MIN);
    act({ type: 'start', stepId: 'g1.s1', by: 'ann' });
    c.advance(2 * MIN);
    expect(act({ type: 'done', stepId: 'g1.s1', by: 'ann' })).toEqual([
      { runId: 'run-1', at: T0 + 3 * MIN, by: 'ann', kind: 'stepDone', stepId: 'g1.s1', stepText: 'Check the lag on every replica:', text: null },
    ]);
    expect(stepElapsed(run, 'g1.s1', c.now())).toBe(2 * MIN);
    c.advance(MIN);
    act({ type: 'skip', stepId: 'g1.s3', by: 'ann', reason: 'it is a migration, not a report' });
    act({ type: 'note', stepId: 'g1.s2', by: 'ben', text: 'VACUUM running on replica 2' });
    expect(run.stepStates['g1.s3']).toEqual({ status: 'skipped', startedAt: null, finishedAt: T0 + 4 * MIN, skipReason: 'it is a migration, not a report' });
    expect(runProgress(run)).toEqual({ total: 4, done: 1, skipped: 1, started: 0, pending: 2 });
    expect(nextStep(run)?.id).toBe('g1.s2');
    expect(runElapsed(run, c.now())).toBe(4 * MIN);
    c.advance(MIN);
    act({ type: 'finish', by: 'ann' });
    c.advance(60 * MIN);
    expect(runElapsed(run, c.now())).toBe(5 * MIN);
    expect(run.events.map((e) => [e.kind, e.at - T0, e.by])).toEqual([
      ['runStarted', 0, 'ann'],
      ['stepStarted', MIN, 'ann'],
      ['stepDone', 3 * MIN, 'ann'],
      ['stepSkipped', 4 * MIN, 'ann'],
      ['stepNote', 4 * MIN, 'ben'],
      ['runFinished', 5 * MIN, 'ann'],
    ]);
  });

  it('refuses a skip without reason, unknown steps, and changes after the end', () => {
    const rb = fixture('shift/shift-start.md');
    const { run } = startRun(rb, { id: 'r', by: 'ann' }, T0);
    expect(() => applyRunAction(run, { type: 'skip', stepId: 'g1.s1', by: 'ann', reason: '  ' }, T0)).toThrow(RunbookError);
    expect(() => applyRunAction(run, { type: 'done', stepId: 'nope', by: 'ann' }, T0)).toThrow(/runStepUnknown/);
    const ended = applyRunAction(run, { type: 'abandon', by: 'ann', reason: 'false alarm' }, T0).run;
    expect(() => applyRunAction(ended, { type: 'done', stepId: 'g1.s1', by: 'ann' }, T0)).toThrow(/runFinished/);
    expect(applyRunAction(ended, { type: 'note', stepId: null, by: 'ann', text: 'closing note' }, T0).events).toHaveLength(1);
  });

  it('covers sub-steps and only the chosen alternative', () => {
    const shift = startRun(fixture('shift/shift-start.md'), { id: 'r', by: 'ann' }, T0).run;
    expect(shift.steps.map((s) => [s.id, s.parentId])).toContainEqual(['g1.s2.1', 'g1.s2']);
    const cert = startRun(fixture('web/CertificateExpiry.md'), { id: 'r2', by: 'ann', groupIds: ['g3'] }, T0).run;
    expect(cert.steps.map((s) => s.text)).toEqual(['Request a new certificate with certbot.', 'Upload it to the load balancer.']);
  });

  it('resumes after a restart exactly where it was', () => {
    const c = clock();
    let run = startRun(fixture('kubernetes/KubePodCrashLooping.md'), { id: 'r', by: 'ann' }, c.now()).run;
    c.advance(MIN);
    run = applyRunAction(run, { type: 'done', stepId: 'g1.s1', by: 'ann' }, c.now()).run;
    run = applyRunAction(run, { type: 'start', stepId: 'g1.s2', by: 'ann' }, c.now()).run;
    const saved = JSON.stringify(run);
    const resumed = restoreRun(saved);
    expect(resumed).toEqual(run);
    expect(nextStep(resumed)?.id).toBe('g1.s2');
    c.advance(MIN);
    const after = applyRunAction(resumed, { type: 'done', stepId: 'g1.s2', by: 'ann' }, c.now()).run;
    expect(after.stepStates['g1.s2']).toEqual({ status: 'done', startedAt: T0 + MIN, finishedAt: T0 + 2 * MIN, skipReason: null });
  });

  it('refuses damaged saved state as a whole', () => {
    const run = startRun(fixture('shift/shift-start.md'), { id: 'r', by: 'ann' }, T0).run;
    expect(() => restoreRun('{not json')).toThrow(RunbookError);
    expect(() => restoreRun({ ...run, status: 'exploded' })).toThrow(/runStateInvalid/);
    const { ['g1.s1']: _gone, ...rest } = run.stepStates;
    expect(() => restoreRun({ ...run, stepStates: rest })).toThrow(/g1\.s1/);
  });

  it('keeps the version it started with when the file changes mid-run', () => {
    const text = fixtureText('database/postgres-replication-lag.md');
    const v1 = parseRunbook(text, { path: 'database/postgres-replication-lag.md' });
    let run = startRun(v1, { id: 'r', by: 'ann' }, T0).run;
    run = applyRunAction(run, { type: 'done', stepId: 'g1.s1', by: 'ann' }, T0 + MIN).run;
    // Someone inserts a new first step in the ops repo while the incident goes on.
    const v2 = parseRunbook(text.replace('1. Check the lag', '1. Announce in #db-oncall\n2. Check the lag'), { path: v1.path });
    expect(v2.groups[0]!.steps[0]!.text).toBe('Announce in #db-oncall');
    expect(runbookChangedSince(run, v2)).toBe(true);
    expect(runbookChangedSince(run, v1)).toBe(false);
    expect(run.runbookVersion).toBe(v1.version);
    expect(run.steps[0]!.text).toBe('Check the lag on every replica:');
    expect(run.groups[0]!.steps[0]!.text).toBe('Check the lag on every replica:');
    const next = applyRunAction(run, { type: 'done', stepId: 'g1.s2', by: 'ann' }, T0 + 2 * MIN);
    expect(next.events[0]!.stepText).toMatch(/^Look for long-running queries/);
  });

  it('never loses a done step to a repeated or out-of-order action (property)', () => {
    const rb = fixture('shift/shift-start.md');
    const start = startRun(rb, { id: 'r', by: 'ann' }, T0).run;
    const ids = start.steps.map((s) => s.id);
    const action = fc.record({ type: fc.constantFrom('start', 'done', 'reopen', 'note'), stepId: fc.constantFrom(...ids) });
    fc.assert(
      fc.property(fc.array(action, { maxLength: 40 }), (actions) => {
        let run: ChecklistRun = start;
        let t = T0;
        for (const a of actions) {
          t += 1000;
          const full = (a.type === 'note' ? { ...a, by: 'x', text: 'n' } : { ...a, by: 'x' }) as RunAction;
          const before = run.stepStates[a.stepId]!;
          run = applyRunAction(run, full, t).run;
          const after = run.stepStates[a.stepId]!;
          if (before.status === 'done' && a.type !== 'reopen' && after.finishedAt !== before.finishedAt) return false;
        }
        const times = run.events.map((e) => e.at);
        return times.every((v, i) => i === 0 || v >= times[i - 1]!);
      }),
    );
  });
});
