import { describe, expect, it } from 'vitest';
import alarmsDe from '../../../src/core/i18n/catalogs/alarms.de.json';
import alarmsEn from '../../../src/core/i18n/catalogs/alarms.en.json';
import { createI18n } from '../../../src/core/i18n';
import { ALARM_ERROR_CODES } from '../../../src/core/alarms/errors';
import { SELF_TEST_CHECKS } from '../../../src/core/alarms/self-test';
import { SOUND_MODES } from '../../../src/core/alarms/policy';
import type { RenotifyReason } from '../../../src/core/alarms/evaluate';

function keys(o: unknown, prefix = ''): string[] {
  if (o === null || typeof o !== 'object') return [prefix];
  return Object.entries(o).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}

// listed as a record so the compiler complains when a reason is added without a text
const reasons: Record<RenotifyReason, true> = { repeat: true, snoozeEnded: true, escalation: true, quietEnded: true };

describe('alarms catalog', () => {
  it('German has exactly the keys English has', () => {
    expect(keys(alarmsDe)).toEqual(keys(alarmsEn));
  });

  it('every error code, reason, check and sound mode has a text in both languages', () => {
    const wanted = [
      ...ALARM_ERROR_CODES.map((c) => `alarms.errors.${c}`),
      ...Object.keys(reasons).map((r) => `alarms.reason.${r}`),
      ...SELF_TEST_CHECKS.map((c) => `alarms.selfTest.checks.${c}`),
      ...SOUND_MODES.map((m) => `alarms.sound.${m}`),
    ];
    for (const lng of ['en', 'de']) {
      const i = createI18n(lng);
      for (const key of wanted) expect(i.exists(key), `${lng}: ${key}`).toBe(true);
    }
    expect(createI18n('de').t('alarms.errors.badSnooze', { minutes: 20, allowed: '15, 30, 60' })).toBe('Schlummern dauert 15, 30, 60 Minuten, nicht 20');
  });
});
