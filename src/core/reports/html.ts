import { escapeHtml } from './format';

/**
 * Print-ready CSS: A4 pages, tables that repeat their header, and long words or URLs that wrap
 * instead of running off the page (a field is never cut). Chromium's print layout clips whatever
 * is wider than the page, so every box must be able to shrink to the page: text breaks anywhere
 * as a last resort (inherited from body, so no cell's narrowest width exceeds the page), times
 * stay on one line, and code keeps its line breaks but wraps long lines.
 */
export const REPORT_CSS = `
@page { size: A4; margin: 16mm 14mm; }
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'DejaVu Sans', sans-serif; font-size: 10.5pt; line-height: 1.45; color: #111; margin: 0 auto; max-width: 190mm; padding: 12px; overflow-wrap: anywhere; }
h1 { font-size: 18pt; margin: 0 0 4px; }
h2 { font-size: 13pt; margin: 18px 0 6px; border-bottom: 1px solid #bbb; padding-bottom: 2px; break-after: avoid; }
h3 { font-size: 11pt; margin: 12px 0 4px; break-after: avoid; }
p, li, pre, code, dd, h1, h2, h3, th, td, a { overflow-wrap: anywhere; }
pre { white-space: pre-wrap; max-width: 100%; background: #f4f4f4; border: 1px solid #ddd; padding: 6px 8px; border-radius: 4px; }
code { font-family: ui-monospace, 'DejaVu Sans Mono', monospace; font-size: 0.95em; }
table { width: 100%; max-width: 100%; border-collapse: collapse; margin: 6px 0 10px; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
th, td { border: 1px solid #ccc; padding: 3px 6px; text-align: left; vertical-align: top; }
th { background: #eee; }
td.time { white-space: nowrap; font-variant-numeric: tabular-nums; font-size: 0.88em; }
td.nowrap { white-space: nowrap; }
tr.marker td { background: #fff3cd; font-weight: 700; }
.facts { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 2px 12px; margin: 8px 0; }
.facts dt { font-weight: 600; }
.facts dd { margin: 0; }
.note { color: #555; font-style: italic; }
.empty { color: #888; }
.sev { display: inline-block; padding: 0 6px; border-radius: 4px; color: #fff; background: #666; font-weight: 700; }
.sev-P1 { background: #c62828; } .sev-P2 { background: #e65100; } .sev-P3 { background: #9e7c00; } .sev-P4 { background: #607080; }
.ack { margin-top: 24px; border-top: 1px dashed #999; padding-top: 8px; }
@media print { body { padding: 0; max-width: none; } a { color: inherit; } }
`;

/** A cell: already-built HTML, or text to escape. */
export type Cell = { html: string } | string;

/**
 * Escapes text and offers line breaks (`<wbr>`) inside very long tokens such as URLs, so a
 * table column never has to be wider than the page and ordinary words never break mid-word.
 */
export function escapeWithBreaks(text: string): string {
  return text
    .split(/(\s+)/)
    .map((token) => {
      if (token.length <= 24) return escapeHtml(token);
      const pieces = token.match(/[^/._\-?&=,;:]*[/._\-?&=,;:]?/g)!.filter((p) => p !== '').flatMap((p) => p.match(/.{1,16}/gs) ?? []);
      return pieces.map(escapeHtml).join('<wbr>');
    })
    .join('');
}

const cell = (c: Cell) => (typeof c === 'string' ? escapeWithBreaks(c) : c.html);

/**
 * An HTML table with a header; `rowClass` marks rows such as timeline markers; `widths` are
 * preferred column widths in percent (a time column widens to keep its time on one line; long
 * words elsewhere wrap inside their column).
 */
export function htmlTable(header: readonly string[], rows: readonly (readonly Cell[])[], opts: { rowClass?: (i: number) => string | null; timeColumn?: number; widths?: readonly number[]; nowrapColumns?: readonly number[] } = {}): string {
  const cols = opts.widths ? `<colgroup>${opts.widths.map((w) => `<col style="width:${w}%">`).join('')}</colgroup>` : '';
  const head = `${cols}<thead><tr>${header.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead>`;
  const body = rows
    .map((r, i) => {
      const cls = opts.rowClass?.(i);
      return `<tr${cls ? ` class="${escapeHtml(cls)}"` : ''}>${r.map((c, j) => `<td${j === opts.timeColumn ? ' class="time"' : opts.nowrapColumns?.includes(j) ? ' class="nowrap"' : ''}>${cell(c)}</td>`).join('')}</tr>`;
    })
    .join('');
  return `<table>${head}<tbody>${body}</tbody></table>`;
}

/**
 * A complete, self-contained HTML document. The CSP forbids scripts and every remote load, so
 * even a mistake in escaping cannot run code or phone home when the file is opened.
 */
export function htmlDocument(lang: string, title: string, body: string): string {
  return `<!doctype html>
<html lang="${escapeHtml(lang)}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
${body}
</body>
</html>
`;
}
