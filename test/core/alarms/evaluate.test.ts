import { describe, expect, it } from 'vitest';
import { notificationFor } from '../../../src/core/alarms/evaluate';
import { alarmPolicySchema, defaultAlarmPolicy } from '../../../src/core/alarms/policy';
import { afterRestart, emptyAlarmState, restoreAlarmState, setDoNotDisturb, snooze } from '../../../src/core/alarms/state';
import { Harness, MIN, T0, types } from './helpers';

const ctx = (h: Harness) => ({ policy: h.policy, rota: h.rota, timeZone: h.timeZone, now: h.now });

describe('policy per severity (defaults)', () => {
  it('P1: the alarm starts and the alert window shows at once, and neither is re-sent while it plays', () => {
    const h = new Harness();
    const actions = h.fire('a', 'P1');
    expect(actions).toContainEqual(expect.objectContaining({ type: 'startAlarm', sound: 'alarm', severity: 'P1', groupKeys: ['g-a'] }));
    expect(actions).toContainEqual(expect.objectContaining({ type: 'showAlert', groupKey: 'g-a', pageId: 'a', count: 1, severity: 'P1' }));
    expect(notificationFor({ groupKey: 'g-a', severity: 'P1', pageIds: ['a'] }, h.state, ctx(h))).toEqual({ show: true, urgency: 'critical' });
    const later = h.advanceTo(T0 + 14 * MIN);
    expect(later.map((x) => x.action.type)).toEqual([]);
  });

  it('acknowledging during the alarm stops it and hides the window in that same evaluation', () => {
    const h = new Harness();
    h.fire('a', 'P1');
    h.now += 30_000;
    expect(types(h.acknowledge('a'))).toEqual(['stopAlarm', 'hideAlert']);
    expect(h.last!.nextWakeAt).toBeNull();
    expect(h.advanceTo(T0 + 2 * 3600_000)).toEqual([]);
  });

  it('P2: a chime at once, then notification and chime every 5 minutes until acknowledged', () => {
    const h = new Harness();
    expect(h.fire('b', 'P2')).toEqual([{ type: 'playSound', sound: 'chime', fallback: 'chime', severity: 'P2' }]);
    expect(h.last!.nextWakeAt).toBe(T0 + 5 * MIN);
    const got = h.advanceTo(T0 + 12 * MIN);
    expect(got.map((x) => [x.at - T0, x.action.type])).toEqual([
      [5 * MIN, 'notify'],
      [5 * MIN, 'playSound'],
      [10 * MIN, 'notify'],
      [10 * MIN, 'playSound'],
    ]);
    expect(got[0]!.action).toMatchObject({ reason: 'repeat', groupKey: 'g-b', count: 1 });
    h.acknowledge('b');
    expect(h.advanceTo(T0 + 3 * 3600_000)).toEqual([]);
  });

  it('P2 repeats follow the configured interval', () => {
    const policy = defaultAlarmPolicy();
    policy.severities.P2.repeatMinutes = 2;
    const h = new Harness(policy);
    h.fire('b', 'P2');
    expect(h.advanceTo(T0 + 4 * MIN).filter((x) => x.action.type === 'notify').map((x) => x.at - T0)).toEqual([2 * MIN, 4 * MIN]);
  });

  it('P3: notification only; P4: listed only', () => {
    const h = new Harness();
    expect(h.fire('c', 'P3')).toEqual([]);
    expect(h.fire('d', 'P4')).toEqual([]);
    expect(notificationFor({ groupKey: 'g-c', severity: 'P3', pageIds: ['c'] }, h.state, ctx(h))).toEqual({ show: true, urgency: 'normal' });
    expect(notificationFor({ groupKey: 'g-d', severity: 'P4', pageIds: ['d'] }, h.state, ctx(h))).toEqual({ show: false, urgency: 'low' });
    expect(h.advanceTo(T0 + 24 * 3600_000)).toEqual([]);
  });

  it('a policy from config.json can make P3 an alarm too', () => {
    const policy = alarmPolicySchema.parse({
      severities: { P3: { notify: true, sound: 'untilAcknowledged', soundFile: '/home/me/siren.wav', repeatMinutes: 5, alertWindow: false, breakThrough: false, responseTargetMinutes: null } },
    });
    const h = new Harness(policy);
    expect(h.fire('c', 'P3')).toEqual([{ type: 'startAlarm', sound: '/home/me/siren.wav', fallback: 'alarm', severity: 'P3', groupKeys: ['g-c'] }]);
  });

  it('the alert window follows the most urgent group and counts every page waiting', () => {
    const h = new Harness();
    h.fire('a', 'P1', 'g1');
    h.now += MIN;
    const actions = h.fire('b', 'P1', 'g2');
    expect(actions).toEqual([expect.objectContaining({ type: 'showAlert', groupKey: 'g2', pageId: 'b', count: 2 })]);
    h.now += MIN;
    expect(h.acknowledge('b')).toEqual([expect.objectContaining({ type: 'showAlert', groupKey: 'g1', count: 1 })]);
    expect(types(h.acknowledge('a'))).toEqual(['stopAlarm', 'hideAlert']);
  });
});

