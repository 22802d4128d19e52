import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_SEVERITY_MAPPING } from '../../../src/core/severity';
import { createOpsgenieClient } from '../../../src/main/sources/opsgenie-client';
import { systemTimers } from '../../../src/main/sources/http';
import { fixtureJson, serveOpsgenie, startVendorFake, type VendorFake } from '../../helpers/vendor-fake';

const ctx = { sourceId: 'og', severityMapping: DEFAULT_SEVERITY_MAPPING };
const KEY = 'genie-test-key';
const clock = { now: () => Date.parse('2026-11-21T05:30:00Z') };
/** Timers that fire at once, so the confirmation loop does not wait in tests. */
const instant = { setTimeout: (fn: () => void, ms: number) => (ms > 1_000 ? systemTimers.setTimeout(fn, ms) : (queueMicrotask(fn), 0)), clearTimeout: systemTimers.clearTimeout };

function alerts() {
  const one = fixtureJson<{ data: unknown[] }>('opsgenie', 'alerts-page-1.json').data;
  const two = fixtureJson<{ data: unknown[] }>('opsgenie', 'alerts-page-2.json').data;
  return [...one, ...two];
}

let fake: VendorFake;
afterEach(() => fake.stop());

async function setup(opts: { pendingPolls?: number; ackOutcome?: 'success' | 'failed' } = {}) {
  fake = await startVendorFake();
  serveOpsgenie(fake, { apiKey: KEY, alerts: alerts(), pageSize: 2, ...opts });
  return createOpsgenieClient({ apiBase: fake.base, apiKey: KEY, fetch, clock, timers: instant, ctx, pageLimit: 2, confirmDelayMs: 10, confirmAttempts: 3 });
}

describe('Opsgenie client', () => {

  it('pages through X-Paging-Next with the GenieKey', async () => {
    const c = await setup();
    const r = await c.pollAlerts();
    expect(r.ok && r.signals.map((s) => s.id)).toEqual(['og:alias-1', 'og:alias-2', 'og:alias-3']);
    expect(fake.requests).toHaveLength(2);
    expect(fake.requests[0]!.url).toContain('query=status%3Aopen');
    expect(fake.requests[0]!.headers['authorization']).toBe(`GenieKey ${KEY}`);
  });

  it('does not follow a paging link to another host', async () => {
    const c = await setup();
    fake.queue({ status: 200, body: fixtureJson('opsgenie', 'alerts-page-1.json'), headers: { 'x-paging-next': 'https://evil.example.com/v2/alerts?offset=2' } });
    const r = await c.pollAlerts();
    expect(r.ok && r.pages).toBe(1);
    expect(fake.requests).toHaveLength(1);
  });

  it('acknowledges: 202, then confirms through the request status after it is processed', async () => {
    const c = await setup({ pendingPolls: 2 });
    const r = await c.acknowledge('70413a06-38d6-4c85-92b8-5ebc900d42e2');
    expect(r).toMatchObject({ ok: true, target: 'opsgenie', action: 'acknowledge', ref: '43a29c5c-3dbf-4fa4-9c26-f4f71023e120' });
    expect(fake.requests.map((q) => `${q.method} ${q.url.split('?')[0]}`)).toEqual([
      'POST /v2/alerts/70413a06-38d6-4c85-92b8-5ebc900d42e2/acknowledge',
      'GET /v2/alerts/requests/43a29c5c-3dbf-4fa4-9c26-f4f71023e120',
      'GET /v2/alerts/requests/43a29c5c-3dbf-4fa4-9c26-f4f71023e120',
      'GET /v2/alerts/requests/43a29c5c-3dbf-4fa4-9c26-f4f71023e120',
    ]);
  });

  it('unacknowledges (Undo) the same way: POST …/unacknowledge, 202, confirmed through the request status', async () => {
    const c = await setup({ pendingPolls: 1 });
    const r = await c.unacknowledge('70413a06-38d6-4c85-92b8-5ebc900d42e2');
    expect(r).toMatchObject({ ok: true, target: 'opsgenie', action: 'unacknowledge', ref: '43a29c5c-3dbf-4fa4-9c26-f4f71023e120' });
    expect(fake.requests.map((q) => `${q.method} ${q.url.split('?')[0]}`)).toEqual([
      'POST /v2/alerts/70413a06-38d6-4c85-92b8-5ebc900d42e2/unacknowledge',
      'GET /v2/alerts/requests/43a29c5c-3dbf-4fa4-9c26-f4f71023e120',
      'GET /v2/alerts/requests/43a29c5c-3dbf-4fa4-9c26-f4f71023e120',
    ]);
    expect(JSON.parse(fake.requests[0]!.body)).toMatchObject({ note: 'Acknowledgement taken back in On-Call Companion' });
    await fake.stop();
    expect(await (await setup({ ackOutcome: 'failed' })).unacknowledge('x')).toMatchObject({ ok: false, action: 'unacknowledge', error: { code: 'requestFailed' } });
  });

  it('reports a request Opsgenie refused, and one it never confirmed', async () => {
    const failed = await (await setup({ ackOutcome: 'failed' })).acknowledge('x');
    expect(failed).toMatchObject({ ok: false, error: { code: 'requestFailed', params: { reason: 'Alert does not exist' } } });
    await fake.stop();
    const pending = await (await setup({ pendingPolls: 10 })).acknowledge('x');
    expect(pending).toMatchObject({ ok: false, error: { code: 'requestPending' } });
  });

  it('a wrong key fails with 401', async () => {
    await setup();
    const c = createOpsgenieClient({ apiBase: fake.base, apiKey: 'bad', fetch, clock, timers: instant, ctx });
    expect(await c.pollAlerts()).toMatchObject({ ok: false, failure: { status: 401, error: { params: { reason: 'Could not authenticate' } } } });
    expect(await c.acknowledge('x')).toMatchObject({ ok: false, error: { code: 'http', params: { status: 401 } } });
  });
});
