import { describe, expect, it } from 'vitest';
import { DEFAULT_SEVERITY_MAPPING } from '../../../src/core/severity';
import type { ReceivingSource } from '../../../src/core/sources/receive';
import { SOURCE_ADAPTERS } from '../../../src/core/sources/registry';
import { SOURCE_KINDS, type SourceKind } from '../../../src/core/sources/kinds';
import { answerWebhook, normalizeHeaders } from '../../../src/main/sources/receive';
import { hmacSha256Hex } from '../../../src/main/sources/signatures';
import { fixtureJson, fixtureText } from '../../helpers/vendor-fake';

const NOW = Date.parse('2026-11-21T14:27:00Z');
const SECRET = 'whsec-test-0123456789';
const LIMIT = 64 * 1024;

const GOOD: Record<SourceKind, [string, string]> = {
  alertmanager: ['alertmanager', 'webhook-firing.json'],
  grafana: ['grafana', 'webhook-v1-firing.json'],
  pagerduty: ['pagerduty', 'webhook-incident-triggered.json'],
  opsgenie: ['opsgenie', 'webhook-create.json'],
  goalert: ['goalert', 'alert.json'],
  generic: ['generic', 'webhook-batch.json'],
};
/** A body of the right JSON but the wrong shape for each kind, and the field the refusal must name. */
const WRONG: Record<SourceKind, [unknown, string]> = {
  alertmanager: [{ ...fixtureJson<Record<string, unknown>>('alertmanager', 'webhook-firing.json'), groupKey: 42 }, 'groupKey'],
  grafana: [{ ...fixtureJson<Record<string, unknown>>('grafana', 'webhook-v1-firing.json'), alerts: 'none' }, 'alerts'],
  pagerduty: [{ event: { id: 'x', event_type: 'incident.triggered', resource_type: 'incident', data: {} } }, 'event.occurred_at'],
  opsgenie: [{ action: 'Create' }, 'alert'],
  goalert: [{ Type: 'Alert', AlertID: 'seven', Summary: 's' }, 'AlertID'],
  generic: [{ events: {} }, '$.events'],
};

function source(kind: SourceKind, secret: string | null, options: unknown = kind === 'generic' ? fixtureJson('generic', 'mapping.json') : {}): ReceivingSource<never> {
  const adapter = SOURCE_ADAPTERS[kind];
  const parsed = adapter.parseOptions(options as never);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.error));
  return { adapter, options: parsed.options, ctx: { sourceId: `s-${kind}`, severityMapping: DEFAULT_SEVERITY_MAPPING }, secret };
}
const generic = (withSig: boolean) => ({ ...fixtureJson('generic', 'mapping.json'), ...(withSig ? { signatureHeader: 'X-Signature', signaturePrefix: 'sha256=' } : {}) });
const input = (rawBody: string, headers: Record<string, string> = {}) => ({ rawBody, headers: normalizeHeaders(headers), receivedAt: NOW });

describe('receiving a webhook, every kind', () => {
  for (const kind of SOURCE_KINDS) {
    describe(kind, () => {
      const src = () => source(kind, null);
      it('accepts its documented body with 200', () => {
        const a = answerWebhook(src(), input(fixtureText(...GOOD[kind])), LIMIT);
        expect(a.status).toBe(200);
        expect(a.result.ok && a.result.signals.length).toBeGreaterThan(0);
      });
      it('answers 400 to malformed JSON', () => {
        const a = answerWebhook(src(), input(fixtureText(...GOOD[kind]).slice(0, 40)), LIMIT);
        expect(a).toMatchObject({ status: 400, result: { ok: false, error: { code: 'malformedJson' } } });
      });
      it('answers 422 to the wrong shape, naming the field', () => {
        const [body, field] = WRONG[kind];
        const a = answerWebhook(src(), input(JSON.stringify(body)), LIMIT);
        expect(a.status).toBe(422);
        expect(a.result.ok ? null : String(a.result.error.params['field'])).toContain(field);
      });
      it('answers 413 to a body over the limit, before parsing it', () => {
        const a = answerWebhook(src(), input(`{"pad":"${'x'.repeat(LIMIT)}"}`), LIMIT);
        expect(a).toMatchObject({ status: 413, result: { ok: false, error: { code: 'bodyTooLarge', params: { limit: LIMIT } } } });
      });
    });
  }
  it('counts multi-byte characters as bytes for the limit', () => {
    const a = answerWebhook(source('goalert', null), input(`{"Type":"Test","x":"${'é'.repeat(40)}"}`), 60);
    expect(a.status).toBe(413);
  });
});

