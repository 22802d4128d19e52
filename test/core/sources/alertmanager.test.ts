import { describe, expect, it } from 'vitest';
import { DEFAULT_SEVERITY_MAPPING } from '../../../src/core/severity';
import { describeSilences, parseAlertmanagerAlerts, parseSilences, reconcileAlertmanager, type KnownPage } from '../../../src/core/sources/alertmanager/poll';
import { ackSilence, needsExtension, ACK_SILENCE_MARGIN_MS } from '../../../src/core/sources/alertmanager/silence';
import { parseAlertmanagerWebhook } from '../../../src/core/sources/alertmanager/webhook';
import { fixtureJson, fixtureText } from '../../helpers/vendor-fake';

const ctx = { sourceId: 'am-prod', severityMapping: DEFAULT_SEVERITY_MAPPING };
const NOW = Date.parse('2026-11-21T14:27:00Z');

function known(over: Partial<KnownPage> & { id: string; fingerprint: string }): KnownPage {
  return {
    source: 'alertmanager',
    groupKey: '{}:{alertname="DiskAlmostFull"}',
    title: 'DiskAlmostFull',
    severity: 'P1',
    summary: 'Disk on db-1 is 97% full',
    instance: 'db-1:9100',
    labels: { alertname: 'DiskAlmostFull' },
    annotations: {},
    startsAt: NOW - 60_000,
    generatorUrl: null,
    runbookUrl: null,
    receivedAt: NOW - 50_000,
    ...over,
  };
}

describe('Alertmanager webhook adapter', () => {
  it('keys the captured webhook by source instance and fingerprint and keeps its group', () => {
    const r = parseAlertmanagerWebhook({ rawBody: fixtureText('alertmanager', 'webhook-firing.json'), headers: {}, receivedAt: NOW }, ctx);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.signals.map((s) => [s.id, s.fingerprint, s.groupKey, s.status, s.severity])).toEqual([['am-prod:cdfe032e9f2869d1', 'cdfe032e9f2869d1', '{}:{alertname="DiskAlmostFull"}', 'firing', 'P1']]);
    expect(r.groups).toEqual([{ groupKey: '{}:{alertname="DiskAlmostFull"}', truncatedAlerts: 0 }]);
  });

  it('reports truncated alerts of the group', () => {
    const body = { ...fixtureJson('alertmanager', 'webhook-firing.json'), truncatedAlerts: 12 };
    const r = parseAlertmanagerWebhook({ rawBody: JSON.stringify(body), headers: {}, receivedAt: NOW }, ctx);
    expect(r.ok && r.groups[0]?.truncatedAlerts).toBe(12);
  });

  it('names the field when the shape is wrong', () => {
    const body = fixtureJson<{ alerts: Array<Record<string, unknown>> }>('alertmanager', 'webhook-firing.json');
    delete body.alerts[0]!['fingerprint'];
    const r = parseAlertmanagerWebhook({ rawBody: JSON.stringify(body), headers: {}, receivedAt: NOW }, ctx);
    expect(r).toMatchObject({ ok: false, error: { code: 'wrongShape', params: { field: 'alerts[0].fingerprint' } } });
  });
});

describe('Alertmanager poll', () => {
  it('shows a silenced alert as suppressed, with who silenced it and until when', () => {
    const r = parseAlertmanagerAlerts(fixtureJson('alertmanager-api', 'get-alerts-suppressed.json'), ctx, NOW);
    const s = parseSilences(fixtureJson('alertmanager-api', 'get-silences.json'));
    expect(r.ok && s.ok).toBe(true);
    if (!r.ok || !s.ok) return;
    expect(r.poll.signals.map((x) => [x.id, x.status])).toEqual([
      ['am-prod:b8c5f235df0f2df6', 'firing'],
      ['am-prod:cdfe032e9f2869d1', 'firing'],
    ]);
    const disk = r.poll.suppressions.find((x) => x.fingerprint === 'cdfe032e9f2869d1')!;
    expect(disk.state).toBe('suppressed');
    expect(describeSilences(disk, s.silences)).toEqual([
      { id: '181ecca4-d89c-4727-9b20-2aa0cd4fc51a', createdBy: 'jane@example.com', comment: 'ACK! acknowledged in On-Call Companion', endsAt: Date.parse('2026-11-21T15:26:51.000Z'), isAck: true },
    ]);
    expect(r.poll.suppressions.find((x) => x.fingerprint === 'b8c5f235df0f2df6')!.state).toBe('active');
  });

  it('counts an alert whose end time has passed as resolved', () => {
    const r = parseAlertmanagerAlerts(fixtureJson('alertmanager-api', 'get-alerts-suppressed.json'), ctx, Date.parse('2026-11-21T14:40:00Z'));
    expect(r.ok && r.poll.signals.every((s) => s.status === 'resolved' && s.endsAt === Date.parse('2026-11-21T14:31:51.610Z'))).toBe(true);
  });

  it('refuses a body that is not a list of alerts, naming the field', () => {
    expect(parseAlertmanagerAlerts([{ labels: {}, fingerprint: 'x' }], ctx, NOW)).toMatchObject({ ok: false, error: { code: 'wrongShape' } });
    expect(parseAlertmanagerAlerts({ alerts: [] }, ctx, NOW)).toMatchObject({ ok: false, error: { code: 'wrongShape', params: { field: '(body)' } } });
  });
});

