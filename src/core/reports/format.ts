import type { RenderNode } from '../runbooks/model';
import { offsetAt } from '../rota/time-zone';

/** Escapes text for HTML content and attribute values alike. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * Backslash-escapes the characters that change meaning inside a GFM table cell, so a cell reads
 * back exactly as typed; line breaks become spaces (a cell is one line).
 */
export function escapeMarkdownInline(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/[\\`*_[\]<>|~&]/g, '\\$&');
}

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

/** "2026-03-02 11:04:05 UTC+01:00": exact, sortable, readable, and parsed back by `parseReportTime`. */
export function formatReportTime(ms: number, zone: string): string {
  const offset = offsetAt(ms, zone);
  const d = new Date(ms + offset);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset) / 60_000;
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} UTC${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** Reads a time written by `formatReportTime`; null when it is not one. */
export function parseReportTime(text: string): number | null {
  const m = /(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2}) UTC([+-])(\d{2}):(\d{2})/.exec(text);
  if (!m) return null;
  const wall = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
  const off = (+m[8]! * 60 + +m[9]!) * 60_000 * (m[7] === '-' ? -1 : 1);
  return wall - off;
}

/** The calendar date of an instant in a zone, "YYYY-MM-DD". */
export function reportDate(ms: number, zone: string): string {
  return formatReportTime(ms, zone).slice(0, 10);
}

/** "1h 05m 12s" with every unit down to seconds, so durations survive a round trip. */
export function formatExactDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  const neg = s < 0 ? '-' : '';
  const a = Math.abs(s);
  const h = Math.floor(a / 3600);
  const m = Math.floor((a % 3600) / 60);
  const sec = a % 60;
  return h > 0 ? `${neg}${h}h ${pad(m)}m ${pad(sec)}s` : m > 0 ? `${neg}${m}m ${pad(sec)}s` : `${neg}${sec}s`;
}

/** Reads a duration written by `formatExactDuration`; null when it is not one. */
export function parseExactDuration(text: string): number | null {
  const m = /^(-)?(?:(\d+)h )?(?:(\d+)m )?(\d+)s$/.exec(text.trim());
  if (!m) return null;
  const s = (+(m[2] ?? 0) * 3600 + +(m[3] ?? 0) * 60 + +m[4]!) * 1000;
  return m[1] ? -s : s;
}

/** Renders the safe render tree to escaped HTML for exports: only http(s) links become links. */
export function renderNodesToHtml(nodes: readonly RenderNode[]): string {
  return nodes.map(nodeToHtml).join('');
}

function nodeToHtml(n: RenderNode): string {
  const kids = (c: RenderNode[]) => renderNodesToHtml(c);
  switch (n.type) {
    case 'text':
      return escapeHtml(n.value);
    case 'rawText':
      return `<code>${escapeHtml(n.value)}</code>`;
    case 'paragraph':
      return `<p>${kids(n.children)}</p>`;
    case 'heading': {
      const d = Math.min(6, Math.max(3, n.depth + 2));
      return `<h${d}>${kids(n.children)}</h${d}>`;
    }
    case 'emphasis':
      return `<em>${kids(n.children)}</em>`;
    case 'strong':
      return `<strong>${kids(n.children)}</strong>`;
    case 'delete':
      return `<del>${kids(n.children)}</del>`;
    case 'inlineCode':
      return `<code>${escapeHtml(n.value)}</code>`;
    case 'code':
      return `<pre><code>${escapeHtml(n.value)}</code></pre>`;
    case 'link':
      return n.target.kind === 'external' ? `<a href="${escapeHtml(n.target.url)}">${kids(n.children)}</a>` : kids(n.children);
    case 'list': {
      const tag = n.ordered ? 'ol' : 'ul';
      const start = n.ordered && n.start !== null && n.start !== 1 ? ` start="${n.start}"` : '';
      return `<${tag}${start}>${kids(n.children)}</${tag}>`;
    }
    case 'listItem':
      return `<li>${n.checked === null ? '' : n.checked ? '☑ ' : '☐ '}${kids(n.children)}</li>`;
    case 'blockquote':
      return `<blockquote>${kids(n.children)}</blockquote>`;
    case 'table':
      return `<table>${n.rows.map((r, i) => `<tr>${r.map((c) => (i === 0 ? `<th>${kids(c)}</th>` : `<td>${kids(c)}</td>`)).join('')}</tr>`).join('')}</table>`;
    case 'thematicBreak':
      return '<hr>';
    case 'break':
      return '<br>';
  }
}
