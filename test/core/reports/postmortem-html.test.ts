// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { prefillPostmortem, type Postmortem } from '../../../src/core/reports/postmortem';
import { postmortemToHtml } from '../../../src/core/reports/postmortem-html';
import { MIN, resolvedIncident, T0, translator } from './scenario';

const en = translator('en');

function pm(over: Partial<Postmortem> = {}): Postmortem {
  const s = resolvedIncident();
  return { ...prefillPostmortem({ id: 'pm-1', incident: s.incident, timeline: s.timeline, runs: [s.run], authors: ['ann'], timeZone: 'UTC', t: en }, T0 + 60 * MIN), ...over };
}

const doc = (html: string) => new DOMParser().parseFromString(html, 'text/html');

describe('postmortem HTML', () => {
  it('is self-contained: inline CSS with print rules, a CSP, nothing loaded from elsewhere', () => {
    const d = doc(postmortemToHtml(pm(), en, 'en'));
    expect(d.querySelector('style')!.textContent).toContain('@page');
    expect(d.querySelector('meta[http-equiv="Content-Security-Policy"]')!.getAttribute('content')).toContain("default-src 'none'");
    expect(d.querySelectorAll('script, link, iframe, img[src^="http"]')).toHaveLength(0);
    expect(d.documentElement.lang).toBe('en');
  });

  it('shows every field in its own section', () => {
    const d = doc(
      postmortemToHtml(
        pm({
          summary: 'Checkout failed for **12 %** of users.',
          rootCause: 'A flag shipped everywhere.',
          actionItems: [{ item: 'Stage flags per region', type: 'prevent', owner: 'dora', due: '2026-03-16', ticket: 'OPS-123' }],
          lessons: { wentWell: 'Fast rollback', wentWrong: 'No kill switch', gotLucky: 'Daytime' },
        }),
        en,
        'en',
      ),
    );
    const field = (f: string) => d.querySelector(`[data-field="${f}"]`)!;
    expect(field('severity').textContent).toBe('P1');
    expect(field('summary').querySelector('strong')!.textContent).toBe('12 %');
    expect(field('rootCause').textContent).toContain('A flag shipped everywhere.');
    expect(field('impact').textContent).toContain('(not filled in yet)');
    expect([...field('actionItems').querySelectorAll('tbody td')].map((td) => td.textContent)).toEqual(['Stage flags per region', 'Prevent', 'dora', '2026-03-16', 'OPS-123']);
    expect(field('lessons').textContent).toContain('Where we got lucky');
    expect([...field('metrics').querySelectorAll('tbody tr')].map((tr) => tr.textContent)).toEqual(['Time to detect4m 00s', 'Time to acknowledge3m 00s', 'Time to mitigate17m 00s', 'Time to resolve44m 00s']);
    const markers = [...field('timeline').querySelectorAll('tr.marker')].map((tr) => tr.textContent);
    expect(markers).toEqual(['2026-03-02 09:56:00 UTC+00:00OUTAGE BEGINS', '2026-03-02 10:13:00 UTC+00:00MITIGATED', '2026-03-02 10:40:00 UTC+00:00ENDS']);
    expect(field('runbookSteps').querySelectorAll('tbody tr')).toHaveLength(3);
  });

  it('escapes everything: hostile text stays text', () => {
    const evil = '<script>alert(1)</script><img src=x onerror=alert(2)>';
    const d = doc(
      postmortemToHtml(
        pm({
          title: evil,
          summary: `${evil}\n\n[click](javascript:alert(3)) [ok](https://ok.example)`,
          authors: [evil],
          actionItems: [{ item: evil, type: 'process', owner: '"><svg onload=alert(4)>', due: null, ticket: null }],
        }),
        en,
        'en',
      ),
    );
    expect(d.querySelectorAll('script, img, svg, iframe')).toHaveLength(0);
    expect([...d.querySelectorAll('*')].filter((el) => [...el.attributes].some((a) => a.name.startsWith('on')))).toEqual([]);
    expect(d.querySelector('h1')!.textContent).toBe(evil);
    expect([...d.querySelectorAll('a')].map((a) => a.getAttribute('href'))).toEqual(['https://ok.example']);
  });

  it('keeps long unbroken text whole so the print CSS can wrap it', () => {
    const long = `${'x'.repeat(3000)}END`;
    const d = doc(postmortemToHtml(pm({ rootCause: long }), en, 'en'));
    expect(d.querySelector('[data-field="rootCause"]')!.textContent).toContain(long);
    expect(d.querySelector('style')!.textContent).toContain('overflow-wrap: anywhere');
  });

  it('is in German when asked', () => {
    const de = translator('de');
    const d = doc(postmortemToHtml(pm(), de, 'de'));
    expect(d.querySelector('[data-field="rootCause"] h2')!.textContent).toBe('Grundursache');
    expect(d.documentElement.lang).toBe('de');
  });
});

describe('long text in tables', () => {
  it('offers break points inside long tokens but keeps the text itself', async () => {
    const { escapeWithBreaks } = await import('../../../src/core/reports/html');
    const url = 'https://tracker.example.com/browse/OPS-123-with-a-very-long-slug-that-goes-on';
    const html = escapeWithBreaks(`see ${url} <now>`);
    expect(html).toContain('<wbr>');
    expect(html).toContain('&#60;now&#62;');
    expect(html.replace(/<wbr>/g, '').replace(/&#60;/g, '<').replace(/&#62;/g, '>')).toBe(`see ${url} <now>`);
    expect(escapeWithBreaks('Verantwortlich')).toBe('Verantwortlich');
  });
});
