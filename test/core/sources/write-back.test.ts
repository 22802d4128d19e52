import { describe, expect, it } from 'vitest';
import { createI18n } from '../../../src/core/i18n';
import { describeWriteBack } from '../../../src/core/sources/write-back';

const at = Date.parse('2026-11-21T03:09:12Z');
const time = (ms: number) => new Date(ms).toISOString().slice(11, 19);

describe('describeWriteBack', () => {
  it('says what was sent where, with the time and a tick', () => {
    const t = createI18n('en').t;
    expect(describeWriteBack({ ok: true, target: 'pagerduty', action: 'acknowledge', at }, t, time)).toBe('ack sent to PagerDuty 03:09:12 ✓');
  });

  it('says why it failed, in both languages', () => {
    const fail = { ok: false as const, target: 'opsgenie' as const, action: 'acknowledge' as const, at, error: { code: 'http' as const, params: { status: 401, reason: 'Could not authenticate' } } };
    expect(describeWriteBack(fail, createI18n('en').t, time)).toBe('ack to Opsgenie failed: HTTP 401 Could not authenticate');
    expect(describeWriteBack(fail, createI18n('de').t, time)).toBe('Bestätigung an Opsgenie fehlgeschlagen: HTTP 401 Could not authenticate');
  });
});
