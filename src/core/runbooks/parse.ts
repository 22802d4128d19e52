import type { Code, List, ListItem, Nodes, Root, RootContent } from 'mdast';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { RunbookError } from './errors';
import { readFrontMatter } from './front-matter';
import { contentHash } from './hash';
import type { CodeBlock, RenderNode, Runbook, RunbookWarning, Section, Step, StepGroup } from './model';
import { convert, plainText, slugify, type RenderContext } from './render-tree';

/** Headings whose content is a procedure: without a list, each paragraph or code block is a step. */
export const DEFAULT_PROCEDURE_HEADINGS = [
  'diagnosis', 'diagnose', 'diagnostics', 'mitigation', 'mitigate', 'mitigations', 'runbook', 'steps', 'procedure',
  'procedures', 'remediation', 'resolution', 'resolve', 'troubleshooting', 'troubleshoot', 'investigation', 'investigate',
  'recovery', 'fix', 'how to fix', 'actions', 'checklist', 'triage', 'verification', 'verify', 'rollback', 'playbook',
  'instructions', 'what to do', 'diagnose und behebung', 'behebung', 'schritte', 'vorgehen', 'maßnahmen', 'prüfung',
  'checkliste', 'fehlerbehebung', 'wiederherstellung',
];

/** Headings that describe rather than instruct: their bullet lists are not steps. */
export const DEFAULT_REFERENCE_HEADINGS = [
  'meaning', 'impact', 'summary', 'overview', 'description', 'background', 'context', 'symptoms', 'references',
  'see also', 'related', 'links', 'dashboards', 'notes', 'details', 'bedeutung', 'auswirkung', 'beschreibung',
  'hintergrund', 'symptome', 'siehe auch', 'links und verweise',
];

/** Where a runbook came from and how to read it. */
export interface ParseOptions {
  path: string;
  url?: string | null;
  procedureHeadings?: readonly string[];
  referenceHeadings?: readonly string[];
}

/** Bigger files are refused: nobody writes a 2 MiB runbook, and the worker has a time budget. */
export const MAX_RUNBOOK_CHARS = 2 * 1024 * 1024;

const processor = unified().use(remarkParse).use(remarkFrontmatter, ['yaml', 'toml']).use(remarkGfm).freeze();

/** Lower case, no numbering ("2." / "Step 3:"), no trailing punctuation. */
function normalizeHeading(title: string): string {
  return title
    .toLowerCase()
    .replace(/^\s*(\d+[.)]|[ivx]+\.)\s*/, '')
    .replace(/[:.!?\s]+$/, '')
    .trim();
}

function headingIs(title: string, names: ReadonlySet<string>): boolean {
  const t = normalizeHeading(title);
  if (names.has(t)) return true;
  for (const n of names) if (t.startsWith(`${n} `) || t.startsWith(`${n}:`) || t.startsWith(`${n} (`)) return true;
  return false;
}

function basename(path: string): string {
  return (path.split('/').pop() ?? path).replace(/\.[^.]+$/, '');
}

interface Chunk {
  section: Section | null;
  titlePath: string[];
  rootId: string | null;
  procedure: boolean;
  reference: boolean;
  nodes: RootContent[];
}

class StepBuilder {
  constructor(private readonly ctx: RenderContext) {}

  fromItem(item: ListItem, ordered: boolean, id: string): Step {
    const content: RenderNode[] = [];
    const code: CodeBlock[] = [];
    const text: string[] = [];
    const substeps: Step[] = [];
    for (const child of item.children) {
      if (child.type === 'list') {
        for (const sub of child.children) substeps.push(this.fromItem(sub, child.ordered === true, `${id}.${substeps.length + 1}`));
        continue;
      }
      if (child.type === 'code') code.push(codeBlock(child));
      else text.push(plainText(child as Nodes));
      content.push(...convert(child, this.ctx));
    }
    const kind = item.checked !== null && item.checked !== undefined ? 'task' : ordered ? 'numbered' : 'bullet';
    return { id, kind, text: stepText(text, code), content, code, checkedInSource: item.checked ?? null, substeps };
  }

