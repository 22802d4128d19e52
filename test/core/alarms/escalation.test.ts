import { describe, expect, it } from 'vitest';
import { commandEnvironment, outcomeText, stepLabel, webhookPayload, type EscalateAction } from '../../../src/core/alarms/escalation';
import { createI18n } from '../../../src/core/i18n';

const action: EscalateAction = {
  type: 'escalate', level: 2, steps: [], groupKey: 'grp', pageId: 'p1', title: 'KubePodCrashLooping', severity: 'P1', count: 3, pageIds: ['p1', 'p2', 'p3'],
};
const AT = Date.UTC(2026, 10, 23, 3, 15);

describe('escalation steps', () => {
  it('the webhook says which page, how bad and which level, and nothing else', () => {
    expect(webhookPayload(action, AT)).toEqual({
      event: 'escalation', level: 2, severity: 'P1', title: 'KubePodCrashLooping', groupKey: 'grp', pageId: 'p1', count: 3, at: '2026-11-23T03:15:00.000Z',
    });
  });

  it('a command learns the page from its environment', () => {
    expect(commandEnvironment(action)).toMatchObject({ ONCALL_LEVEL: '2', ONCALL_SEVERITY: 'P1', ONCALL_TITLE: 'KubePodCrashLooping', ONCALL_COUNT: '3' });
  });

  it('outcomes read well on the timeline, failures included, in both languages', () => {
    const en = createI18n('en');
    const de = createI18n('de');
    const ok = outcomeText({ kind: 'webhook', url: 'https://x.test/call', ok: true, status: 202, message: null, at: AT }, 2);
    expect(en.t(ok.key, ok.params)).toBe('Called https://x.test/call: HTTP 202');
    const failed = outcomeText({ kind: 'command', program: '/usr/local/bin/call-me', ok: false, exitCode: 3, message: null, at: AT }, 2);
    expect(en.t(failed.key, failed.params)).toBe('Escalation level 2 failed: /usr/local/bin/call-me: exit code 3');
    expect(de.t(failed.key, failed.params)).toBe('Eskalationsstufe 2 ist fehlgeschlagen: /usr/local/bin/call-me: exit code 3');
    const timeout = outcomeText({ kind: 'webhook', url: 'https://x.test/call', ok: false, status: null, message: 'timed out after 10 s', at: AT }, 1);
    expect(en.t(timeout.key, timeout.params)).toBe('Escalation level 1 failed: timed out after 10 s');
  });

  it('Settings lists a step as it will run', () => {
    expect(stepLabel({ kind: 'command', program: 'notify-phone', args: ['--ring', 'me'] })).toBe('notify-phone --ring me');
    expect(stepLabel({ kind: 'webhook', url: 'https://x.test/call', method: 'POST', headers: {} })).toBe('POST https://x.test/call');
  });
});
