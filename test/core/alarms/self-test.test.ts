import { describe, expect, it } from 'vitest';
import {
  emptySelfTestLog,
  recordCheck,
  restoreSelfTestLog,
  SELF_TEST_CHECKS,
  SELF_TEST_KEEP,
  selfTestStatus,
  startSelfTest,
  type CheckResult,
  type SelfTestLog,
} from '../../../src/core/alarms/self-test';

const T0 = Date.UTC(2026, 10, 23, 8, 0);
const result = (check: CheckResult['check'], outcome: CheckResult['outcome'], at: number): CheckResult => ({
  check,
  outcome,
  at,
  reason: outcome === 'fail' ? { code: 'sources.errors.network', params: { message: 'ECONNREFUSED' } } : null,
});

function run(log: SelfTestLog, at: number, outcomes: Partial<Record<CheckResult['check'], CheckResult['outcome']>>): SelfTestLog {
  let next = startSelfTest(log, at);
  for (const check of SELF_TEST_CHECKS) next = recordCheck(next, result(check, outcomes[check] ?? 'pass', at + 1000));
  return next;
}

describe('pre-shift self-test', () => {
  it('logs each result with its timestamp', () => {
    const log = run(emptySelfTestLog(), T0, { relay: 'skipped' });
    expect(log.runs).toHaveLength(1);
    expect(log.runs[0]!.results.map((r) => [r.check, r.outcome, r.at])).toEqual(SELF_TEST_CHECKS.map((c) => [c, c === 'relay' ? 'skipped' : 'pass', T0 + 1000]));
    expect(selfTestStatus(log)).toEqual({ failing: [], lastPassedAt: T0, lastRunAt: T0 });
  });

  it('a failure stays visible through later runs that skip that check, until it passes', () => {
    let log = run(emptySelfTestLog(), T0, { alarmHeard: 'fail' });
    expect(selfTestStatus(log).failing.map((r) => r.check)).toEqual(['alarmHeard']);
    // a later run where the user only re-checked the sources
    log = recordCheck(startSelfTest(log, T0 + 3600_000), result('sources', 'pass', T0 + 3600_000));
    expect(selfTestStatus(log).failing.map((r) => r.check)).toEqual(['alarmHeard']);
    expect(selfTestStatus(log).lastPassedAt).toBeNull();
    log = recordCheck(log, result('alarmHeard', 'pass', T0 + 3700_000));
    expect(selfTestStatus(log).failing).toEqual([]);
  });

  it('a check answered twice in one run keeps the later answer', () => {
    let log = startSelfTest(emptySelfTestLog(), T0);
    log = recordCheck(log, result('notificationSeen', 'fail', T0 + 1));
    log = recordCheck(log, result('notificationSeen', 'pass', T0 + 2));
    expect(log.runs[0]!.results).toEqual([result('notificationSeen', 'pass', T0 + 2)]);
  });

  it('keeps a bounded log', () => {
    let log = emptySelfTestLog();
    for (let i = 0; i < SELF_TEST_KEEP + 5; i++) log = startSelfTest(log, T0 + i);
    expect(log.runs).toHaveLength(SELF_TEST_KEEP);
    expect(log.runs[0]!.startedAt).toBe(T0 + 5);
  });

  it('refuses an unknown check by name', () => {
    expect(() => recordCheck(emptySelfTestLog(), { ...result('sources', 'pass', T0), check: 'volume' as never })).toThrow(
      expect.objectContaining({ alarmCode: 'unknownCheck', params: { check: 'volume' } }),
    );
  });

  it('a broken saved log starts empty and says so; a good one round-trips', () => {
    expect(restoreSelfTestLog({ runs: [{ startedAt: 'x' }] }).error?.alarmCode).toBe('stateUnreadable');
    const log = run(emptySelfTestLog(), T0, { notMuted: 'fail' });
    expect(restoreSelfTestLog(JSON.parse(JSON.stringify(log)))).toEqual({ log, error: null });
  });
});