describe('quiet hours and Do Not Disturb', () => {
  it('DND on: P2 stays silent, P1 breaks through; DND off: what waited sounds at once', () => {
    const h = new Harness();
    h.state = setDoNotDisturb(h.state, { until: null }, h.now);
    expect(h.fire('b', 'P2')).toEqual([]);
    expect(notificationFor({ groupKey: 'g-b', severity: 'P2', pageIds: ['b'] }, h.state, ctx(h)).show).toBe(false);
    expect(types(h.fire('a', 'P1'))).toEqual(['startAlarm', 'showAlert']);
    expect(h.advanceTo(T0 + 20 * MIN).map((x) => x.action.type)).toEqual(['escalate', 'notify']);
    h.state = setDoNotDisturb(h.state, null, h.now);
    const actions = h.run();
    expect(actions).toContainEqual(expect.objectContaining({ type: 'notify', reason: 'quietEnded', groupKey: 'g-b' }));
    expect(actions).toContainEqual(expect.objectContaining({ type: 'playSound', severity: 'P2' }));
    // once: not again as a repeat in the same round
    expect(actions.filter((a) => a.type === 'notify' && a.groupKey === 'g-b')).toHaveLength(1);
  });

  it('a page that arrived in a short quiet spell is announced the moment quiet ends, not at its next repeat, and only once', () => {
    const h = new Harness();
    h.state = setDoNotDisturb(h.state, { until: T0 + 2 * MIN }, h.now);
    // P3 is notification only: without this it would never be announced at all
    expect(h.fire('c', 'P3')).toEqual([]);
    expect(h.fire('b', 'P2')).toEqual([]);
    const got = h.advanceTo(T0 + 2 * MIN);
    expect(got.map((x) => [x.at - T0, x.action.type, 'reason' in x.action ? x.action.reason : x.action.type === 'playSound' ? x.action.severity : ''])).toEqual([
      [2 * MIN, 'notify', 'quietEnded'],
      [2 * MIN, 'playSound', 'P2'],
      [2 * MIN, 'notify', 'quietEnded'],
    ]);
    expect(h.run()).toEqual([]);
  });

  it('DND until a time wakes the evaluation when it ends', () => {
    const h = new Harness();
    h.state = setDoNotDisturb(h.state, { until: T0 + 30 * MIN }, h.now);
    h.fire('b', 'P2');
    expect(h.last!.nextWakeAt).toBe(T0 + 30 * MIN);
    const got = h.advanceTo(T0 + 30 * MIN);
    expect(got.map((x) => [x.at - T0, x.action.type])).toEqual([
      [30 * MIN, 'notify'],
      [30 * MIN, 'playSound'],
    ]);
    expect(h.state.dnd).toBeNull();
  });

  it('DND cannot end in the past', () => {
    expect(() => setDoNotDisturb(emptyAlarmState(), { until: T0 - 1 }, T0)).toThrow(expect.objectContaining({ alarmCode: 'dndInPast' }));
  });

  it('quiet hours across midnight in the user zone: silent 22:00–07:00 Berlin, loud again at 07:00 sharp', () => {
    const policy = alarmPolicySchema.parse({ quietHours: { mode: 'schedule', start: '22:00', end: '07:00' } });
    const h = new Harness(policy, 'Europe/Berlin');
    h.now = Date.UTC(2026, 10, 23, 22, 30); // 23:30 in Berlin (UTC+1)
    expect(h.fire('b', 'P2')).toEqual([]);
    expect(types(h.fire('a', 'P1'))).toEqual(['startAlarm', 'showAlert']);
    h.acknowledge('a');
    const sevenBerlin = Date.UTC(2026, 10, 24, 6, 0);
    expect(h.last!.nextWakeAt).toBe(sevenBerlin);
    const got = h.advanceTo(sevenBerlin);
    // it waited past its 2 h target in quiet hours: one escalation re-alert, not a repeat on top
    expect(got.map((x) => [x.at, x.action.type])).toEqual([
      [sevenBerlin, 'escalate'],
      [sevenBerlin, 'notify'],
      [sevenBerlin, 'playSound'],
    ]);
    expect(got[1]!.action).toMatchObject({ reason: 'escalation' });
  });

  it('quiet hours hold just before the end and not just before the start', () => {
    const policy = alarmPolicySchema.parse({ quietHours: { mode: 'schedule', start: '22:00', end: '07:00' } });
    const h = new Harness(policy, 'Europe/Berlin');
    h.now = Date.UTC(2026, 10, 23, 20, 59); // 21:59 Berlin
    expect(notificationFor({ groupKey: 'g', severity: 'P2', pageIds: ['x'] }, h.state, ctx(h)).show).toBe(true);
    h.now = Date.UTC(2026, 10, 23, 21, 0); // 22:00
    expect(notificationFor({ groupKey: 'g', severity: 'P2', pageIds: ['x'] }, h.state, ctx(h)).show).toBe(false);
    h.now = Date.UTC(2026, 10, 24, 5, 59); // 06:59
    expect(notificationFor({ groupKey: 'g', severity: 'P2', pageIds: ['x'] }, h.state, ctx(h)).show).toBe(false);
  });

  it('quiet hours that follow the rota: quiet off call, loud from the moment the shift starts', () => {
    const policy = alarmPolicySchema.parse({ quietHours: { mode: 'rota' } });
    const h = new Harness(policy);
    const shiftStart = T0 + 3 * 3600_000;
    h.rota = { onCall: false, changesAt: shiftStart };
    expect(h.fire('b', 'P2')).toEqual([]);
    expect(h.last!.nextWakeAt).toBe(shiftStart - 30 * MIN); // the self-test offer, 30 min before the shift
    h.rota = { onCall: true, changesAt: shiftStart + 8 * 3600_000 };
    h.now = shiftStart;
    expect(types(h.run())).toEqual(['escalate', 'notify', 'playSound']);
  });

  it('without a rota, quiet-by-rota is never quiet', () => {
    const policy = alarmPolicySchema.parse({ quietHours: { mode: 'rota' } });
    const h = new Harness(policy);
    expect(types(h.fire('b', 'P2'))).toEqual(['playSound']);
  });
});

