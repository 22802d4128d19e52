import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Page } from '../../../../src/core/page';
import { SEVERITIES } from '../../../../src/core/severity';
import { flattenRows, groupPages, ownLabels } from '../../../../src/renderer/features/pages/triage-model';

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
        const ids = groups.flatMap((g) => g.pages.map((p) => p.id)).sort();
        expect(ids).toEqual(pages.map((p) => p.id).sort());
        for (const g of groups) {
          expect(new Set(g.pages.map((p) => p.groupKey || p.id)).size).toBe(1);
          if (g.pages.some((p) => p.groupKey === '')) expect(g.pages).toHaveLength(1);
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
          expect(g.firing).toBe(g.pages.filter((p) => p.status === 'firing').length);
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
    expect(groupPages(pages, { filter: 'PAYMENTS api-2' }).map((g) => g.pages.map((p) => p.id))).toEqual([['b']]);
    expect(groupPages(pages, { filter: 'db-1' }).map((g) => g.key)).toEqual(['h']);
    expect(groupPages(pages, { filter: 'nothing' })).toEqual([]);
  });

  it('an open group is followed by its shared labels and its alerts; a closed one by nothing', () => {
    const pages = [page({ id: 'a', groupKey: 'g' }), page({ id: 'b', groupKey: 'g' }), page({ id: 'c', groupKey: 'h' })];
    const groups = groupPages(pages);
    expect(flattenRows(groups, new Set()).map((r) => r.kind)).toEqual(['group', 'group']);
    expect(flattenRows(groups, new Set(['g'])).map((r) => r.key)).toEqual(['g:g', 's:g', 'p:a', 'p:b', 'g:h']);
  });
});
