import { describe, expect, it } from 'vitest';
import { createI18n } from '../../../src/core/i18n';
import { emptySelfTestLog, recordCheck, selfTestStatus, startSelfTest } from '../../../src/core/alarms/self-test';
import { emptyAlarmState, setDoNotDisturb } from '../../../src/core/alarms/state';
import { trayModel, type TrayInput, type TrayText } from '../../../src/core/alarms/tray-model';

const T0 = Date.UTC(2026, 10, 23, 10);
const base = (over: Partial<TrayInput> = {}): TrayInput => ({
  groups: [],
  unacknowledged: 0,
  rota: null,
  alarms: emptyAlarmState(),
  selfTest: selfTestStatus(emptySelfTestLog()),
  problems: [],
  now: T0,
  ...over,
});
const en = createI18n('en');
const text = (t: TrayText) => en.t(t.key, t.params);
const labels = (m: ReturnType<typeof trayModel>) => m.menu.map((i) => (i.kind === 'separator' ? '---' : text(i.label)));

describe('the tray model', () => {
  it('off call and on call, quiet', () => {
    const off = trayModel(base({ rota: { onCall: false, changesAt: T0 + 3600_000 } }));
    expect(off.icon).toBe('offCall');
    expect(off.tooltip).toEqual([{ key: 'alarms.tray.offCallUntil', params: { time: T0 + 3600_000 } }]);
    const on = trayModel(base({ rota: { onCall: true, changesAt: null } }));
    expect(on.icon).toBe('onCall');
    expect(on.tooltip.map(text)).toEqual(['On call']);
    expect(labels(on)).toEqual(['Is my pager working?', 'Turn on Do Not Disturb', 'Open On-Call Companion']);
  });

  it('unacknowledged pages: the alternate icon, the count in the tooltip, each group with acknowledge and snooze', () => {
    const m = trayModel(
      base({
        unacknowledged: 4,
        groups: [
          { groupKey: 'g1', title: 'NodeDown', severity: 'P1', count: 1 },
          { groupKey: 'g2', title: 'KubePodCrashLooping', severity: 'P2', count: 3 },
        ],
      }),
    );
    expect(m.icon).toBe('attention');
    expect(m.tooltip.map(text)).toEqual(['4 pages waiting for you']);
    expect(labels(m)).toEqual(['P1 NodeDown (1)', 'P2 KubePodCrashLooping (3)', 'Acknowledge all (4)', '---', 'Is my pager working?', 'Turn on Do Not Disturb', 'Open On-Call Companion']);
    expect(m.menu[0]).toMatchObject({ kind: 'group', groupKey: 'g1', snooze: [15, 30, 60] });
  });

  it('a failing source or a failed self-test shows the broken icon, and the failure stays until it passes', () => {
    const problem = trayModel(base({ problems: [{ code: 'generic', params: { message: 'Alertmanager refused 12 times' } }] }));
    expect(problem.icon).toBe('broken');
    expect(problem.tooltip.map(text)).toEqual(['Something went wrong: Alertmanager refused 12 times']);
    const log = recordCheck(startSelfTest(emptySelfTestLog(), T0), { check: 'alarmHeard', outcome: 'fail', at: T0, reason: null });
    const failed = trayModel(base({ selfTest: selfTestStatus(log), rota: { onCall: true, changesAt: null } }));
    expect(failed.icon).toBe('broken');
    expect(failed.tooltip.map(text)).toEqual(['On call', 'Pager self-test failed: alarmHeard']);
    expect(labels(failed)).toContain('Is my pager working? (last test failed)');
    const passed = recordCheck(log, { check: 'alarmHeard', outcome: 'pass', at: T0 + 1, reason: null });
    expect(trayModel(base({ selfTest: selfTestStatus(passed), rota: { onCall: true, changesAt: null } })).icon).toBe('onCall');
  });

  it('pages waiting outrank a broken path in the icon; both are in the tooltip', () => {
    const m = trayModel(base({ unacknowledged: 1, groups: [{ groupKey: 'g', title: 'X', severity: 'P3', count: 1 }], problems: [{ code: 'generic', params: { message: 'x' } }] }));
    expect(m.icon).toBe('attention');
    expect(m.tooltip).toHaveLength(2);
  });

  it('Do Not Disturb shows in the tooltip and the menu turns it off', () => {
    const alarms = setDoNotDisturb(emptyAlarmState(), { until: T0 + 3600_000 }, T0);
    const m = trayModel(base({ alarms }));
    expect(m.tooltip).toEqual([{ key: 'alarms.dnd.until', params: { time: T0 + 3600_000 } }]);
    expect(labels(m)).toContain('Turn off Do Not Disturb');
    expect(labels(trayModel(base({ alarms, now: T0 + 3600_000 })))).toContain('Turn on Do Not Disturb');
  });
});
