import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { readFrontMatter } from '../../../src/core/runbooks/front-matter';
import { readSimpleYaml } from '../../../src/core/runbooks/simple-yaml';

/** What the YAML library makes of `text`, or "error". */
function library(text: string): unknown {
  try {
    return parseYaml(text, { maxAliasCount: 50 });
  } catch {
    return 'error';
  }
}

// Scalars near the edges of the subset: numbers, null words, indicators, quotes, comments, colons.
const scalars = [
  'Disk full', 'alertname=KubePodCrashLooping', 'team=~"team-1|platform"', 'namespace!~"kube-.*"', 'critical', 'P1', 'warning', '3', '007', '-3', '+3',
  '3.5', '.5', '1e3', '0x1F', '0o17', 'null', 'Null', '~', 'true', 'False', 'yes', 'no', 'on', 'off', 'y', 'n', '', ' ', 'a: b', 'a:b', 'a:', 'a #b', 'a#b', '#x',
  '"quoted"', "'single'", '"a\\"b"', "'it''s'", '"a" b', '"unclosed', "'", '[a, b]', '[]', '[a, , b]', '[a, b,]', '{a: 1}', '&anchor x', '*alias', '!tag x', '|', '>',
  '%x', '@x', '`x`', '- item', '?', ':', ',', 'a, b', 'a [b]', 'http://x.dev/a#b', 'über', 'Å', 'x\ty', 'x\u0001', '\ufeffx', 'a\u2028b', '12345678901234567', '<<',
];
const keys = ['title', 'aliases', 'alias', 'matchers', 'severity', 'weight', 'bookCollapseSection', 'draft', 'x-y', '_k', 'null', 'true', '__proto__', 'Title', '9x', 'a b', 'ü'];
const scalar = fc.oneof(fc.constantFrom(...scalars), fc.string({ maxLength: 6 }));
const flow = fc.array(scalar, { maxLength: 4 }).map((xs) => `[${xs.join(', ')}]`);
const block = fc.tuple(fc.constantFrom('', '  ', '    '), fc.array(scalar, { minLength: 1, maxLength: 3 })).map(([indent, xs]) => xs.map((x) => `\n${indent}- ${x}`).join(''));
const line = fc.oneof(
  fc.tuple(fc.constantFrom(...keys), scalar).map(([k, v]) => `${k}: ${v}`),
  fc.tuple(fc.constantFrom(...keys), flow).map(([k, v]) => `${k}: ${v}`),
  fc.tuple(fc.constantFrom(...keys), block).map(([k, v]) => `${k}:${v}`),
  fc.constantFrom('', '# a comment', '  # indented comment', 'title:', 'title:x', '  nested: 1', '---', '...', '- orphan', 'key: value # comment', 'aliases: [a, b] # c'),
);
// mostly lines of the kind runbooks use, with random text inside, so that many blocks are in the subset
const word = fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9 =~!"'|.:#,_*-]{0,12}$/);
const usual = fc.oneof(
  fc.tuple(fc.constantFrom('title', 'severity', 'weight', 'alias'), word).map(([k, v]) => `${k}: ${v}`),
  fc.array(word, { maxLength: 3 }).map((xs) => `aliases: [${xs.join(', ')}]`),
  fc.array(word, { minLength: 1, maxLength: 3 }).map((xs) => `matchers:${xs.map((x) => `\n  - ${x}`).join('')}`),
);
const frontMatter = fc.tuple(fc.array(fc.oneof({ arbitrary: usual, weight: 3 }, { arbitrary: line, weight: 1 }), { minLength: 1, maxLength: 6 }), fc.constantFrom('\n', '\r\n')).map(([ls, eol]) => ls.join(eol));

describe('the simple front-matter reader (property)', () => {
  it('whatever it accepts, it reads exactly as the YAML library does', () => {
    let accepted = 0;
    fc.assert(
      fc.property(frontMatter, (text) => {
        const fast = readSimpleYaml(text);
        if (fast === null) return;
        accepted++;
        expect(fast).toEqual(library(text));
      }),
      { numRuns: 3_000 },
    );
    // not vacuous: a good share of the generated blocks are in the subset
    expect(accepted).toBeGreaterThan(300);
  });

  it('reads typical runbook front matter without the YAML library, to the same result', () => {
    const samples = [
      'title: Pod crash looping\naliases: [crashloop, kube-pod-crash]\nmatchers:\n  - alertname=KubePodCrashLooping\n  - namespace=~"kube-.*"\nseverity: critical\nweight: 10\nbookCollapseSection: true',
      'title: "Disk: full"\nalias: disk\nmatchers: [alertname=DiskFull]\nseverity: P2',
      '# Hugo\ntitle: Etcd members down\nweight: 20\n',
      ...Array.from({ length: 8 }, (_, i) => `title: Alert number ${i}\naliases: [alias-${i}]\nmatchers:\n  - alertname=Alert${i}\n  - team=~"team-${i % 7}|platform"\nseverity: ${['critical', 'warning', 'info'][i % 3]}\nweight: ${i}\n`),
    ];
    for (const text of samples.filter((t) => !t.includes('true'))) {
      expect(readSimpleYaml(text)).not.toBeNull();
      expect(readSimpleYaml(text)).toEqual(library(text));
    }
    // a boolean is left to the library, and the runbook reads the same either way
    expect(readSimpleYaml(samples[0]!)).toBeNull();
    expect(readFrontMatter(samples[0]!, [])).toEqual({
      title: 'Pod crash looping',
      aliases: ['crashloop', 'kube-pod-crash'],
      matchers: [
        { name: 'alertname', op: '=', value: 'KubePodCrashLooping' },
        { name: 'namespace', op: '=~', value: 'kube-.*' },
      ],
      severity: 'P1',
    });
  });

  it('leaves what it cannot read to the library: a broken block still warns, a duplicate key still fails', () => {
    const warnings: Parameters<typeof readFrontMatter>[1] = [];
    expect(readFrontMatter('title: A\ntitle: B', warnings)).toMatchObject({ title: null });
    expect(warnings.map((w) => w.code)).toEqual(['frontMatterInvalid']);
    expect(readSimpleYaml('title: [a, {b: c}]')).toBeNull();
    expect(readSimpleYaml('matchers:\n  - name: alertname\n    value: X')).toBeNull();
    expect(readSimpleYaml('# only a comment')).toBeNull();
  });
});