describe('reconcileAlertmanager', () => {
  const poll = () => {
    const r = parseAlertmanagerAlerts(fixtureJson('alertmanager-api', 'get-alerts-suppressed.json'), ctx, NOW);
    if (!r.ok) throw new Error('fixture');
    return r.poll;
  };

  it('closes a known page that Alertmanager no longer lists, keeping what the page shows', () => {
    const gone = known({ id: 'am-prod:0000aaaa', fingerprint: '0000aaaa', title: 'SilencedThenResolved', summary: 'kept' });
    const r = reconcileAlertmanager([gone, known({ id: 'am-prod:cdfe032e9f2869d1', fingerprint: 'cdfe032e9f2869d1' })], poll(), NOW);
    expect(r.closed).toEqual(['am-prod:0000aaaa']);
    const closing = r.signals.find((s) => s.id === 'am-prod:0000aaaa')!;
    expect(closing).toMatchObject({ status: 'resolved', endsAt: NOW, title: 'SilencedThenResolved', summary: 'kept', startsAt: gone.startsAt });
  });

  it('leaves pages that arrived after the poll was sent', () => {
    const fresh = known({ id: 'am-prod:new', fingerprint: 'new', receivedAt: NOW + 5 });
    expect(reconcileAlertmanager([fresh], poll(), NOW).closed).toEqual([]);
  });

  it('reports alerts the app missed, and keeps the webhook group of known ones', () => {
    const r = reconcileAlertmanager([known({ id: 'am-prod:cdfe032e9f2869d1', fingerprint: 'cdfe032e9f2869d1', groupKey: 'webhook-group' })], poll(), NOW);
    expect(r.discovered).toEqual(['am-prod:b8c5f235df0f2df6']);
    expect(r.signals.find((s) => s.id === 'am-prod:cdfe032e9f2869d1')!.groupKey).toBe('webhook-group');
    expect(r.signals.find((s) => s.id === 'am-prod:b8c5f235df0f2df6')!.groupKey).toBe('am-prod:poll:{alertname="HighLatency"}');
  });
});

describe('acknowledgement silences', () => {
  it('matches every label exactly and says ACK!', () => {
    const s = ackSilence({ labels: { severity: 'critical', alertname: 'DiskAlmostFull' }, alertEndsAt: NOW + 60_000, now: NOW, createdBy: 'jane' });
    expect(s.matchers).toEqual([
      { name: 'alertname', value: 'DiskAlmostFull', isRegex: false, isEqual: true },
      { name: 'severity', value: 'critical', isRegex: false, isEqual: true },
    ]);
    expect(s.comment.startsWith('ACK!')).toBe(true);
    expect(Date.parse(s.endsAt)).toBe(NOW + 60_000 + ACK_SILENCE_MARGIN_MS);
  });

  it('is extended only while the alert fires and would outlast the silence', () => {
    expect(needsExtension({ silenceEndsAt: NOW + 60_000, alertFiring: true, alertEndsAt: NOW + 5 * 60_000, now: NOW })).toBe(true);
    expect(needsExtension({ silenceEndsAt: NOW + 60_000, alertFiring: false, alertEndsAt: NOW + 5 * 60_000, now: NOW })).toBe(false);
    expect(needsExtension({ silenceEndsAt: NOW + 10 * 60_000, alertFiring: true, alertEndsAt: NOW + 5 * 60_000, now: NOW })).toBe(false);
  });
});
