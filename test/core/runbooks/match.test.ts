import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildRunbookIndex, matchRunbook, pathSegments, type IndexedRunbook } from '../../../src/core/runbooks/match';
import { fixture } from './fixtures';

const library = [
  'kubernetes/KubePodCrashLooping.md',
  'database/postgres-replication-lag.md',
  'web/CertificateExpiry.md',
  'redis/RedisMemoryHigh.md',
].map(fixture);

const page = (runbookUrl: string | null, labels: Record<string, string> = {}) => ({ runbookUrl, labels });

describe('matching a page to a runbook', () => {
  const index = buildRunbookIndex(library);

  it('finds kubernetes/KubePodCrashLooping.md from the last URL segment, ignoring case and extension', () => {
    expect(matchRunbook(index, page('https://runbooks.example.dev/runbooks/kubernetes/kubepodcrashlooping'))).toEqual({
      path: 'kubernetes/KubePodCrashLooping.md',
      reason: 'fileName',
      anchor: null,
    });
    expect(matchRunbook(index, page('https://wiki.example/ops/KUBEPODCRASHLOOPING.html#diagnosis'))).toEqual({
      path: 'kubernetes/KubePodCrashLooping.md',
      reason: 'fileName',
      anchor: 'diagnosis',
    });
  });

  it('uses front-matter aliases, including Hugo-style alias paths', () => {
    expect(matchRunbook(index, page('https://runbooks.example.dev/runbooks/postgres/PostgresReplicationLagHigh/'))?.path).toBe('database/postgres-replication-lag.md');
    expect(matchRunbook(index, page('https://x.example/cert-expiry'))).toMatchObject({ path: 'web/CertificateExpiry.md', reason: 'alias' });
  });

  it('prefers an exact URL for runbooks fetched over https', () => {
    const idx = buildRunbookIndex([...library, { path: 'remote/other.md', url: 'https://runbooks.example.dev/KubePodCrashLooping', aliases: [], matchers: [] }]);
    expect(matchRunbook(idx, page('https://runbooks.example.dev/KubePodCrashLooping'))).toMatchObject({ path: 'remote/other.md', reason: 'url' });
  });

  it('falls back to label matchers, regex included, when there is no runbook_url', () => {
    expect(matchRunbook(index, page(null, { alertname: 'PostgresReplicationLag', cluster: 'prod-eu' }))).toMatchObject({
      path: 'database/postgres-replication-lag.md',
      reason: 'matchers',
    });
    expect(matchRunbook(index, page(null, { alertname: 'PostgresReplicationLag', cluster: 'staging' }))).toBeNull();
  });

  it('uses matchers when the runbook_url points nowhere known', () => {
    expect(matchRunbook(index, page('https://gone.example/nothing-here', { alertname: 'CertificateExpiry' }))).toMatchObject({ path: 'web/CertificateExpiry.md', reason: 'matchers' });
  });

  it('picks the most specific matcher set', () => {
    const rbs: IndexedRunbook[] = [
      { path: 'generic.md', url: null, aliases: [], matchers: [{ name: 'severity', op: '=', value: 'critical' }] },
      { path: 'specific.md', url: null, aliases: [], matchers: [{ name: 'severity', op: '=', value: 'critical' }, { name: 'team', op: '!=', value: 'db' }] },
    ];
    expect(matchRunbook(buildRunbookIndex(rbs), page(null, { severity: 'critical', team: 'web' }))?.path).toBe('specific.md');
    expect(matchRunbook(buildRunbookIndex(rbs), page(null, { severity: 'critical', team: 'db' }))?.path).toBe('generic.md');
  });

  it('resolves same-named files by the folders in the URL, and index/README files by their folder', () => {
    const rbs: IndexedRunbook[] = ['aws/HighLatency.md', 'gcp/HighLatency.md', 'kafka/ConsumerLag/_index.md'].map((p) => ({ path: p, url: null, aliases: [], matchers: [] }));
    const idx = buildRunbookIndex(rbs);
    expect(matchRunbook(idx, page('https://rb.example/gcp/highlatency'))?.path).toBe('gcp/HighLatency.md');
    expect(matchRunbook(idx, page('https://rb.example/aws/HighLatency.md'))?.path).toBe('aws/HighLatency.md');
    expect(matchRunbook(idx, page('https://rb.example/runbooks/kafka/consumerlag/'))?.path).toBe('kafka/ConsumerLag/_index.md');
  });

  it('leaves the choice to the engineer when nothing matches', () => {
    expect(matchRunbook(index, page(null, { alertname: 'SomethingElse' }))).toBeNull();
    expect(matchRunbook(index, page('', {}))).toBeNull();
  });

  it('any case and extension of a file name finds it (property)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,20}$/), fc.constantFrom('', '.md', '.MD', '.html', '/'), fc.boolean(), (name, ext, upper) => {
        const idx = buildRunbookIndex([{ path: `team/${name}.md`, url: null, aliases: [], matchers: [] }]);
        const shown = upper ? name.toUpperCase() : name.toLowerCase();
        const got = matchRunbook(idx, page(`https://x.example/a/${shown}${ext}`));
        return got?.path === `team/${name}.md` || ['index', 'readme', '_index'].includes(name.toLowerCase());
      }),
    );
  });

  it('pathSegments drops origin, query and index files', () => {
    expect(pathSegments('https://h.example/a/B/README.md?x=1#y')).toEqual(['a', 'b']);
  });
});
