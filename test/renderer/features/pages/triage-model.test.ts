import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Page } from '../../../../src/core/page';
import { SEVERITIES } from '../../../../src/core/severity';
import { buildLine } from '../../../../src/renderer/features/pages/triage-line';
import { flattenRows, groupLines, groupPages, ownLabels } from '../../../../src/renderer/features/pages/triage-model';

function page(over: Partial<Page> & { id: string }): Page {
  return {
    source: 'alertmanager',
    fingerprint: over.id,
    groupKey: '',
    status: 'firing',
    title: 'X',
    severity: 'P3',
    summary: '',
    instance: '',
    labels: {},
    annotations: {},
    startsAt: 0,
    endsAt: null,
    generatorUrl: null,
    runbookUrl: null,
    receivedAt: 0,
    updatedAt: 0,
    acknowledgedAt: null,
    resolvedAt: null,
    fireCount: 1,
    ...over,
  };
}

const arbPage = fc.record({
  id: fc.uuid(),
  groupKey: fc.constantFrom('', 'g1', 'g2', 'g3'),
  status: fc.constantFrom('firing', 'acknowledged', 'resolved' as const),
  severity: fc.constantFrom(...SEVERITIES),
  title: fc.constantFrom('DiskFull', 'CpuHigh', 'KubePodCrashLooping'),
  startsAt: fc.integer({ min: 0, max: 1_000_000 }),
  labels: fc.dictionary(fc.constantFrom('namespace', 'pod', 'team'), fc.constantFrom('a', 'b')),
});

describe('triage grouping', () => {
  it('every page lands in exactly one line; a page without a group is a line of its own', () => {
    fc.assert(
      fc.property(fc.uniqueArray(arbPage, { selector: (p) => p.id, maxLength: 60 }), (raw) => {
        const pages = raw.map((r) => page(r));
        const groups = groupPages(pages);
        const ids = groups.flatMap((g) => g.members.map((m) => m.id)).sort();
        expect(ids).toEqual(pages.map((p) => p.id).sort());
        const byId = new Map(pages.map((p) => [p.id, p]));
        for (const g of groups) {
          const mine = g.members.map((m) => byId.get(m.id)!);
          expect(new Set(mine.map((p) => p.groupKey || p.id)).size).toBe(1);
          if (mine.some((p) => p.groupKey === '')) expect(mine).toHaveLength(1);
        }
      }),
    );
  });

  it('default order: a line with anything firing comes before acknowledged before resolved, then P1 before P4', () => {
    fc.assert(
      fc.property(fc.uniqueArray(arbPage, { selector: (p) => p.id, maxLength: 60 }), (raw) => {
        const groups = groupPages(raw.map((r) => page(r)));
        const rank = { firing: 0, acknowledged: 1, resolved: 2 };
        for (let i = 1; i < groups.length; i++) {
          const [a, b] = [groups[i - 1]!, groups[i]!];
          expect(rank[a.status]).toBeLessThanOrEqual(rank[b.status]);
          if (a.status === b.status) expect(a.severity <= b.severity).toBe(true);
        }
        // a group's status is its most urgent page's, and it counts its firing pages
        for (const g of groups) {
          expect(g.firing).toBe(g.members.filter((m) => m.status === 'firing').length);
          if (g.firing > 0) expect(g.status).toBe('firing');
        }
      }),
    );
  });

  it('shared labels are exactly those every alert of the group has with the same value', () => {
    fc.assert(
      fc.property(fc.uniqueArray(arbPage, { selector: (p) => p.id, minLength: 2, maxLength: 30 }), (raw) => {
        const pages = raw.map((r) => page({ ...r, groupKey: 'one' }));
        const [group] = groupPages(pages);
        for (const p of pages) {
          for (const [k, v] of Object.entries(group!.shared)) expect(p.labels[k]).toBe(v);
          // what is not shared is shown on the alert itself
          const own = Object.fromEntries(ownLabels(p, group!.shared));
          expect({ ...own, ...group!.shared }).toEqual(Object.fromEntries(Object.entries(p.labels)));
        }
      }),
    );
  });

  it('an acknowledged group held in place keeps its firing rank until released', () => {
    const pages = [page({ id: 'a', groupKey: 'ga', status: 'acknowledged', severity: 'P1', acknowledgedAt: 5 }), page({ id: 'b', groupKey: 'gb', severity: 'P4' })];
    expect(groupPages(pages).map((g) => g.key)).toEqual(['gb', 'ga']);
    expect(groupPages(pages, { held: new Set(['g:ga']) }).map((g) => g.key)).toEqual(['ga', 'gb']);
  });

  it('the filter keeps only matching alerts, and every word must match', () => {
    const pages = [
      page({ id: 'a', groupKey: 'g', labels: { pod: 'api-1', namespace: 'payments' } }),
      page({ id: 'b', groupKey: 'g', labels: { pod: 'api-2', namespace: 'payments' } }),
      page({ id: 'c', groupKey: 'h', title: 'DiskFull', summary: 'Disk on db-1' }),
    ];
    expect(groupPages(pages, { filter: 'PAYMENTS api-2' }).map((g) => g.members.map((m) => m.id))).toEqual([['b']]);
    expect(groupPages(pages, { filter: 'db-1' }).map((g) => g.key)).toEqual(['h']);
    expect(groupPages(pages, { filter: 'nothing' })).toEqual([]);
  });

  it('an open group is followed by its shared labels and its alerts; a closed one by nothing', () => {
    const pages = [page({ id: 'a', groupKey: 'g' }), page({ id: 'b', groupKey: 'g' }), page({ id: 'c', groupKey: 'h' })];
    const groups = groupPages(pages);
    const read = new Map([['g', pages.slice(0, 2)]]);
    expect(flattenRows(groups, new Set(), read).map((r) => r.kind)).toEqual(['group', 'group']);
    expect(flattenRows(groups, new Set(['g']), read).map((r) => r.key)).toEqual(['g:g', 's:g', 'p:a', 'p:b', 'g:h']);
    // until the open group's alerts are read, it shows only itself
    expect(flattenRows(groups, new Set(['g'])).map((r) => r.key)).toEqual(['g:g', 'g:h']);
  });
});

