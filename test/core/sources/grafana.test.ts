import { describe, expect, it } from 'vitest';
import { DEFAULT_SEVERITY_MAPPING } from '../../../src/core/severity';
import { parseGrafanaWebhook } from '../../../src/core/sources/grafana/adapter';
import { fixtureJson, fixtureText } from '../../helpers/vendor-fake';

const ctx = { sourceId: 'grafana-ops', severityMapping: DEFAULT_SEVERITY_MAPPING };
const NOW = Date.parse('2026-11-21T14:27:00Z');
const hook = (rawBody: string) => parseGrafanaWebhook({ rawBody, headers: {}, receivedAt: NOW }, ctx);

describe('Grafana adapter', () => {
  it('turns a version 1 webhook into one signal per alert, keyed by fingerprint, in one group', () => {
    const r = hook(fixtureText('grafana', 'webhook-v1-firing.json'));
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    expect(r.signals.map((s) => [s.id, s.title, s.severity, s.status, s.runbookUrl])).toEqual([
      ['grafana-ops:c6eadffa33fcdf37', 'High memory usage', 'P1', 'firing', 'https://myrunbook.com/runbook/1234'],
      ['grafana-ops:bc97ff14869b13e3', 'High CPU usage', 'P3', 'firing', 'https://myrunbook.com/runbook/1234'],
    ]);
    expect(r.signals[0]!.startsAt).toBe(Date.parse('2021-10-12T07:51:03.157Z'));
    expect(r.groups).toEqual([{ groupKey: 'grafana-ops:{}:{}', truncatedAlerts: 0 }]);
  });

  it('resolves the same key with its end time', () => {
    const r = hook(fixtureText('grafana', 'webhook-v1-resolved.json'));
    expect(r.ok && r.signals[0]).toMatchObject({ id: 'grafana-ops:c6eadffa33fcdf37', status: 'resolved', endsAt: Date.parse('2021-10-12T08:01:03.157Z') });
  });

  it('reads the legacy shape: alerting fires and ok resolves the same rule', () => {
    const firing = hook(fixtureText('grafana', 'webhook-legacy-alerting.json'));
    const ok = hook(fixtureText('grafana', 'webhook-legacy-ok.json'));
    expect(firing.ok && firing.signals[0]).toMatchObject({ id: 'grafana-ops:rule-1-1', status: 'firing', title: 'Panel Title alert', summary: 'Notification Message', instance: 'Count', startsAt: NOW });
    expect(ok.ok && ok.signals[0]).toMatchObject({ id: 'grafana-ops:rule-1-1', status: 'resolved', endsAt: NOW });
  });

  it('names the field of a version 1 body with a bad alert', () => {
    const body = fixtureJson<{ alerts: Array<Record<string, unknown>> }>('grafana', 'webhook-v1-firing.json');
    body.alerts[1]!['status'] = 'burning';
    expect(hook(JSON.stringify(body))).toMatchObject({ ok: false, error: { code: 'wrongShape', params: { field: 'alerts[1].status' } } });
  });

  it('refuses something that is neither shape', () => {
    expect(hook('{"hello":"world"}')).toMatchObject({ ok: false, error: { code: 'wrongShape', params: { what: 'Grafana webhook (legacy)' } } });
    expect(hook('{"version":"1",')).toMatchObject({ ok: false, error: { code: 'malformedJson' } });
  });
});