describe('PagerDuty signatures', () => {
  const body = fixtureText('pagerduty', 'webhook-incident-triggered.json');
  const sig = (text: string, secret = SECRET) => `v1=${hmacSha256Hex(secret, text)}`;

  it('accepts a body signed with the secret', () => {
    expect(answerWebhook(source('pagerduty', SECRET), input(body, { 'X-PagerDuty-Signature': sig(body) }), LIMIT).status).toBe(200);
  });

  it('accepts during rotation when any one of several v1 values matches', () => {
    const header = `${sig(body, 'old-secret')},v1=${'0'.repeat(64)}, ${sig(body)}`;
    expect(answerWebhook(source('pagerduty', SECRET), input(body, { 'x-pagerduty-signature': header }), LIMIT).status).toBe(200);
  });

  it('refuses a body changed by one byte after signing', () => {
    const header = sig(body);
    const i = body.indexOf('A little bump');
    const changed = `${body.slice(0, i)}B${body.slice(i + 1)}`;
    expect(answerWebhook(source('pagerduty', SECRET), input(changed, { 'x-pagerduty-signature': header }), LIMIT)).toMatchObject({ status: 401, result: { ok: false, error: { code: 'badSignature' } } });
  });

  it('refuses a missing header, a wrong secret, a truncated digest and an unknown version', () => {
    const s = source('pagerduty', SECRET);
    expect(answerWebhook(s, input(body), LIMIT)).toMatchObject({ status: 401, result: { error: { code: 'missingSignature', params: { header: 'x-pagerduty-signature' } } } });
    expect(answerWebhook(s, input(body, { 'x-pagerduty-signature': sig(body, 'wrong') }), LIMIT).status).toBe(401);
    expect(answerWebhook(s, input(body, { 'x-pagerduty-signature': sig(body).slice(0, 40) }), LIMIT).status).toBe(401);
    expect(answerWebhook(s, input(body, { 'x-pagerduty-signature': sig(body).replace('v1=', 'v2=') }), LIMIT)).toMatchObject({ result: { error: { code: 'missingSignature' } } });
  });

  it('checks the signature before it looks at the JSON', () => {
    expect(answerWebhook(source('pagerduty', SECRET), input('{not json', { 'x-pagerduty-signature': sig('other') }), LIMIT).status).toBe(401);
  });

  it('signs UTF-8 bytes: a body with non-ASCII text verifies', () => {
    const text = body.replace('A little bump in the road', 'Störung – Datenbank 🔥');
    expect(answerWebhook(source('pagerduty', SECRET), input(text, { 'x-pagerduty-signature': sig(text) }), LIMIT).status).toBe(200);
  });
});

describe('Grafana and generic signatures', () => {
  it('Grafana: optional; when a secret is set the header must carry the hex HMAC', () => {
    const body = fixtureText('grafana', 'webhook-v1-firing.json');
    expect(answerWebhook(source('grafana', null), input(body), LIMIT).status).toBe(200);
    expect(answerWebhook(source('grafana', SECRET), input(body), LIMIT).status).toBe(401);
    expect(answerWebhook(source('grafana', SECRET), input(body, { 'X-Grafana-Alerting-Signature': hmacSha256Hex(SECRET, body) }), LIMIT).status).toBe(200);
  });

  it('Grafana with a timestamp header signs "timestamp:body"', () => {
    const body = fixtureText('grafana', 'webhook-v1-firing.json');
    const s = source('grafana', SECRET, { timestampHeader: 'X-Grafana-Alerting-Timestamp' });
    const ts = '1763702820';
    expect(answerWebhook(s, input(body, { 'X-Grafana-Alerting-Signature': hmacSha256Hex(SECRET, `${ts}:${body}`), 'X-Grafana-Alerting-Timestamp': ts }), LIMIT).status).toBe(200);
    expect(answerWebhook(s, input(body, { 'X-Grafana-Alerting-Signature': hmacSha256Hex(SECRET, `${ts}:${body}`), 'X-Grafana-Alerting-Timestamp': '1763702821' }), LIMIT).status).toBe(401);
    expect(answerWebhook(s, input(body, { 'X-Grafana-Alerting-Signature': hmacSha256Hex(SECRET, body) }), LIMIT)).toMatchObject({ result: { error: { code: 'missingSignature', params: { header: 'x-grafana-alerting-timestamp' } } } });
  });

  it('generic: the configured header and prefix', () => {
    const body = fixtureText('generic', 'webhook-batch.json');
    const s = source('generic', SECRET, generic(true));
    expect(answerWebhook(s, input(body, { 'X-Signature': `sha256=${hmacSha256Hex(SECRET, body)}` }), LIMIT).status).toBe(200);
    expect(answerWebhook(s, input(`${body} `, { 'X-Signature': `sha256=${hmacSha256Hex(SECRET, body)}` }), LIMIT).status).toBe(401);
  });
});
