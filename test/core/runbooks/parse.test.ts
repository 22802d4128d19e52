import { describe, expect, it } from 'vitest';
import { RunbookError } from '../../../src/core/runbooks/errors';
import type { RenderNode } from '../../../src/core/runbooks/model';
import { flattenSteps, parseRunbook } from '../../../src/core/runbooks/parse';
import { fixture, fixtureText } from './fixtures';

function texts(nodes: RenderNode[]): string {
  return nodes
    .map((n) => ('value' in n ? n.value : 'children' in n ? texts(n.children) : n.type === 'table' ? n.rows.flat(2).map((c) => texts([c])).join(' ') : ''))
    .join(' ');
}

describe('runbook in the Meaning / Impact / Diagnosis / Mitigation style (paragraphs and code only)', () => {
  const rb = fixture('kubernetes/KubePodCrashLooping.md');

  it('takes the title from front matter and ignores Hugo keys', () => {
    expect(rb.title).toBe('Kube Pod Crash Looping');
    expect(rb.warnings).toEqual([]);
    expect(rb.sections.map((s) => [s.title, s.procedure])).toEqual([
      ['KubePodCrashLooping', false],
      ['Meaning', false],
      ['Impact', false],
      ['Diagnosis', true],
      ['Mitigation', true],
    ]);
  });

  it('makes each paragraph a step and keeps code after a colon with its paragraph', () => {
    expect(rb.groups.map((g) => g.titlePath)).toEqual([['Diagnosis'], ['Mitigation']]);
    const diagnosis = rb.groups[0]!.steps;
    expect(diagnosis.map((s) => s.kind)).toEqual(['paragraph', 'code', 'paragraph', 'paragraph']);
    expect(diagnosis[0]!.text).toBe('Find the pod and how often it restarted.');
    expect(diagnosis[1]!.text).toContain('kubectl get pods');
    expect(diagnosis[2]!.text).toMatch(/^Read the logs/);
    expect(diagnosis[2]!.code).toEqual([{ lang: 'shell', value: 'kubectl logs -n $NAMESPACE $POD --previous --tail=200' }]);
    expect(diagnosis[3]!.text).toMatch(/OOMKilled/);
  });

  it('classifies links: relative .md opens a runbook, https opens outside', () => {
    const mitigation = rb.groups[1]!.steps;
    const links = mitigation.flatMap((s) => s.content).flatMap((n) => (n.type === 'paragraph' ? n.children : [])).filter((n) => n.type === 'link');
    expect(links.map((l) => (l.type === 'link' ? l.target : null))).toEqual([
      { kind: 'runbook', path: 'capacity/MemoryPressure.md', anchor: 'raise-limits' },
      { kind: 'external', url: 'https://kubernetes.io/docs/tasks/debug/debug-application/' },
    ]);
  });
});

describe('numbered lists with code inside items', () => {
  const rb = fixture('database/postgres-replication-lag.md');

  it('reads aliases, matchers and severity from front matter; the H1 may differ from the file name', () => {
    expect(rb.title).toBe('PostgreSQL replication lag');
    expect(rb.aliases).toEqual(['/runbooks/postgres/PostgresReplicationLagHigh/', 'pg-lag']);
    expect(rb.matchers).toEqual([
      { name: 'alertname', op: '=', value: 'PostgresReplicationLag' },
      { name: 'cluster', op: '=~', value: 'prod-.*' },
    ]);
    expect(rb.severity).toBe('P1');
  });

  it('gives four numbered steps, each with its own SQL attached', () => {
    const steps = rb.groups[0]!.steps;
    expect(steps.map((s) => s.kind)).toEqual(['numbered', 'numbered', 'numbered', 'numbered']);
    expect(steps.map((s) => s.code.length)).toEqual([1, 1, 1, 0]);
    expect(steps[0]!.text).toBe('Check the lag on every replica:');
    expect(steps[0]!.code[0]).toEqual({ lang: 'sql', value: 'SELECT client_addr, state, replay_lag FROM pg_stat_replication;' });
    expect(steps[2]!.code[0]!.value).toContain('pg_cancel_backend(<pid>)');
    expect(steps[3]!.text).toBe('If the lag keeps growing, tell #db-oncall and page the database owner.');
  });
});

describe('nested task lists', () => {
  const rb = fixture('shift/shift-start.md');
  it('turns nested items into sub-steps and keeps the author ticks', () => {
    const steps = rb.groups[0]!.steps;
    expect(steps.map((s) => s.text)).toEqual(['Review open incidents', 'Test the paging paths', 'Check tool access']);
    expect(steps[0]!.substeps.map((s) => [s.id, s.text, s.checkedInSource])).toEqual([
      ['g1.s1.1', 'Read the last status update of each', false],
      ['g1.s1.2', 'Note who is Incident Commander', true],
    ]);
    expect(flattenSteps(steps)).toHaveLength(9);
    expect(steps.every((s) => s.kind === 'task')).toBe(true);
  });
});

