import { describe, expect, it } from 'vitest';
import { normalizeAlertmanagerWebhook, PayloadError } from '../../src/core/alertmanager';
import { capture } from '../helpers/fixtures';

describe('normalizeAlertmanagerWebhook', () => {
  it('turns the captured firing webhook into one P1 page keyed by fingerprint', () => {
    const [s, ...rest] = normalizeAlertmanagerWebhook(capture('webhook-firing.json'));
    expect(rest).toHaveLength(0);
    expect(s).toMatchObject({
      id: 'alertmanager:cdfe032e9f2869d1',
      fingerprint: 'cdfe032e9f2869d1',
      groupKey: '{}:{alertname="DiskAlmostFull"}',
      status: 'firing',
      title: 'DiskAlmostFull',
      severity: 'P1',
      summary: 'Disk on db-1 is 97% full',
      instance: 'db-1:9100',
      runbookUrl: 'https://runbooks.example.com/disk-full',
      generatorUrl: 'http://127.0.0.1:9090/graph?g0.expr=disk_used_ratio%3E0.95',
      startsAt: Date.parse('2026-11-21T05:27:16.425Z'),
      endsAt: null,
    });
    expect(s!.labels).toEqual({ alertname: 'DiskAlmostFull', instance: 'db-1:9100', severity: 'critical' });
  });

  it('reads the resolved capture as resolved, with its end time, for the same key', () => {
    const [s] = normalizeAlertmanagerWebhook(capture('webhook-resolved.json'));
    expect(s).toMatchObject({ id: 'alertmanager:cdfe032e9f2869d1', status: 'resolved', endsAt: Date.parse('2026-11-21T05:27:17.443Z') });
  });

  it('takes each alert of a group separately, with its own severity', () => {
    const body = capture('webhook-firing.json') as { alerts: Array<Record<string, unknown>> };
    const second = { ...body.alerts[0], fingerprint: 'ffff', labels: { alertname: 'DiskAlmostFull', instance: 'db-2:9100', severity: 'warning' } };
    const signals = normalizeAlertmanagerWebhook({ ...body, alerts: [body.alerts[0], second] });
    expect(signals.map((s) => [s.id, s.severity, s.instance])).toEqual([
      ['alertmanager:cdfe032e9f2869d1', 'P1', 'db-1:9100'],
      ['alertmanager:ffff', 'P3', 'db-2:9100'],
    ]);
  });

  it('falls back to description when there is no summary', () => {
    const body = capture('webhook-firing.json') as { alerts: Array<{ annotations: Record<string, string> }> };
    body.alerts[0]!.annotations = { description: 'from description' };
    expect(normalizeAlertmanagerWebhook(body)[0]!.summary).toBe('from description');
  });

  it.each([
    [{ ...capture('webhook-firing.json'), version: '3' }, 'version'],
    [{ ...capture('webhook-firing.json'), alerts: 'nope' }, 'alerts'],
    [{ ...capture('webhook-firing.json'), alerts: [{ status: 'firing', labels: {}, startsAt: 'x', fingerprint: 'a' }] }, 'alerts[0].startsAt'],
    [{ ...capture('webhook-firing.json'), alerts: [{ status: 'firing', labels: {}, startsAt: '2026-01-01T00:00:00Z' }] }, 'alerts[0].fingerprint'],
    [[1, 2, 3], '(body)'],
  ])('refuses a wrong shape and names the field (%#)', (body, field) => {
    expect(() => normalizeAlertmanagerWebhook(body)).toThrow(PayloadError);
    expect(() => normalizeAlertmanagerWebhook(body)).toThrow(field);
  });
});

describe('strict parsing (issue 14)', () => {
  const hook = (alert: Record<string, unknown>) => ({ ...capture('webhook-firing.json'), alerts: [{ ...(capture('webhook-firing.json')['alerts'] as unknown[])[0] as object, ...alert }] });

  it.each(['0', '2026', 'yesterday', '2026-11-21', '2026-11-21T03:04:00'])('refuses %s as an alert time: RFC 3339 with a zone only', (startsAt) => {
    expect(() => normalizeAlertmanagerWebhook(hook({ startsAt }))).toThrow(/alerts\[0\]\.startsAt: not an RFC 3339 date-time/);
  });

  it('takes nanosecond precision and offsets, as Alertmanager and Prometheus write them', () => {
    const [s] = normalizeAlertmanagerWebhook(hook({ startsAt: '2026-11-21T05:27:16.425123456+01:00' }));
    expect(s!.startsAt).toBe(Date.parse('2026-11-21T04:27:16.425Z'));
  });

  it('keeps a label named __proto__ as a plain label, without touching any prototype', () => {
    const body = JSON.parse(JSON.stringify(hook({})).replace('"alertname":', '"__proto__":"sneaky","alertname":'));
    const [s] = normalizeAlertmanagerWebhook(body);
    expect(Object.hasOwn(s!.labels, '__proto__')).toBe(true);
    expect(s!.labels['__proto__' as 'x']).toBe('sneaky');
    expect(({} as Record<string, unknown>)['sneaky']).toBeUndefined();
    expect(Object.getPrototypeOf(s!.labels)).toBe(Object.prototype);
  });
});
