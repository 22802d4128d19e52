import { describe, expect, it } from 'vitest';
import { alarmPolicySchema, defaultAlarmPolicy, fallbackSound, isBuiltinSound } from '../../../src/core/alarms/policy';
import { rotaViewFromStatus } from '../../../src/core/alarms/quiet';

describe('alarm policy in config.json', () => {
  it('defaults follow the issue and the handbook targets', () => {
    const p = defaultAlarmPolicy();
    expect(p.severities.P1).toMatchObject({ notify: true, sound: 'untilAcknowledged', alertWindow: true, breakThrough: true, responseTargetMinutes: 15 });
    expect(p.severities.P2).toMatchObject({ notify: true, sound: 'repeat', alertWindow: false, breakThrough: false, responseTargetMinutes: 120 });
    expect(p.severities.P3).toMatchObject({ notify: true, sound: 'off', responseTargetMinutes: null });
    expect(p.severities.P4).toMatchObject({ notify: false, sound: 'off', responseTargetMinutes: null });
    expect(p.quietHours.mode).toBe('off');
  });

  it('a partial section keeps the defaults for everything it leaves out', () => {
    const p = alarmPolicySchema.parse({ quietHours: { mode: 'schedule', start: '23:00' } });
    expect(p.quietHours).toEqual({ mode: 'schedule', start: '23:00', end: '07:00' });
    expect(p.severities).toEqual(defaultAlarmPolicy().severities);
  });

  it('bad input names the field', () => {
    const bad = [
      [{ quietHours: { mode: 'schedule', start: '25:00' } }, 'quietHours.start'],
      [{ severities: { P2: { ...defaultAlarmPolicy().severities.P2, repeatMinutes: 0 } } }, 'severities.P2.repeatMinutes'],
      [{ escalation: { levels: [{ run: [{ kind: 'webhook', url: 'file:///etc/passwd' }] }] } }, 'escalation.levels.0.run.0.url'],
      [{ escalation: { levels: [{ run: [{ kind: 'command', program: '' }] }] } }, 'escalation.levels.0.run.0.program'],
      [{ loudness: 11 }, ''],
    ] as const;
    for (const [input, path] of bad) {
      const r = alarmPolicySchema.safeParse(input);
      expect(r.success, JSON.stringify(input)).toBe(false);
      expect(r.error!.issues[0]!.path.join('.')).toBe(path);
    }
  });

  it('a broken custom sound falls back to the built-in alarm for alarms and the chime otherwise', () => {
    const p = defaultAlarmPolicy();
    expect(isBuiltinSound('alarm')).toBe(true);
    expect(isBuiltinSound('/home/me/x.wav')).toBe(false);
    expect(fallbackSound({ ...p.severities.P1, soundFile: '/broken.wav' })).toBe('alarm');
    expect(fallbackSound({ ...p.severities.P2, soundFile: '/broken.wav' })).toBe('chime');
  });

  it('reads the rota status: on call until the shift ends, off call until the next starts', () => {
    expect(rotaViewFromStatus({ current: { start: 1, end: 9 }, next: null })).toEqual({ onCall: true, changesAt: 9 });
    expect(rotaViewFromStatus({ current: null, next: { start: 20 } })).toEqual({ onCall: false, changesAt: 20 });
    expect(rotaViewFromStatus({ current: null, next: null })).toEqual({ onCall: false, changesAt: null });
  });
});

describe('policy defaults are copies', () => {
  it('editing one parsed policy leaves the defaults and the next parse untouched', () => {
    const a = defaultAlarmPolicy();
    a.severities.P2.repeatMinutes = 1;
    a.escalation.levels.push({ realert: false, run: [] });
    a.quietHours.mode = 'rota';
    const b = defaultAlarmPolicy();
    expect(b.severities.P2.repeatMinutes).toBe(5);
    expect(b.escalation.levels).toHaveLength(1);
    expect(b.quietHours.mode).toBe('off');
  });
});
