import { describe, expect, it } from 'vitest';
import { parseSourceConfigs, sourceIdOf } from '../../../src/core/sources/config';

describe('parseSourceConfigs', () => {
  it('checks each kind’s options with its adapter and fills defaults', () => {
    const r = parseSourceConfigs([
      { id: 'am-prod', kind: 'alertmanager', name: 'Prod', options: { baseUrl: 'http://127.0.0.1:9093' }, deadman: { watch: 'heartbeat', maxSilenceMinutes: 10 } },
      { id: 'pd', kind: 'pagerduty', name: 'PagerDuty', options: { from: 'jane@example.com' } },
    ]);
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    expect(r.sources[0]).toMatchObject({ enabled: true, options: { baseUrl: 'http://127.0.0.1:9093', pollIntervalMs: 30_000 } });
    expect(r.sources[1]).toMatchObject({ deadman: null, options: { apiBase: 'https://api.pagerduty.com', from: 'jane@example.com' } });
  });

  it('names the bad option of the bad source', () => {
    const r = parseSourceConfigs([{ id: 'pd', kind: 'pagerduty', name: 'PD', options: { from: 'not-an-email' } }]);
    expect(r).toMatchObject({ ok: false, error: { code: 'wrongShape', params: { field: '[0].options.from' } } });
  });

  it('refuses the same id twice and unknown kinds', () => {
    expect(parseSourceConfigs([{ id: 'a', kind: 'goalert', name: 'A' }, { id: 'a', kind: 'goalert', name: 'B' }])).toMatchObject({ ok: false, error: { params: { field: '[1].id' } } });
    expect(parseSourceConfigs([{ id: 'a', kind: 'nagios', name: 'A' }])).toMatchObject({ ok: false, error: { params: { field: '[0].kind' } } });
  });
});

describe('sourceIdOf', () => {
  it('finds the source of a page id even when the dedup key has colons', () => {
    expect(sourceIdOf('am-prod:cdfe032e9f2869d1')).toBe('am-prod');
    expect(sourceIdOf('generic-1:urn:check:42')).toBe('generic-1');
  });
});
