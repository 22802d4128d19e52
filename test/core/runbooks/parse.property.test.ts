import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RenderNode } from '../../../src/core/runbooks/model';
import { flattenSteps, parseRunbook } from '../../../src/core/runbooks/parse';
import { classifyLink } from '../../../src/core/runbooks/render-tree';

const pieces = [
  '# ', '## Diagnosis\n', '## Mitigation\n', '### Option\n', '- ', '- [ ] ', '- [x] ', '1. ', '   ', '\n', '\n\n', '```sh\n', '```\n', '~~~\n',
  '<details>', '</details>', '<script>x()</script>', '{{< ref "a.md" >}}', '{{range .items}}', '**bold**', '[l](javascript:x)', '[r](./b.md)',
  '![i](data:x)', '| a | b |\n| - | - |\n| 1 | 2 |\n', '---\n', 'title: x\n', 'text ', '`code`', '> quote\n', '\t',
];
const markdownish = fc.array(fc.oneof(fc.constantFrom(...pieces), fc.string({ maxLength: 8 })), { maxLength: 40 }).map((a) => a.join(''));

function links(nodes: RenderNode[]): Array<Extract<RenderNode, { type: 'link' }>> {
  return nodes.flatMap((n) => [...(n.type === 'link' ? [n] : []), ...('children' in n ? links(n.children) : []), ...(n.type === 'table' ? n.rows.flat().flatMap(links) : [])]);
}

describe('the parser on anything (property)', () => {
  it('never throws, stays serializable, and only ever links out to http(s)', () => {
    fc.assert(
      fc.property(markdownish, (text) => {
        const rb = parseRunbook(text, { path: 'team/x.md' });
        expect(JSON.parse(JSON.stringify(rb))).toEqual(rb);
        const all = [...links(rb.tree), ...rb.groups.flatMap((g) => flattenSteps(g.steps)).flatMap((s) => links(s.content))];
        for (const l of all) if (l.target.kind === 'external') expect(l.target.url).toMatch(/^https?:\/\/[^@/?#]+/i);
        const ids = rb.groups.flatMap((g) => flattenSteps(g.steps)).map((s) => s.id);
        expect(new Set(ids).size).toBe(ids.length);
      }),
      { numRuns: 150 },
    );
  });

  it('never lets a non-http scheme out, however it is spelled', () => {
    fc.assert(
      fc.property(fc.constantFrom('javascript', 'JaVaScRiPt', 'data', 'vbscript', 'file', 'java\tscript', ' javascript', 'java\nscript', 'jav&#x09;ascript'), fc.string({ maxLength: 10 }), (scheme, rest) => {
        const target = classifyLink(`${scheme}:${rest}`, { path: 'a.md' });
        return target.kind !== 'external' && target.kind !== 'runbook';
      }),
    );
  });
});
