import type { Nodes, Root, RootContent, PhrasingContent } from 'mdast';
import type { LinkTarget, RenderNode } from './model';

/** Context for resolving links: the runbook's own library path. */
export interface RenderContext {
  path: string;
  /** Converted nodes by source node, so step contents reuse what the document tree converted. */
  cache?: WeakMap<object, RenderNode[]>;
}

const RUNBOOK_EXT = /\.(md|markdown|mdx)$/i;

/** Joins a relative link onto the directory of `from`, refusing to climb above the library root. */
export function resolveRelative(from: string, rel: string): string | null {
  const parts = from.split('/').slice(0, -1);
  for (const seg of rel.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (parts.length === 0) return null;
      parts.pop();
    } else parts.push(seg);
  }
  return parts.join('/');
}

/**
 * Decides where a link may go. Only http(s) leaves the app; relative links to Markdown files
 * open the runbook inside the app; everything else (javascript:, data:, file:, vbscript:, …) is
 * blocked and shown as plain text by the renderer.
 */
export function classifyLink(raw: string, ctx: RenderContext): LinkTarget {
  // Browsers drop control characters and whitespace before the scheme ("java\tscript:").
  const url = raw.replace(/[\u0000-\u0020\u007f]/g, '');
  if (/^https?:\/\//i.test(url)) {
    // A host is required; credentials in the URL ("https://evil@host") are refused as phishing bait.
    const authority = /^https?:\/\/([^/?#]*)/i.exec(url)?.[1] ?? '';
    if (authority === '' || authority.includes('@')) return { kind: 'blocked', url: raw };
    return { kind: 'external', url };
  }
  if (url.startsWith('#')) return { kind: 'anchor', anchor: decodeSafe(url.slice(1)) };
  const hasScheme = /^[a-z][a-z0-9+.-]*:/i.test(url);
  if (hasScheme || url.startsWith('//')) return { kind: 'blocked', url: raw };
  const [pathPart = '', anchor] = url.split('#', 2);
  const clean = decodeSafe(pathPart.split('?')[0] ?? '');
  if (RUNBOOK_EXT.test(clean) || clean.endsWith('/')) {
    const resolved = clean.startsWith('/') ? clean.replace(/^\/+/, '') : resolveRelative(ctx.path, clean);
    if (resolved !== null) return { kind: 'runbook', path: resolved, anchor: anchor ? decodeSafe(anchor) : null };
  }
  return { kind: 'blocked', url: raw };
}

function decodeSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** A heading slug, GitHub style, so `#anchor` links and the table of contents agree. */
export function slugify(text: string): string {
  return text
    .toLowerCase()
    .trim()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** Plain text of an mdast subtree (what mdast-util-to-string does, but html kept as its text). */
export function plainText(node: Nodes): string {
  if ('value' in node && typeof node.value === 'string') return node.value;
  if ('children' in node) return (node.children as Nodes[]).map(plainText).join('');
  return '';
}

function phrasing(nodes: PhrasingContent[], ctx: RenderContext): RenderNode[] {
  return nodes.flatMap((n) => convert(n, ctx));
}

function blocks(nodes: RootContent[], ctx: RenderContext): RenderNode[] {
  return nodes.flatMap((n) => convert(n, ctx));
}

/** Converts one mdast node to render nodes; anything unknown or raw becomes text. */
export function convert(node: RootContent | Root, ctx: RenderContext): RenderNode[] {
  const cached = ctx.cache?.get(node);
  if (cached) return cached;
  const out = convertUncached(node, ctx);
  ctx.cache?.set(node, out);
  return out;
}

function convertUncached(node: RootContent | Root, ctx: RenderContext): RenderNode[] {
  switch (node.type) {
    case 'root':
      return blocks(node.children, ctx);
    case 'text':
      return [{ type: 'text', value: node.value }];
    case 'html':
      return [{ type: 'rawText', value: node.value }];
    case 'paragraph':
      return [{ type: 'paragraph', children: phrasing(node.children, ctx) }];
    case 'heading':
      return [{ type: 'heading', depth: node.depth, id: slugify(plainText(node)), children: phrasing(node.children, ctx) }];
    case 'emphasis':
    case 'strong':
    case 'delete':
      return [{ type: node.type, children: phrasing(node.children, ctx) }];
    case 'inlineCode':
      return [{ type: 'inlineCode', value: node.value }];
    case 'code':
      return [{ type: 'code', lang: node.lang ?? null, value: node.value }];
    case 'break':
      return [{ type: 'break' }];
    case 'thematicBreak':
      return [{ type: 'thematicBreak' }];
    case 'link':
      return [{ type: 'link', target: classifyLink(node.url, ctx), title: node.title ?? null, children: phrasing(node.children, ctx) }];
    case 'image':
      // Images are never loaded (tracking pixels, data: payloads); the alt text links to them.
      return [{ type: 'link', target: classifyLink(node.url, ctx), title: node.title ?? null, children: [{ type: 'text', value: node.alt || node.url }] }];
    case 'linkReference':
    case 'imageReference':
      return [{ type: 'text', value: plainText(node as Nodes) || `[${node.identifier}]` }];
    case 'list':
      return [{ type: 'list', ordered: node.ordered === true, start: node.start ?? null, children: blocks(node.children, ctx) }];
    case 'listItem':
      return [{ type: 'listItem', checked: node.checked ?? null, children: blocks(node.children, ctx) }];
    case 'blockquote':
      return [{ type: 'blockquote', children: blocks(node.children, ctx) }];
    case 'table':
      return [{ type: 'table', rows: node.children.map((row) => row.children.map((cell) => phrasing(cell.children, ctx))) }];
    case 'yaml':
    case 'definition':
      return [];
    case 'footnoteReference':
      return [{ type: 'text', value: `[^${node.identifier}]` }];
    case 'footnoteDefinition':
      return [{ type: 'paragraph', children: [{ type: 'text', value: `[^${node.identifier}]: ` }, ...blocks(node.children, ctx).flatMap(inlineOf)] }];
    default:
      return [{ type: 'text', value: plainText(node as Nodes) }];
  }
}

function inlineOf(n: RenderNode): RenderNode[] {
  return n.type === 'paragraph' ? n.children : [n];
}
