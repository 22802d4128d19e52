import { describe, expect, it } from 'vitest';
import { evaluateAlarms } from '../../../src/core/alarms/evaluate';
import { defaultAlarmPolicy } from '../../../src/core/alarms/policy';
import { emptyAlarmState, type AlarmState } from '../../../src/core/alarms/state';
import { DEFAULT_HEARTBEAT_MATCHERS } from '../../../src/core/pager/heartbeat';
import { emptyState, reduce } from '../../../src/core/pager/live-state';
import { signal } from '../../helpers/fixtures';

const MIN = 60_000;

describe('Undo and escalation', () => {
  it('taking back an acknowledgement does not make an escalation that already ran fire again: targets count from the Undo', () => {
    const policy = { coalesceMs: 30_000, heartbeats: DEFAULT_HEARTBEAT_MATCHERS, keepResolvedMs: 86_400_000 };
    const pager = emptyState();
    const t0 = Date.UTC(2026, 10, 21, 3, 0);
    reduce(pager, { type: 'signals', at: t0, signals: [signal({ id: 'am:1', groupKey: 'g', severity: 'P1', title: 'DiskFull', startsAt: t0 })], groups: [] }, policy);
    let alarms: AlarmState = emptyAlarmState();
    const evaluate = (now: number) => {
      const r = evaluateAlarms(alarms, { pages: pager.pages.values(), policy: defaultAlarmPolicy(), rota: null, timeZone: 'UTC', now });
      alarms = r.state;
      return r.actions.map((a) => a.type);
    };
    expect(evaluate(t0)).toContain('startAlarm');
    // the P1's 15-minute response target passes: level 1 is called
    expect(evaluate(t0 + 16 * MIN)).toContain('escalate');
    const ackAt = t0 + 20 * MIN;
    reduce(pager, { type: 'acknowledge', at: ackAt, target: { ids: ['am:1'] }, by: 'me' }, policy);
    expect(evaluate(ackAt)).toContain('stopAlarm');
    // a misclick taken back 3 s later: the page waits again (the alarm sounds), but nobody is called twice
    reduce(pager, { type: 'unacknowledge', at: ackAt + 3_000, ids: ['am:1'], by: 'me' }, policy);
    const afterUndo = evaluate(ackAt + 3_000);
    expect(afterUndo).toContain('startAlarm');
    expect(afterUndo).not.toContain('escalate');
    // unanswered for a full target after the Undo, escalation resumes
    expect(evaluate(ackAt + 3_000 + 16 * MIN)).toContain('escalate');
  });
});
