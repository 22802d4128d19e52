import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SEVERITY_MAPPING } from '../../../src/core/severity';
import { createAlertmanagerClient } from '../../../src/main/sources/alertmanager-client';
import { systemTimers } from '../../../src/main/sources/http';
import { fixtureJson, startVendorFake, type VendorFake } from '../../helpers/vendor-fake';

const ctx = { sourceId: 'am', severityMapping: DEFAULT_SEVERITY_MAPPING };
const NOW = Date.parse('2026-11-21T14:27:00Z');
const clock = { now: () => NOW };

let fake: VendorFake;
beforeEach(async () => {
  fake = await startVendorFake();
});
afterEach(() => fake.stop());

const client = () => createAlertmanagerClient({ baseUrl: fake.base, fetch, clock, timers: systemTimers, ctx });

describe('Alertmanager client (against the fake)', () => {
  it('sends If-None-Match once the server gave an ETag, and reuses the last poll on 304', async () => {
    fake.route('GET', '/api/v2/alerts', (r) => (r.headers['if-none-match'] === '"v1"' ? { status: 304 } : { status: 200, body: fixtureJson('alertmanager-api', 'get-alerts-suppressed.json'), headers: { etag: '"v1"' } }));
    const c = client();
    const first = await c.pollAlerts();
    const second = await c.pollAlerts();
    expect(first).toMatchObject({ ok: true, notModified: false, polledAt: NOW });
    expect(second).toMatchObject({ ok: true, notModified: true });
    expect(second.ok && second.poll.signals).toHaveLength(2);
    expect(fake.requests[1]!.headers['if-none-match']).toBe('"v1"');
  });

  it('reports a body that is not a list of alerts as the wrong shape', async () => {
    fake.route('GET', '/api/v2/alerts', () => ({ status: 200, body: { data: [] } }));
    expect(await client().pollAlerts()).toMatchObject({ ok: false, failure: { error: { code: 'wrongShape' } } });
  });

  it('reports a refused connection as a network failure naming only the origin', async () => {
    const base = fake.base;
    await fake.stop();
    const r = await createAlertmanagerClient({ baseUrl: base, fetch, clock, timers: systemTimers, ctx }).pollAlerts();
    expect(r).toMatchObject({ ok: false, failure: { error: { code: 'network', params: { url: base } } } });
    fake = await startVendorFake();
  });

  it('an acknowledgement that Alertmanager refuses is a visible failure', async () => {
    fake.route('POST', '/api/v2/silences', () => ({ status: 400, body: '"silence invalid: start time must be before end time"' }));
    const r = await client().acknowledge({ labels: { alertname: 'X' }, endsAt: null }, 'jane');
    expect(r).toMatchObject({ ok: false, target: 'alertmanager', action: 'acknowledge', error: { code: 'http', params: { status: 400 } } });
  });
});
