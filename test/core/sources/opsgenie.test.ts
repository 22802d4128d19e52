import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SEVERITY_MAPPING } from '../../../src/core/severity';
import { parseOpsgenieAlerts, parseOpsgenieWebhook, quoteNanoTimes } from '../../../src/core/sources/opsgenie/adapter';
import { fixtureJson, fixtureText } from '../../helpers/vendor-fake';

const ctx = { sourceId: 'og', severityMapping: DEFAULT_SEVERITY_MAPPING };
const NOW = Date.parse('2026-11-21T14:27:00Z');
const hook = (rawBody: string) => parseOpsgenieWebhook({ rawBody, headers: {}, receivedAt: NOW }, ctx);

describe('Opsgenie adapter', () => {
  it('keys a Create by alias and keeps the nanosecond updatedAt exact as text', () => {
    const r = hook(fixtureText('opsgenie', 'webhook-close.json').replace('"Close"', '"Create"'));
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    expect(r.signals[0]).toMatchObject({ id: 'og:aliastest', fingerprint: 'aliastest', status: 'firing', title: 'test alert', startsAt: 1420452191104 });
    // 1420452224764002246 as a JS number would read back as 1420452224764002300
    expect(r.signals[0]!.labels['updatedAtNs']).toBe('1420452224764002246');
  });

  it('maps priority and details from a Create with them', () => {
    const r = hook(fixtureText('opsgenie', 'webhook-create.json'));
    expect(r.ok && r.signals[0]).toMatchObject({ severity: 'P1', summary: 'Disk on db-1 is 97% full', labels: { prop1: 'val1', prop2: 'val2', priority: 'P1' } });
  });

  it('resolves on Close and ignores Acknowledge', () => {
    expect(hook(fixtureText('opsgenie', 'webhook-close.json'))).toMatchObject({ ok: true, signals: [{ id: 'og:aliastest', status: 'resolved', endsAt: NOW }] });
    expect(hook(fixtureText('opsgenie', 'webhook-acknowledge.json'))).toEqual({ ok: true, signals: [], groups: [], ignored: 'Acknowledge' });
  });

  it('leaves "updatedAt" inside a text value alone', () => {
    const raw = '{"message":"x \\"updatedAt\\": 123","updatedAt": 1420452224764002246}';
    expect(JSON.parse(quoteNanoTimes(raw))).toEqual({ message: 'x "updatedAt": 123', updatedAt: '1420452224764002246' });
  });

  it('changes nothing but a numeric updatedAt, whatever else the JSON holds', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 3 }), fc.bigInt({ min: 0n, max: 10n ** 19n }), (other, ns) => {
        const body = JSON.stringify({ other, alert: { updatedAt: 0 } }).replace('"updatedAt":0', `"updatedAt":${ns}`);
        const parsed = JSON.parse(quoteNanoTimes(body)) as { other: unknown; alert: { updatedAt: string } };
        return parsed.alert.updatedAt === String(ns) && JSON.stringify(parsed.other) === JSON.stringify(other);
      }),
      { numRuns: 2_000 },
    );
  });

  it('reads a page of GET /v2/alerts with its next link', () => {
    const r = parseOpsgenieAlerts(fixtureJson('opsgenie', 'alerts-page-1.json'), ctx);
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    expect(r.signals.map((s) => [s.id, s.severity, s.status])).toEqual([
      ['og:alias-1', 'P1', 'firing'],
      ['og:alias-2', 'P3', 'firing'],
    ]);
    expect(r.next).toContain('offset=2');
  });

  it('names the missing alert id', () => {
    const body = fixtureJson<{ alert: Record<string, unknown> }>('opsgenie', 'webhook-create.json');
    delete body.alert['alertId'];
    expect(hook(JSON.stringify(body))).toMatchObject({ ok: false, error: { code: 'wrongShape', params: { field: 'alert.alertId' } } });
  });
});
