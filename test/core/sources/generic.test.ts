import { describe, expect, it } from 'vitest';
import { DEFAULT_SEVERITY_MAPPING } from '../../../src/core/severity';
import { genericAdapter, parseGenericWebhook, type GenericOptions } from '../../../src/core/sources/generic/adapter';
import { fixtureJson, fixtureText } from '../../helpers/vendor-fake';

const ctx = { sourceId: 'uptime', severityMapping: DEFAULT_SEVERITY_MAPPING };
const NOW = Date.parse('2026-11-21T14:27:00Z');
const options = (): GenericOptions => {
  const r = genericAdapter.parseOptions(fixtureJson('generic', 'mapping.json'));
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.options;
};

describe('generic JSON adapter', () => {
  it('maps each alert with JSONPath: configured key, status mapping, times and labels', () => {
    const r = parseGenericWebhook({ rawBody: fixtureText('generic', 'webhook-batch.json'), headers: {}, receivedAt: NOW }, ctx, options());
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    expect(r.signals.map((s) => [s.id, s.status, s.severity, s.title, s.groupKey])).toEqual([
      ['uptime:chk-42', 'firing', 'P1', 'checkout.example.com', 'uptime:payments'],
      ['uptime:chk-43', 'resolved', 'P3', 'api.example.com', 'uptime:core'],
    ]);
    expect(r.signals[0]).toMatchObject({ startsAt: Date.parse('2026-11-21T05:27:16Z'), labels: { team: 'payments', region: 'eu-west-1' }, generatorUrl: 'https://uptime.example.com/checks/chk-42' });
    expect(r.signals[1]!.endsAt).toBe(1763703000 * 1000);
    expect(r.groups).toEqual([{ groupKey: 'uptime:payments' }, { groupKey: 'uptime:core' }]);
  });

  it('refuses an alert without a dedup key, naming the alert and the path', () => {
    const body = fixtureJson<{ events: Array<Record<string, unknown>> }>('generic', 'webhook-batch.json');
    delete body.events[1]!['check'];
    const r = parseGenericWebhook({ rawBody: JSON.stringify(body), headers: {}, receivedAt: NOW }, ctx, options());
    expect(r).toMatchObject({ ok: false, error: { code: 'wrongShape', params: { field: 'alerts[1] dedupKey ($.check.id)' } } });
  });

  it('takes a single-object body with the default alerts path', () => {
    const r = parseGenericWebhook({ rawBody: '{"id":"a1","name":"Down"}', headers: {}, receivedAt: NOW }, ctx, { ...options(), alerts: '$', fields: { dedupKey: '$.id', title: '$.name' } });
    expect(r).toMatchObject({ ok: true, signals: [{ id: 'uptime:a1', title: 'Down', status: 'firing', startsAt: NOW }] });
  });

  it('refuses a mapping that is not JSONPath', () => {
    expect(genericAdapter.parseOptions({ fields: { dedupKey: 'id', title: '$.t' } })).toMatchObject({ ok: false, error: { code: 'wrongShape', params: { field: 'fields.dedupKey' } } });
  });
});