describe('no front matter, bold pseudo-headings', () => {
  const rb = fixture('redis/RedisMemoryHigh.md');
  it('titles from the H1 and groups everything under each bold line into one step', () => {
    expect(rb.title).toBe('Redis is running out of memory');
    const steps = rb.groups[0]!.steps;
    expect(steps.map((s) => s.text)).toEqual(['Find the biggest keys', 'Check the eviction policy', 'Free memory']);
    expect(steps[0]!.code.map((c) => c.value)).toEqual(['redis-cli --bigkeys -i 0.1']);
    expect(texts(steps[0]!.content)).toContain('Sample the keyspace');
    expect(steps[2]!.code).toEqual([]);
  });

  it('falls back to the file name when there is neither front matter nor H1', () => {
    const rb2 = parseRunbook('## Steps\n\n- restart it\n', { path: 'ops/RestartThing.md' });
    expect(rb2.title).toBe('RestartThing');
    expect(rb2.groups[0]!.steps[0]!.kind).toBe('bullet');
  });
});

describe('text that could break a naive renderer', () => {
  it('keeps an unclosed fence to the end of the file as code, with a warning', () => {
    const rb = fixture('broken/unclosed-fence.md');
    expect(rb.warnings).toContainEqual({ code: 'unclosedFence', params: { line: 7 } });
    const step = rb.groups[0]!.steps[0]!;
    expect(step.text).toBe('Find what grew:');
    expect(step.code[0]!.value).toBe('du -xh /var | sort -h | tail -20\nFind large deleted-but-open files too.');
  });

  it('shows <details>, Hugo shortcodes and {{range}} in code as text', () => {
    const rb = fixture('web/CertificateExpiry.md');
    expect(rb.warnings).toContainEqual({ code: 'rawHtml', params: { count: 2 } });
    const raw = rb.tree.filter((n) => n.type === 'rawText').map((n) => (n.type === 'rawText' ? n.value : ''));
    expect(raw.join('\n')).toContain('<details>');
    expect(texts(rb.tree)).toContain('{{< ref "web/acme.md" >}}');
    expect(rb.groups[0]!.steps[0]!.code[0]!.value).toContain('{{range .items}}');
    expect(rb.matchers).toEqual([{ name: 'alertname', op: '=', value: 'CertificateExpiry' }]);
  });

  it('makes H3 subsections under a procedure alternatives, each its own group', () => {
    const rb = fixture('web/CertificateExpiry.md');
    expect(rb.groups.map((g) => [g.titlePath.join(' › '), g.alternativeOf])).toEqual([
      ['Diagnosis', null],
      ['Mitigation › Option A: cert-manager renews', 'mitigation'],
      ['Mitigation › Option B: renew by hand', 'mitigation'],
    ]);
    expect(rb.groups[2]!.steps.map((s) => s.kind)).toEqual(['numbered', 'numbered']);
  });

  it('survives broken YAML and bad matchers with warnings, not failures', () => {
    const rb = parseRunbook('---\ntitle: [unclosed\n---\n# T\n\n## Steps\n\n1. one\n', { path: 'x.md' });
    expect(rb.title).toBe('T');
    expect(rb.warnings.map((w) => w.code)).toContain('frontMatterInvalid');
    const rb2 = parseRunbook('---\nmatchers: ["job=~(unclosed", "nonsense"]\n---\n', { path: 'y.md' });
    expect(rb2.matchers).toEqual([]);
    expect(rb2.warnings.filter((w) => w.code === 'matcherInvalid')).toHaveLength(2);
    expect(rb2.warnings.map((w) => w.code)).toContain('noSteps');
  });

  it('refuses absurdly deep nesting with a typed error instead of crashing', () => {
    expect(() => parseRunbook(`## Steps\n\n${'>'.repeat(3000)} x\n`, { path: 'deep.md' })).toThrow(/tooDeep/);
  });

  it('refuses binary and oversized files with a typed error', () => {
    expect(() => parseRunbook('abc\u0000def', { path: 'bin.md' })).toThrow(RunbookError);
    try {
      parseRunbook('x'.repeat(3 * 1024 * 1024), { path: 'big.md' });
      expect.unreachable();
    } catch (err) {
      expect((err as RunbookError).code).toBe('tooLarge');
      expect((err as RunbookError).params.path).toBe('big.md');
    }
  });
});

describe('sections and versions', () => {
  it('does not take bullet lists under Impact as steps, but does under other headings', () => {
    const rb = parseRunbook('# A\n\n## Impact\n\n- users cannot log in\n\n## Restart the API\n\n- scale to zero\n- scale back\n', { path: 'a.md' });
    expect(rb.groups.map((g) => g.titlePath[0])).toEqual(['Restart the API']);
  });

  it('de-duplicates heading ids like GitHub so anchors stay unique', () => {
    const rb = parseRunbook('## Check\n\ntext\n\n## Check\n', { path: 'a.md' });
    expect(rb.sections.map((s) => s.id)).toEqual(['check', 'check-1']);
    expect(rb.tree.filter((n) => n.type === 'heading').map((n) => (n.type === 'heading' ? n.id : ''))).toEqual(['check', 'check-1']);
  });

  it('gives a new version when the text changes and the same one when it does not', () => {
    const text = fixtureText('redis/RedisMemoryHigh.md');
    const a = parseRunbook(text, { path: 'r.md' });
    expect(parseRunbook(text, { path: 'r.md' }).version).toBe(a.version);
    expect(parseRunbook(`${text}\nOne more line.`, { path: 'r.md' }).version).not.toBe(a.version);
    expect(JSON.parse(JSON.stringify(a))).toEqual(a);
  });
});