describe('snooze', () => {
  it('a snoozed P1 goes silent and comes back at exactly the end of the snooze if still firing', () => {
    const h = new Harness();
    h.fire('a', 'P1');
    h.now += MIN;
    h.state = snooze(h.state, { ids: ['a'] }, 15, h.now);
    expect(types(h.run())).toEqual(['stopAlarm', 'hideAlert']);
    const end = T0 + 16 * MIN;
    expect(h.last!.nextWakeAt).toBe(end);
    const got = h.advanceTo(end);
    expect(got.map((x) => [x.at, x.action.type])).toEqual([
      [end, 'notify'],
      [end, 'startAlarm'],
      [end, 'showAlert'],
    ]);
    expect(got[0]!.action).toMatchObject({ reason: 'snoozeEnded' });
  });

  it('a page acknowledged during its snooze does not come back', () => {
    const h = new Harness();
    h.fire('b', 'P2');
    h.state = snooze(h.state, { ids: ['b'] }, 30, h.now);
    h.run();
    h.now += 10 * MIN;
    h.acknowledge('b');
    expect(h.advanceTo(T0 + 3 * 3600_000)).toEqual([]);
  });

  it('a group snooze also covers pages that join the group meanwhile, and escalation restarts after it', () => {
    const h = new Harness();
    h.fire('a', 'P1', 'grp');
    h.state = snooze(h.state, { groupKey: 'grp' }, 60, h.now);
    expect(types(h.run())).toEqual(['stopAlarm', 'hideAlert']);
    h.now += 20 * MIN;
    expect(h.fire('a2', 'P1', 'grp')).toEqual([]);
    expect(notificationFor({ groupKey: 'grp', severity: 'P1', pageIds: ['a2'] }, h.state, ctx(h)).show).toBe(false);
    const back = T0 + 60 * MIN;
    const got = h.advanceTo(back + 15 * MIN);
    expect(got.map((x) => [x.at - T0, x.action.type])).toEqual([
      [60 * MIN, 'notify'],
      [60 * MIN, 'startAlarm'],
      [60 * MIN, 'showAlert'],
      [75 * MIN, 'escalate'],
      [75 * MIN, 'notify'],
    ]);
    expect(got[0]!.action).toMatchObject({ count: 2 });
  });

  it('only 15, 30 or 60 minutes', () => {
    expect(() => snooze(emptyAlarmState(), { ids: ['a'] }, 20, T0)).toThrow(expect.objectContaining({ alarmCode: 'badSnooze' }));
  });
});