  fromBlock(node: RootContent, id: string): Step {
    const code = node.type === 'code' ? [codeBlock(node)] : [];
    const text = node.type === 'code' ? [] : [plainText(node as Nodes)];
    return { id, kind: node.type === 'code' ? 'code' : 'paragraph', text: stepText(text, code), content: convert(node, this.ctx), code, checkedInSource: null, substeps: [] };
  }

  attach(step: Step, node: RootContent): void {
    if (node.type === 'code') step.code.push(codeBlock(node));
    step.content.push(...convert(node, this.ctx));
    if (step.text === '' && node.type !== 'code') step.text = plainText(node as Nodes).trim();
  }
}

function codeBlock(node: Code): CodeBlock {
  return { lang: node.lang ?? null, value: node.value };
}

function stepText(text: string[], code: CodeBlock[]): string {
  const joined = text.join(' ').replace(/\s+/g, ' ').trim();
  if (joined !== '') return joined;
  return (code[0]?.value.split('\n').find((l) => l.trim() !== '') ?? '').trim();
}

function isBoldHeading(node: RootContent): boolean {
  if (node.type !== 'paragraph') return false;
  const kids = node.children.filter((c) => !(c.type === 'text' && c.value.trim() === ''));
  return kids.length === 1 && kids[0]!.type === 'strong';
}

/** Steps of one section chunk, following the rules of the runbooks issue. */
function stepsOf(chunk: Chunk, groupId: string, b: StepBuilder): Step[] {
  const steps: Step[] = [];
  const nextId = () => `${groupId}.s${steps.length + 1}`;
  const hasList = chunk.nodes.some((n) => n.type === 'list');
  if (hasList) {
    if (chunk.reference) return [];
    let last: Step | null = null;
    for (const node of chunk.nodes) {
      if (node.type === 'list') {
        for (const item of (node as List).children) {
          last = b.fromItem(item, node.ordered === true, nextId());
          steps.push(last);
        }
      } else if (last && node.type === 'code') {
        // An unindented code block right after a list item still belongs to that item.
        b.attach(last, node);
      } else if (node.type !== 'code') last = null;
    }
    return steps;
  }
  if (!chunk.procedure) return [];
  const bold = chunk.nodes.some(isBoldHeading);
  let last: Step | null = null;
  for (const node of chunk.nodes) {
    if (node.type === 'code' && last && (bold || /:\s*$/.test(last.text))) {
      b.attach(last, node);
      continue;
    }
    if (node.type === 'paragraph' || node.type === 'code') {
      if (bold && last && !isBoldHeading(node)) {
        b.attach(last, node);
        continue;
      }
      last = b.fromBlock(node, nextId());
      steps.push(last);
    } else if (last && node.type !== 'yaml') b.attach(last, node);
  }
  return steps;
}

