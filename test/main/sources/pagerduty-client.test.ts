import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SEVERITY_MAPPING } from '../../../src/core/severity';
import { createPagerDutyClient } from '../../../src/main/sources/pagerduty-client';
import { systemTimers } from '../../../src/main/sources/http';
import { fixtureJson, servePagerDuty, startVendorFake, type VendorFake } from '../../helpers/vendor-fake';

const ctx = { sourceId: 'pd', severityMapping: DEFAULT_SEVERITY_MAPPING };
const KEY = 'u+pd-test-key';
const clock = { now: () => Date.parse('2026-11-21T05:30:00Z') };

function incidents() {
  const one = fixtureJson<{ incidents: Array<Record<string, unknown>> }>('pagerduty', 'incidents-page-1.json').incidents;
  const two = fixtureJson<{ incidents: Array<Record<string, unknown>> }>('pagerduty', 'incidents-page-2.json').incidents;
  const resolved = { ...two[0]!, id: 'PRESOLVD', status: 'resolved' };
  return [...one, ...two, resolved];
}

let fake: VendorFake;
let data: Array<Record<string, unknown>>;
beforeEach(async () => {
  fake = await startVendorFake();
  data = incidents();
  servePagerDuty(fake, { apiKey: KEY, incidents: data });
});
afterEach(() => fake.stop());

const client = (over: Partial<Parameters<typeof createPagerDutyClient>[0]> = {}) =>
  createPagerDutyClient({ apiBase: fake.base, apiKey: KEY, from: 'jane@example.com', fetch, clock, timers: systemTimers, ctx, pageLimit: 2, ...over });

describe('PagerDuty client', () => {
  it('follows offset paging until more=false and lists only triggered and acknowledged incidents', async () => {
    const r = await client().pollIncidents();
    expect(r.ok && r.signals.map((s) => s.id)).toEqual(['pd:PT4KHLK', 'pd:PT4KHLL', 'pd:PT4KHLM']);
    expect(r.ok && r.pages).toBe(2);
    expect(fake.requests.map((q) => new URL(q.url, fake.base).searchParams.get('offset'))).toEqual(['0', '2']);
    expect(fake.requests[0]!.url).toContain('statuses[]=triggered&statuses[]=acknowledged');
    expect(fake.requests[0]!.headers['authorization']).toBe(`Token token=${KEY}`);
  });

  it('limits the poll to the configured services and teams', async () => {
    await client({ serviceIds: ['PF9KMXH'], teamIds: ['PFCVPS0'] }).pollIncidents();
    const url = new URL(fake.requests[0]!.url, fake.base);
    expect(url.searchParams.getAll('service_ids[]')).toEqual(['PF9KMXH']);
    expect(url.searchParams.getAll('team_ids[]')).toEqual(['PFCVPS0']);
  });

  it('reports 429 with the wait from ratelimit-reset', async () => {
    fake.queue({ status: 429, body: fixtureJson('pagerduty', 'error-429.json'), headers: { 'ratelimit-limit': '960', 'ratelimit-remaining': '0', 'ratelimit-reset': '17' } });
    const r = await client().pollIncidents();
    expect(r).toMatchObject({ ok: false, failure: { status: 429, retryAfterMs: 17_000, error: { code: 'rateLimited', params: { seconds: 17 } } } });
  });

  it('falls back to Retry-After', async () => {
    fake.queue({ status: 429, body: {}, headers: { 'retry-after': '3' } });
    expect(await client().pollIncidents()).toMatchObject({ ok: false, failure: { retryAfterMs: 3_000 } });
  });

  it('says 401 with PagerDuty’s reason on a wrong key, without echoing the key', async () => {
    const r = await client({ apiKey: 'wrong' }).pollIncidents();
    expect(r).toMatchObject({ ok: false, failure: { status: 401, error: { code: 'http', params: { status: 401, reason: 'Unauthorized' } } } });
    expect(JSON.stringify(r)).not.toContain('wrong');
  });

  it('gives up on a slow answer after its timeout', async () => {
    fake.holdNext();
    const r = await client({ timeoutMs: 100 }).pollIncidents();
    expect(r).toMatchObject({ ok: false, failure: { error: { code: 'timeout' } } });
    fake.release();
  });

  it('acknowledges and resolves with PUT /incidents and the From header', async () => {
    const c = client();
    expect(await c.acknowledge('PT4KHLK')).toMatchObject({ ok: true, target: 'pagerduty', action: 'acknowledge', ref: 'PT4KHLK' });
    const put = fake.requests.find((q) => q.method === 'PUT')!;
    expect(put.headers['from']).toBe('jane@example.com');
    expect(JSON.parse(put.body)).toEqual({ incidents: [{ id: 'PT4KHLK', type: 'incident_reference', status: 'acknowledged' }] });
    expect(await c.resolve('PT4KHLK')).toMatchObject({ ok: true, action: 'resolve' });
    expect(data.find((i) => i['id'] === 'PT4KHLK')!['status']).toBe('resolved');
  });

  it('a write-back without From or with a bad key fails visibly', async () => {
    expect(await client({ from: null }).acknowledge('PT4KHLK')).toMatchObject({ ok: false, error: { code: 'notConfigured' } });
    expect(await client({ apiKey: 'nope' }).acknowledge('PT4KHLK')).toMatchObject({ ok: false, error: { code: 'http', params: { status: 401 } } });
  });
});
