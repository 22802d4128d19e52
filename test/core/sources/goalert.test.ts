import { describe, expect, it } from 'vitest';
import { DEFAULT_SEVERITY_MAPPING } from '../../../src/core/severity';
import { parseGoAlertWebhook } from '../../../src/core/sources/goalert/adapter';
import { fixtureText } from '../../helpers/vendor-fake';

const ctx = { sourceId: 'goalert', severityMapping: DEFAULT_SEVERITY_MAPPING };
const NOW = Date.parse('2026-11-21T14:27:00Z');
const hook = (rawBody: string) => parseGoAlertWebhook({ rawBody, headers: {}, receivedAt: NOW }, ctx, { baseUrl: 'https://goalert.example.com' });

describe('GoAlert adapter', () => {
  it('turns an Alert into a page keyed by the alert id, linked to GoAlert', () => {
    const r = hook(fixtureText('goalert', 'alert.json'));
    expect(r).toMatchObject({ ok: true, signals: [{ id: 'goalert:79685', status: 'firing', title: 'Example Summary', generatorUrl: 'https://goalert.example.com/alerts/79685', startsAt: NOW, labels: { example_field: 'example_value' } }] });
  });

  it('closes the page on a "Closed" status update and ignores an acknowledgement', () => {
    expect(hook(fixtureText('goalert', 'status-closed.json'))).toMatchObject({ ok: true, signals: [{ id: 'goalert:79685', status: 'resolved', endsAt: NOW }] });
    expect(hook(fixtureText('goalert', 'status-acknowledged.json'))).toMatchObject({ ok: true, signals: [] });
  });

  it('makes one page per service for a bundle, with the count', () => {
    expect(hook(fixtureText('goalert', 'alert-bundle.json'))).toMatchObject({ ok: true, signals: [{ id: 'goalert:bundle:3f2c9a1e-5b7d-4c2a-9e1f-0a1b2c3d4e5f', title: 'Example Service', labels: { count: '6' } }] });
  });

  it('accepts verification and refuses an unknown Type', () => {
    expect(hook(fixtureText('goalert', 'verification.json'))).toMatchObject({ ok: true, signals: [], ignored: 'Verification' });
    expect(hook('{"Type":"Nope"}')).toMatchObject({ ok: false, error: { code: 'wrongShape', params: { field: 'Type' } } });
  });
});