function collectWarnings(tree: Root, source: string, warnings: RunbookWarning[]): void {
  let html = 0;
  const visit = (n: Nodes) => {
    if (n.type === 'html') html++;
    if (n.type === 'code' && n.position) {
      const raw = source.slice(n.position.start.offset, n.position.end.offset);
      const fence = /^\s*(`{3,}|~{3,})/.exec(raw)?.[1];
      const lines = raw.split('\n');
      const closing = lines.length > 1 && fence !== undefined && new RegExp(`^\\s*${fence[0] === '`' ? '`' : '~'}{${fence.length},}\\s*$`).test(lines.at(-1)!);
      if (fence && !closing) warnings.push({ code: 'unclosedFence', params: { line: n.position.start.line } });
    }
    if ('children' in n) for (const c of n.children as Nodes[]) visit(c);
  };
  visit(tree);
  if (html > 0) warnings.push({ code: 'rawHtml', params: { count: html } });
}

/**
 * Parses a GFM runbook into plain data: sections, step groups, a safe render tree and a version
 * hash. Pure and synchronous, so it can run in a worker with a time budget.
 */
export function parseRunbook(source: string, options: ParseOptions): Runbook {
  try {
    return parseUnchecked(source, options);
  } catch (err) {
    // Hundreds of nested lists or quotes overflow the stack in remark or here; that is a bad file, not a crash.
    if (err instanceof RangeError) throw new RunbookError('tooDeep', { path: options.path });
    throw err;
  }
}

function parseUnchecked(source: string, options: ParseOptions): Runbook {
  if (source.length > MAX_RUNBOOK_CHARS) throw new RunbookError('tooLarge', { path: options.path, chars: source.length, max: MAX_RUNBOOK_CHARS });
  if (source.includes('\u0000')) throw new RunbookError('binary', { path: options.path });
  const text = source.replace(/^\uFEFF/, '');
  const ctx: RenderContext = { path: options.path, cache: new WeakMap() };
  const procedureNames = new Set((options.procedureHeadings ?? DEFAULT_PROCEDURE_HEADINGS).map((h) => h.toLowerCase()));
  const referenceNames = new Set((options.referenceHeadings ?? DEFAULT_REFERENCE_HEADINGS).map((h) => h.toLowerCase()));
  const warnings: RunbookWarning[] = [];
  const mdast = processor.runSync(processor.parse(text)) as Root;

  let yamlText: string | null = null;
  const body: RootContent[] = [];
  for (const node of mdast.children) {
    const t = node.type as string;
    if (t === 'yaml' && yamlText === null && body.length === 0) yamlText = (node as { value: string }).value;
    else if (t === 'toml') warnings.push({ code: 'frontMatterToml', params: {} });
    else if (t !== 'yaml') body.push(node);
  }
  const fm = readFrontMatter(yamlText, warnings);
  collectWarnings(mdast, text, warnings);

  // Sections and chunks, with GitHub-style de-duplicated heading ids.
  const seen = new Map<string, number>();
  const sections: Section[] = [];
  const chunks: Chunk[] = [{ section: null, titlePath: [], rootId: null, procedure: false, reference: false, nodes: [] }];
  const stack: Array<{ depth: number; chunk: Chunk }> = [];
  const tree: RenderNode[] = [];
  let h1: string | null = null;
  for (const node of body) {
    const rendered = convert(node, ctx);
    if (node.type === 'heading') {
      const title = plainText(node).trim();
      const base = slugify(title) || 'section';
      const n = seen.get(base) ?? 0;
      seen.set(base, n + 1);
      const id = n === 0 ? base : `${base}-${n}`;
      const head = rendered[0];
      if (head?.type === 'heading') head.id = id;
      if (node.depth === 1 && h1 === null) h1 = title;
      while (stack.length > 0 && stack.at(-1)!.depth >= node.depth) stack.pop();
      const parent = stack.at(-1)?.chunk;
      const ownProcedure = headingIs(title, procedureNames);
      const inherited = parent?.procedure === true && node.depth > 1;
      const procedure = ownProcedure || inherited;
      const section: Section = { id, depth: node.depth, title, procedure };
      sections.push(section);
      const chunk: Chunk = {
        section,
        titlePath: inherited && !ownProcedure ? [...parent!.titlePath, title] : [title],
        rootId: inherited && !ownProcedure ? (parent!.rootId ?? parent!.section!.id) : null,
        procedure,
        reference: !procedure && headingIs(title, referenceNames),
        nodes: [],
      };
      chunks.push(chunk);
      stack.push({ depth: node.depth, chunk });
    } else chunks.at(-1)!.nodes.push(node);
    tree.push(...rendered);
  }

  const builder = new StepBuilder(ctx);
  const groups: StepGroup[] = [];
  for (const chunk of chunks) {
    const id = `g${groups.length + 1}`;
    const steps = stepsOf(chunk, id, builder);
    if (steps.length > 0) groups.push({ id, titlePath: chunk.titlePath, alternativeOf: chunk.rootId, steps });
  }
  if (groups.length === 0) warnings.push({ code: 'noSteps', params: {} });

  return {
    path: options.path,
    url: options.url ?? null,
    title: fm.title ?? h1 ?? basename(options.path),
    aliases: fm.aliases,
    matchers: fm.matchers,
    severity: fm.severity,
    version: contentHash(source),
    sections,
    groups,
    tree,
    warnings,
  };
}

/** Every step of a runbook in reading order, sub-steps after their parent. */
export function flattenSteps(steps: readonly Step[]): Step[] {
  return steps.flatMap((s) => [s, ...flattenSteps(s.substeps)]);
}
