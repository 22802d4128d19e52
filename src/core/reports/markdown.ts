import type { Nodes, Root, RootContent, Table } from 'mdast';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import type { RenderNode } from '../runbooks/model';
import { convert, plainText } from '../runbooks/render-tree';

const processor = unified().use(remarkParse).use(remarkFrontmatter, ['yaml']).use(remarkGfm).freeze();

/** Parses GFM into mdast (with YAML front matter nodes). */
export function parseMarkdown(text: string): Root {
  return processor.runSync(processor.parse(text)) as Root;
}

/** User prose as safe render nodes, for the HTML export and the editor preview. */
export function proseToRenderNodes(markdown: string): RenderNode[] {
  return convert(parseMarkdown(markdown), { path: '' });
}

/**
 * Prose goes into a section verbatim, except lines that would end the section early (ATX
 * headings, setext underlines): those get a backslash, which `unescapeProse` takes off again.
 */
export function escapeProse(text: string): string {
  return text.replace(/^( {0,3})(#{1,6}(?:\s|$)|=+\s*$|-+\s*$|\\)/gm, '$1\\$2');
}

/** Reverses `escapeProse`. */
export function unescapeProse(text: string): string {
  return text.replace(/^( {0,3})\\(#{1,6}(?:\s|$)|=+\s*$|-+\s*$|\\)/gm, '$1$2');
}

/** A GFM table from header and rows of already-escaped cells. */
export function mdTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.map((c) => (c === '' ? ' ' : c)).join(' | ')} |`;
  return [line(header), `|${header.map(() => ' --- ').join('|')}|`, ...rows.map(line)].join('\n');
}

/** A section of a parsed document: its heading text, depth, and the source text and nodes under it. */
export interface MdSection {
  title: string;
  depth: number;
  text: string;
  nodes: RootContent[];
}

/** Splits a document into sections at headings of depth ≤ `maxDepth`, keeping each section's source text. */
export function splitSections(source: string, root: Root, maxDepth: number): MdSection[] {
  const out: MdSection[] = [];
  const kids = root.children;
  for (let i = 0; i < kids.length; i++) {
    const h = kids[i]!;
    if (h.type !== 'heading' || h.depth > maxDepth) continue;
    let j = i + 1;
    while (j < kids.length && !(kids[j]!.type === 'heading' && (kids[j] as { depth: number }).depth <= maxDepth)) j++;
    const from = h.position!.end.offset!;
    const to = j < kids.length ? kids[j]!.position!.start.offset! : source.length;
    out.push({ title: plainText(h).trim(), depth: h.depth, text: source.slice(from, to).replace(/^\n+|\s+$/g, ''), nodes: kids.slice(i + 1, j) });
    i = j - 1;
  }
  return out;
}

/** A table's body rows as plain cell texts (escapes undone), plus whether each cell was bold only. */
export function tableRows(nodes: readonly RootContent[]): Array<Array<{ text: string; strong: boolean }>> {
  const table = nodes.find((n): n is Table => n.type === 'table');
  if (!table) return [];
  return table.children.slice(1).map((row) =>
    row.children.map((cell) => {
      const kids = cell.children.filter((c) => !(c.type === 'text' && c.value.trim() === ''));
      return { text: plainText(cell as Nodes).trim(), strong: kids.length === 1 && kids[0]!.type === 'strong' };
    }),
  );
}
