import { describe, expect, it } from 'vitest';
import { DEFAULT_SEVERITY_MAPPING } from '../../../src/core/severity';
import { parsePagerDutyIncidents, parsePagerDutyWebhook } from '../../../src/core/sources/pagerduty/adapter';
import { fixtureJson, fixtureText } from '../../helpers/vendor-fake';

const ctx = { sourceId: 'pd', severityMapping: DEFAULT_SEVERITY_MAPPING };
const NOW = Date.parse('2026-11-21T14:27:00Z');
const hook = (rawBody: string) => parsePagerDutyWebhook({ rawBody, headers: {}, receivedAt: NOW }, ctx);

describe('PagerDuty adapter', () => {
  it('turns incident.triggered into a P1 page keyed by the incident id, grouped by service', () => {
    const r = hook(fixtureText('pagerduty', 'webhook-incident-triggered.json'));
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    expect(r.signals[0]).toMatchObject({
      id: 'pd:PGR0VU2',
      fingerprint: 'PGR0VU2',
      groupKey: 'pd:service:PF9KMXH',
      status: 'firing',
      severity: 'P1',
      title: 'A little bump in the road',
      instance: 'API Service',
      generatorUrl: 'https://acme.pagerduty.com/incidents/PGR0VU2',
      startsAt: Date.parse('2020-04-09T15:16:27Z'),
    });
    expect(r.signals[0]!.labels['incident_key']).toBe('d3640fbd41094207a1c11e58e46b1662');
  });

  it('keeps an acknowledged incident firing and closes the page on incident.resolved', () => {
    const ack = hook(fixtureText('pagerduty', 'webhook-incident-acknowledged.json'));
    const res = hook(fixtureText('pagerduty', 'webhook-incident-resolved.json'));
    expect(ack.ok && ack.signals[0]!.status).toBe('firing');
    expect(res.ok && res.signals[0]).toMatchObject({ id: 'pd:PGR0VU2', status: 'resolved', endsAt: Date.parse('2020-10-02T19:02:10.000Z') });
  });

  it('accepts and ignores a ping', () => {
    expect(hook(fixtureText('pagerduty', 'webhook-ping.json'))).toEqual({ ok: true, signals: [], groups: [], ignored: 'pagey.ping' });
  });

  it('names the field inside event.data', () => {
    const body = fixtureJson<{ event: { data: Record<string, unknown> } }>('pagerduty', 'webhook-incident-triggered.json');
    delete body.event.data['service'];
    expect(hook(JSON.stringify(body))).toMatchObject({ ok: false, error: { code: 'wrongShape', params: { field: 'event.data.service' } } });
  });

  it('reads a page of GET /incidents, falling back to urgency without a priority', () => {
    const r = parsePagerDutyIncidents(fixtureJson('pagerduty', 'incidents-page-1.json'), ctx);
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    expect(r.more).toBe(true);
    expect(r.signals.map((s) => [s.id, s.severity, s.labels['status']])).toEqual([
      ['pd:PT4KHLK', 'P1', 'triggered'],
      ['pd:PT4KHLL', 'P1', 'acknowledged'],
    ]);
  });
});
