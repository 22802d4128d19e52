import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SEVERITY_MAPPING } from '../../../src/core/severity';
import { parseSourceConfigs } from '../../../src/core/sources/config';
import type { KnownPage } from '../../../src/core/sources/reconcile';
import { systemTimers } from '../../../src/main/sources/http';
import { createSourceRegistry, type PollDelivery, type SourceStatus } from '../../../src/main/sources/registry';
import { memorySecretStore, secretIds } from '../../../src/main/sources/secret-store';
import { hmacSha256Hex } from '../../../src/main/sources/signatures';
import { fixtureJson, fixtureText, servePagerDuty, startVendorFake, type VendorFake } from '../../helpers/vendor-fake';

const NOW = Date.parse('2026-11-21T05:30:00Z');
const clock = { now: () => NOW };
const KEY = 'pd-api-key-secret';
const SIGNING = 'pd-signing-secret';

function gonePage(): KnownPage {
  return { id: 'pd:PGONE00', source: 'pagerduty', fingerprint: 'PGONE00', groupKey: 'pd:service:PF9KMXH', title: 'Resolved in PagerDuty meanwhile', severity: 'P1', summary: '', instance: '', labels: {}, annotations: {}, startsAt: NOW - 3_600_000, generatorUrl: null, runbookUrl: null, receivedAt: NOW - 3_600_000 };
}

let fake: VendorFake;
beforeEach(async () => {
  fake = await startVendorFake();
  const incidents = [...fixtureJson<{ incidents: unknown[] }>('pagerduty', 'incidents-page-1.json').incidents, ...fixtureJson<{ incidents: unknown[] }>('pagerduty', 'incidents-page-2.json').incidents];
  servePagerDuty(fake, { apiKey: KEY, incidents });
});
afterEach(() => fake.stop());

async function registry() {
  const parsed = parseSourceConfigs([
    { id: 'pd', kind: 'pagerduty', name: 'PagerDuty', options: { apiBase: fake.base, from: 'jane@example.com' } },
    { id: 'hooks', kind: 'goalert', name: 'GoAlert' },
  ]);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.error));
  const secrets = memorySecretStore({ [secretIds('pd').api]: KEY, [secretIds('pd').signing]: SIGNING });
  const polls: PollDelivery[] = [];
  const statuses: SourceStatus[] = [];
  const reg = createSourceRegistry({
    sources: parsed.sources,
    secrets,
    fetch,
    clock,
    timers: systemTimers,
    random: () => 0.5,
    severityMapping: DEFAULT_SEVERITY_MAPPING,
    knownPages: (id) => (id === 'pd' ? [gonePage()] : []),
    onPoll: (d) => polls.push(d),
    onStatus: (s) => statuses.push(s),
    who: 'jane@example.com',
  });
  await reg.start();
  return { reg, polls, statuses };
}

describe('source registry', () => {
  it('polls PagerDuty at start and closes the page PagerDuty no longer lists', async () => {
    const { reg, polls } = await registry();
    await reg.pollAll();
    const last = polls.at(-1)!;
    expect(last.sourceId).toBe('pd');
    expect(last.reconciliation.closed).toEqual(['pd:PGONE00']);
    expect(last.reconciliation.discovered).toEqual(['pd:PT4KHLK', 'pd:PT4KHLL', 'pd:PT4KHLM']);
    expect(reg.statuses().find((s) => s.id === 'pd')).toMatchObject({ state: 'connected', lastError: null, poller: { status: 'ok' } });
    reg.stop();
  });

  it('shows a failing poll with its reason and keeps the secret out of it', async () => {
    fake.queue({ status: 429, headers: { 'ratelimit-reset': '30' }, body: {} });
    fake.queue({ status: 429, headers: { 'ratelimit-reset': '30' }, body: {} });
    const { reg, statuses } = await registry();
    await reg.pollAll();
    const pd = reg.statuses().find((s) => s.id === 'pd')!;
    expect(pd).toMatchObject({ state: 'failing', lastError: { code: 'rateLimited', params: { seconds: 30 } } });
    expect(pd.poller!.nextAt! - NOW).toBeGreaterThanOrEqual(30_000);
    expect(JSON.stringify(statuses)).not.toContain(KEY);
    reg.stop();
  });

  it('receives a signed PagerDuty webhook, refuses a forged one, and says so in the status', async () => {
    const { reg } = await registry();
    reg.stop();
    const body = fixtureText('pagerduty', 'webhook-incident-triggered.json');
    const ok = await reg.receive('pd', { rawBody: body, headers: { 'x-pagerduty-signature': `v1=${hmacSha256Hex(SIGNING, body)}` }, receivedAt: NOW }, 1 << 20);
    expect(ok.status).toBe(200);
    expect(reg.statuses().find((s) => s.id === 'pd')!.lastDeliveryAt).toBe(NOW);
    const forged = await reg.receive('pd', { rawBody: body, headers: { 'x-pagerduty-signature': `v1=${hmacSha256Hex('guess', body)}` }, receivedAt: NOW }, 1 << 20);
    expect(forged.status).toBe(401);
    expect(reg.statuses().find((s) => s.id === 'pd')).toMatchObject({ state: 'failing', lastError: { code: 'badSignature' } });
    expect(await reg.receive('nope', { rawBody: '{}', headers: {}, receivedAt: NOW }, 1 << 20)).toMatchObject({ status: 404, result: { ok: false, error: { code: 'unknownSource', params: { source: 'nope' } } } });
  });

  it('routes acknowledge and resolve to PagerDuty, and says what it cannot write back', async () => {
    const { reg } = await registry();
    reg.stop();
    const page = { id: 'pd:PT4KHLK', fingerprint: 'PT4KHLK', labels: {} };
    expect(await reg.writeBack('pd', 'acknowledge', page)).toMatchObject({ ok: true, target: 'pagerduty', action: 'acknowledge' });
    expect(await reg.writeBack('pd', 'unacknowledge', page)).toMatchObject({ ok: false, error: { code: 'unsupported', params: { target: 'PagerDuty' } } });
    expect(await reg.writeBack('hooks', 'acknowledge', { id: 'hooks:1', fingerprint: '1', labels: {} })).toMatchObject({ ok: false, target: 'goalert', error: { code: 'notConfigured' } });
  });
});