describe('local escalation', () => {
  const twoLevels = () =>
    alarmPolicySchema.parse({
      escalation: {
        intervalMinutes: 10,
        levels: [{}, { run: [{ kind: 'command', program: '/usr/local/bin/call-me', args: ['--loud'] }, { kind: 'webhook', url: 'https://example.test/page' }] }],
      },
    });

  it('escalates a P1 at exactly 15 minutes, not a millisecond before', () => {
    const h = new Harness();
    h.fire('a', 'P1');
    expect(h.last!.nextWakeAt).toBe(T0 + 15 * MIN);
    h.now = T0 + 15 * MIN - 1;
    expect(h.run()).toEqual([]);
    h.now = T0 + 15 * MIN;
    const actions = h.run();
    expect(actions).toEqual([
      expect.objectContaining({ type: 'escalate', level: 1, steps: [], groupKey: 'g-a', severity: 'P1' }),
      expect.objectContaining({ type: 'notify', reason: 'escalation' }),
    ]);
    expect(h.last!.nextWakeAt).toBeNull();
  });

  it('when a repeat and the escalation fall due together, one notification goes out, not two', () => {
    const h = new Harness();
    h.fire('b', 'P2');
    const at2h = h.advanceTo(T0 + 120 * MIN).filter((x) => x.at === T0 + 120 * MIN);
    expect(at2h.map((x) => x.action.type)).toEqual(['escalate', 'notify', 'playSound']);
    expect(h.last!.nextWakeAt).toBe(T0 + 125 * MIN);
  });

  it('escalates a P2 at exactly 2 hours; the target is configurable', () => {
    const h = new Harness();
    h.fire('b', 'P2');
    expect(h.advanceTo(T0 + 120 * MIN).filter((x) => x.action.type === 'escalate').map((x) => x.at - T0)).toEqual([120 * MIN]);
    const policy = defaultAlarmPolicy();
    policy.severities.P2.responseTargetMinutes = 30;
    const h2 = new Harness(policy);
    h2.fire('b', 'P2');
    expect(h2.advanceTo(T0 + 120 * MIN).filter((x) => x.action.type === 'escalate').map((x) => x.at - T0)).toEqual([30 * MIN]);
  });

  it('the next level comes an interval later and carries the configured command and webhook', () => {
    const h = new Harness(twoLevels());
    h.fire('a', 'P1');
    const got = h.advanceTo(T0 + 2 * 3600_000).filter((x) => x.action.type === 'escalate');
    expect(got.map((x) => [x.at - T0, x.action])).toEqual([
      [15 * MIN, expect.objectContaining({ level: 1, steps: [] })],
      [
        25 * MIN,
        expect.objectContaining({
          level: 2,
          steps: [
            { kind: 'command', program: '/usr/local/bin/call-me', args: ['--loud'] },
            { kind: 'webhook', url: 'https://example.test/page', method: 'POST', headers: {} },
          ],
        }),
      ],
    ]);
  });

  it('after a long sleep, levels come one at a time from the wake-up, not all at once', () => {
    const h = new Harness(twoLevels());
    h.fire('a', 'P1');
    h.now = T0 + 5 * 3600_000;
    expect(h.run().filter((a) => a.type === 'escalate')).toEqual([expect.objectContaining({ level: 1 })]);
    expect(h.last!.nextWakeAt).toBe(h.now + 10 * MIN);
  });

  it('a restart in the middle of an escalation resumes it: same level, same due time, the alarm sounds again', () => {
    const h = new Harness(twoLevels());
    h.fire('a', 'P1');
    h.advanceTo(T0 + 20 * MIN); // level 1 reached at +15
    const saved = JSON.parse(JSON.stringify(h.state)) as unknown;

    const restored = restoreAlarmState(saved);
    expect(restored.error).toBeNull();
    const h2 = new Harness(twoLevels());
    h2.pages = h.pages;
    h2.state = afterRestart(restored.state);
    h2.now = T0 + 21 * MIN;
    expect(types(h2.run())).toEqual(['startAlarm', 'showAlert']);
    expect(h2.last!.nextWakeAt).toBe(T0 + 25 * MIN);
    const got = h2.advanceTo(T0 + 2 * 3600_000).filter((x) => x.action.type === 'escalate');
    expect(got.map((x) => [x.at - T0, (x.action as { level: number }).level])).toEqual([[25 * MIN, 2]]);
  });

  it('acknowledging ends the escalation', () => {
    const h = new Harness(twoLevels());
    h.fire('a', 'P1');
    h.advanceTo(T0 + 16 * MIN);
    h.acknowledge('a');
    expect(h.advanceTo(T0 + 3 * 3600_000)).toEqual([]);
  });

  it('a page that fires again after being acknowledged starts a new escalation', () => {
    const h = new Harness();
    h.fire('a', 'P1');
    h.advanceTo(T0 + 16 * MIN);
    h.acknowledge('a');
    h.now = T0 + 60 * MIN;
    h.fire('a', 'P1');
    expect(h.last!.nextWakeAt).toBe(T0 + 75 * MIN);
  });
});