describe('slim lines', () => {
  const words = ['api', 'db-1', 'pay', 'team=a', 'x', 'pod=b', 'disk', 'crash', 'zzz'];
  const arbRich = fc.record({
    id: fc.uuid(),
    groupKey: fc.constantFrom('', 'g1', 'g2'),
    status: fc.constantFrom('firing', 'acknowledged', 'resolved' as const),
    severity: fc.constantFrom(...SEVERITIES),
    title: fc.constantFrom('DiskFull', 'CrashLoop'),
    summary: fc.constantFrom('', 'api down', 'db-1 disk', 'payments'),
    instance: fc.constantFrom('', 'db-1:9100', 'api-2'),
    startsAt: fc.integer({ min: 0, max: 1_000 }),
    resolvedAt: fc.integer({ min: 0, max: 1_000 }),
    labels: fc.dictionary(fc.constantFrom('team', 'pod'), fc.constantFrom('a', 'b')),
  });
  // the filter as it was defined on full pages: every word somewhere in the page's own text
  const oldText = (p: Page) => [p.title, p.summary, p.instance, ...Object.entries(p.labels).map(([k, v]) => `${k}=${v}`), ...Object.values(p.annotations)].join(' ').toLowerCase();

  it('a filter over slim lines shows exactly the alerts whose text has every word, counted per line', () => {
    fc.assert(
      fc.property(fc.uniqueArray(arbRich, { selector: (p) => p.id, maxLength: 40 }), fc.subarray(words, { maxLength: 2 }), (raw, typed) => {
        const pages = raw.map(({ resolvedAt, ...r }) => page({ ...r, resolvedAt: r.status === 'resolved' ? resolvedAt : null }));
        const expected = new Map<string, string[]>();
        for (const p of pages) {
          if (!typed.every((w) => oldText(p).includes(w))) continue;
          expected.set(p.groupKey || p.id, [...(expected.get(p.groupKey || p.id) ?? []), p.id]);
        }
        const groups = groupPages(pages, { filter: typed.join(' ') });
        expect(new Map(groups.map((g) => [g.key, g.members.map((m) => m.id).sort()]))).toEqual(new Map([...expected].map(([k, ids]) => [k, ids.sort()])));
      }),
    );
  });

  it('alerts resolved before the cut-off are left out; a line left with none is not shown', () => {
    const pages = [
      page({ id: 'open', groupKey: 'g' }),
      page({ id: 'old', groupKey: 'g', status: 'resolved', resolvedAt: 10 }),
      page({ id: 'recent', groupKey: 'h', status: 'resolved', resolvedAt: 500 }),
      page({ id: 'ancient', groupKey: 'k', status: 'resolved', resolvedAt: 5 }),
    ];
    const shown = (since: number | null) => groupPages(pages, { resolvedSince: since }).map((g) => [g.key, g.members.map((m) => m.id)]);
    expect(shown(100)).toEqual([
      ['g', ['open']],
      ['h', ['recent']],
    ]);
    expect(shown(null)).toEqual([
      ['g', ['open', 'old']],
      ['h', ['recent']],
      ['k', ['ancient']],
    ]);
  });

  it('a line keeps its lead, severity and counts from its most urgent shown alert', () => {
    const line = buildLine('g', [
      page({ id: 'a', groupKey: 'g', status: 'acknowledged', severity: 'P1', title: 'DiskFull', startsAt: 5 }),
      page({ id: 'b', groupKey: 'g', severity: 'P3', title: 'CpuHigh', summary: 'cpu 95%', startsAt: 9 }),
      page({ id: 'c', groupKey: 'g', status: 'resolved', severity: 'P2', title: 'CpuHigh', startsAt: 1, resolvedAt: 7 }),
    ])!;
    expect(line).toMatchObject({ total: 3, firing: 1, acknowledged: 1, resolved: 1, lastResolvedAt: 7, titles: ['CpuHigh', 'DiskFull'] });
    const [group] = groupLines([line]);
    expect(group).toMatchObject({ status: 'firing', severity: 'P1', firing: 1, startsAt: 1, titles: 2, lead: { id: 'b', title: 'CpuHigh', summary: 'cpu 95%' } });
  });
});
