import { createHmac } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { compareEventIds, relayEnvelopeSchema } from '../../src/core/relay/envelope';
import { createRelay, type Relay } from '../src/server';
import type { EventStore } from '../src/store/types';
import { collect, INGEST, PD_SECRETS, post, SUBSCRIBE, testConfig, storeBackends } from './support';

/** Waits on a condition; generous, because CI shares 2 cores with other suites. */
const until = (check: () => void) => vi.waitFor(check, { timeout: 20_000, interval: 5 });

const backends = storeBackends('t');

describe.each(backends)('relay contract: $name', (backend) => {
  let store: EventStore;
  let relay: Relay;
  let base: string;

  beforeAll(() => backend.setup());
  afterAll(() => backend.teardown());
  beforeEach(async () => {
    store = await backend.open();
    relay = createRelay({ config: testConfig({ maxBodyBytes: 64 * 1024, maxSubscribersPerChannel: 2 }), store });
    base = `http://127.0.0.1:${await relay.listen()}`;
  });
  afterEach(async () => {
    await relay.close();
    await store.close();
  });

  it('stores the raw body and the kept headers byte for byte, never Authorization', async () => {
    const sub = await collect(base, 'ops', { token: SUBSCRIBE });
    // Not valid UTF-8 and not JSON: the relay must not re-encode anything.
    const body = Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x00, 0x0a, 0x20, 0x7d]);
    const res = await post(base, 'ops', 'pagerduty', body, {
      authorization: `Bearer ${INGEST}`,
      'content-type': 'application/json; charset=utf-8',
      'x-pagerduty-signature': 'v1=abc,v1=def',
      'x-grafana-alerting-signature': 'sig  with  spaces',
      'x-hub-signature-256': 'sha256=00ff',
      'x-webhook-timestamp': '1732190000',
      cookie: 'session=1',
      'x-other': 'dropped',
    });
    expect(res.status).toBe(202);
    const [ev] = await sub.waitFor(1);
    expect(ev!.event).toBe('hook');
    expect(ev!.id).toBe(res.json.id);
    const envelope = relayEnvelopeSchema.parse(JSON.parse(ev!.data));
    expect(Buffer.from(envelope.body, 'base64').equals(body)).toBe(true);
    expect(envelope.headers).toEqual({
      'content-type': 'application/json; charset=utf-8',
      'x-pagerduty-signature': 'v1=abc,v1=def',
      'x-grafana-alerting-signature': 'sig  with  spaces',
      'x-hub-signature-256': 'sha256=00ff',
      'x-webhook-timestamp': '1732190000',
      'user-agent': expect.any(String),
    });
    expect(envelope).toMatchObject({ channel: 'ops', source: 'pagerduty' });
    sub.close();
  });

  it('replays everything after Last-Event-ID, then goes live with no gap and no duplicate', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) ids.push((await post(base, 'ops', 'am', `{"n":${i}}`)).json.id as string);
    for (let i = 1; i < ids.length; i++) expect(compareEventIds(ids[i]!, ids[i - 1]!)).toBeGreaterThan(0);
    const sub = await collect(base, 'ops', { token: SUBSCRIBE, lastEventId: ids[9] });
    // Live posts race the replay on purpose.
    const live = Promise.all(Array.from({ length: 20 }, (_, i) => post(base, 'ops', 'am', `{"n":${20 + i}}`)));
    await live;
    const got = await sub.waitFor(30);
    const bodies = got.map((e) => JSON.parse(Buffer.from(relayEnvelopeSchema.parse(JSON.parse(e.data)).body, 'base64').toString()).n as number);
    expect(bodies.slice(0, 10)).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
    expect(new Set(bodies).size).toBe(30);
    expect([...bodies].sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => 10 + i));
    for (let i = 1; i < got.length; i++) expect(compareEventIds(got[i]!.id, got[i - 1]!.id)).toBeGreaterThan(0);
    expect(relay.metrics.value('relay_events_replayed_total', { channel: 'ops' })).toBeGreaterThanOrEqual(10);
    sub.close();
  });

  it('a subscriber away for a burst of 1,000 events gets all of them exactly once on reconnect', async () => {
    const first = await collect(base, 'ops', { token: SUBSCRIBE, query: `?token=${SUBSCRIBE}` });
    await post(base, 'ops', 'am', '{"n":-1}');
    const [seen] = await first.waitFor(1);
    first.close();
    await Promise.all(Array.from({ length: 1000 }, (_, i) => post(base, 'ops', 'am', `{"n":${i}}`)));
    const again = await collect(base, 'ops', { query: `?token=${SUBSCRIBE}&lastEventId=${seen!.id}` });
    const got = await again.waitFor(1000);
    const ns = got.map((e) => JSON.parse(Buffer.from(JSON.parse(e.data).body, 'base64').toString()).n as number);
    expect(ns.length).toBe(1000);
    expect(new Set(ns).size).toBe(1000);
    again.close();
  });

  it('refuses bad input with the right status and a reason, and stores nothing', async () => {
    const cases: [string, RequestInit, number, string][] = [
      ['/hooks/nope/am', { method: 'POST', headers: { authorization: `Bearer ${INGEST}` }, body: '{}' }, 404, 'unknownChannel'],
      ['/hooks/ops/am', { method: 'POST', body: '{}' }, 401, 'missingToken'],
      ['/hooks/ops/am', { method: 'POST', headers: { authorization: 'Basic eDp5' }, body: '{}' }, 401, 'missingToken'],
      ['/hooks/ops/am', { method: 'POST', headers: { authorization: `Bearer ${SUBSCRIBE}` }, body: '{}' }, 401, 'wrongToken'],
      ['/hooks/ops/am', { method: 'POST', headers: { authorization: `Bearer ${INGEST}` }, body: 'x'.repeat(64 * 1024 + 1) }, 413, 'tooLarge'],
      ['/hooks/ops/am', { method: 'PUT', headers: { authorization: `Bearer ${INGEST}` }, body: '{}' }, 405, 'methodNotAllowed'],
      ['/hooks/ops/am', { method: 'GET' }, 405, 'methodNotAllowed'],
      ['/hooks/ops/..', { method: 'POST', headers: { authorization: `Bearer ${INGEST}` }, body: '{}' }, 404, 'notFound'],
      ['/hooks/ops/a%2Fb', { method: 'POST', headers: { authorization: `Bearer ${INGEST}` }, body: '{}' }, 400, 'badName'],
      ['/hooks/ops/am', { method: 'POST', headers: { authorization: `Bearer ${INGEST}` }, body: '' }, 400, 'emptyBody'],
      ['/hooks/pd/pagerduty', { method: 'POST', headers: { 'x-pagerduty-signature': 'v1=00' }, body: '{}' }, 401, 'badSignature'],
      ['/channels/ops/events', { headers: { authorization: `Bearer ${INGEST}` } }, 401, 'wrongToken'],
      ['/channels/ops/events', {}, 401, 'missingToken'],
      ['/channels/nope/events', { headers: { authorization: `Bearer ${SUBSCRIBE}` } }, 404, 'unknownChannel'],
      ['/channels/ops/events', { headers: { authorization: `Bearer ${SUBSCRIBE}`, 'last-event-id': 'yesterday' } }, 400, 'badLastEventId'],
      ['/channels/ops/events', { method: 'POST', body: '{}' }, 405, 'methodNotAllowed'],
    ];
    for (const [p, init, status, code] of cases) {
      const res = await fetch(base + p, init);
      const json = (await res.json()) as { error: string; reason: string };
      expect({ p, status: res.status, error: json.error }).toEqual({ p, status, error: code });
      expect(json.reason.length).toBeGreaterThan(5);
    }
    for (const ch of ['ops', 'pd', 'nope']) expect(await store.readAfter(ch, null, 10)).toEqual([]);
    expect(relay.metrics.value('relay_requests_refused_total', { channel: 'ops', reason: 'wrongToken' })).toBe(2);
  });

  it('accepts PagerDuty signatures, any of several during a rotation, refuses a one-byte change, and refuses the same signed request sent again', async () => {
    const body = '{"event":{"event_type":"incident.triggered","data":{"id":"PABC"}}}';
    const sig = (secret: string, b: string) => `v1=${createHmac('sha256', secret).update(b).digest('hex')}`;
    const header = `${sig('some-other-secret', body)},${sig(PD_SECRETS[1]!, body)}`;
    expect((await post(base, 'pd', 'pagerduty', body, { 'x-pagerduty-signature': header })).status).toBe(202);
    expect((await post(base, 'pd', 'pagerduty', body.replace('PABC', 'PABD'), { 'x-pagerduty-signature': header })).status).toBe(401);
    const replay = await post(base, 'pd', 'pagerduty', body, { 'x-pagerduty-signature': header });
    expect([replay.status, replay.json.error]).toEqual([409, 'replayed']);
    const stored = await store.readAfter('pd', null, 10);
    expect(stored.map((e) => e.body.toString())).toEqual([body]);
    expect(stored[0]!.headers['x-pagerduty-signature']).toBe(header);
  });

  it('caps subscribers per channel with 429, and frees the slot when one leaves', async () => {
    const a = await collect(base, 'ops', { token: SUBSCRIBE });
    const b = await collect(base, 'ops', { token: SUBSCRIBE });
    const c = await collect(base, 'ops', { token: SUBSCRIBE });
    expect([a.status, b.status, c.status]).toEqual([200, 200, 429]);
    a.close();
    await until(() => expect(relay.subscriberCount('ops')).toBe(1));
    const d = await collect(base, 'ops', { token: SUBSCRIBE });
    expect(d.status).toBe(200);
    b.close();
    d.close();
  });

  it('serves /healthz and Prometheus /metrics', async () => {
    const sub = await collect(base, 'ops', { token: SUBSCRIBE });
    await post(base, 'ops', 'am', '{}');
    await sub.waitFor(1);
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', backend: store.kind });
    const text = await (await fetch(`${base}/metrics`)).text();
    expect(text).toContain('# TYPE relay_events_ingested_total counter');
    expect(text).toMatch(/^relay_events_ingested_total\{channel="ops"\} 1$/m);
    expect(text).toMatch(/^relay_subscribers\{channel="ops"\} 1$/m);
    expect(text).toMatch(/^relay_storage_lag_seconds\{channel="ops"\} 0$/m);
    sub.close();
  });
});