describe('saved state', () => {
  it('unreadable state starts fresh and says why', () => {
    const { state, error } = restoreAlarmState({ version: 1, groups: 'nope' });
    expect(state).toEqual(emptyAlarmState());
    expect(error?.alarmCode).toBe('stateUnreadable');
  });

  it('a snooze survives a restart', () => {
    const h = new Harness();
    h.fire('a', 'P1');
    h.state = snooze(h.state, { ids: ['a'] }, 30, h.now);
    h.run();
    const h2 = new Harness();
    h2.pages = h.pages;
    h2.state = afterRestart(restoreAlarmState(JSON.parse(JSON.stringify(h.state))).state);
    h2.now = T0 + 10 * MIN;
    expect(h2.run()).toEqual([]);
    expect(h2.last!.nextWakeAt).toBe(T0 + 30 * MIN);
  });
});

describe('self-test offer', () => {
  it('is offered once, the configured lead time before my next shift', () => {
    const h = new Harness();
    h.rota = { onCall: false, changesAt: T0 + 60 * MIN };
    h.run();
    expect(h.last!.nextWakeAt).toBe(T0 + 30 * MIN);
    const got = h.advanceTo(T0 + 50 * MIN);
    expect(got).toEqual([{ at: T0 + 30 * MIN, action: { type: 'offerSelfTest', shiftStart: T0 + 60 * MIN } }]);
  });
});
