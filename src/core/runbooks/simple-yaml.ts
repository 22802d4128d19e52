/**
 * A fast reader for the small YAML subset runbook front matter is written in: top-level
 * `key: value` lines, `[a, b]` flow lists and `- item` block lists of plain or simply quoted
 * one-line scalars, whole-line comments. Anything else (nesting, anchors, tags, multi-line or
 * escaped strings, floats, booleans, null words, odd characters) returns null, and the caller
 * hands the text to the full YAML parser, which is then the one that decides.
 *
 * Why: the YAML library costs as much as a tenth of a whole runbook parse (more while its code
 * is still cold), for a few lines that are nearly always this simple. The property tests hold
 * it to the library's result for everything it accepts.
 */

/** What a plain or quoted scalar read as; `null` means "not in the subset". */
type Scalar = { value: string | number | null } | null;

const KEY = /^([A-Za-z_][A-Za-z0-9_-]{0,99}):(?: +(.*))?$/;
const ITEM = /^( *)-(?: +(.*))?$/;
const RESERVED_KEYS = new Set(['null', 'true', 'false', '__proto__', 'constructor', 'prototype']);
/** Characters that start something other than a plain string (YAML indicators, numbers, null). */
const SPECIAL_START = /^[-?:,[\]{}#&*!|>'"%@`~+.0-9]/;
/** Control characters, BOM, line separators and tabs: left to the full parser. */
const ODD = /[\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\ufeff]/;
const WORDS = /^(?:null|true|false|y|yes|n|no|on|off)$/i;

function plain(text: string, flow: boolean): Scalar {
  if (text === '') return null;
  if (/^[0-9]{1,15}$/.test(text)) return { value: Number(text) };
  if (SPECIAL_START.test(text) || WORDS.test(text)) return null;
  // a comment, a nested mapping, or (in a flow list) the list's own punctuation
  if (text.includes(' #') || text.includes(': ') || text.endsWith(':')) return null;
  if (flow && /[[\]{},]/.test(text)) return null;
  return { value: text };
}

function scalar(raw: string, flow: boolean): Scalar {
  const text = raw.trim();
  const q = text[0];
  if (q === '"' || q === "'") {
    if (text.length < 2 || text.at(-1) !== q) return null;
    const inner = text.slice(1, -1);
    // escapes, doubled quotes, or a second string after the first: left to the full parser
    if (inner.includes(q) || (q === '"' && inner.includes('\\'))) return null;
    return { value: inner };
  }
  return plain(text, flow);
}

function flowList(text: string): unknown[] | null {
  const inner = text.slice(1, -1).trim();
  if (inner === '') return [];
  const parts = inner.split(',');
  if (parts.at(-1)!.trim() === '') parts.pop(); // one trailing comma is allowed
  const out: unknown[] = [];
  for (const part of parts) {
    if (part.includes('"') || part.includes("'")) return null;
    const s = scalar(part, true);
    if (!s) return null;
    out.push(s.value);
  }
  return out;
}

/**
 * The mapping `text` holds, when it is in the simple subset above; null when it is not (which
 * says nothing about whether it is valid YAML).
 */
export function readSimpleYaml(text: string): Record<string, unknown> | null {
  if (ODD.test(text)) return null;
  const out: Record<string, unknown> = {};
  let list: { key: string; indent: number; items: unknown[] } | null = null;
  let keys = 0;
  for (const rawLine of text.split('\n')) {
    const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const item = ITEM.exec(line);
    if (item) {
      if (!list || (list.items.length > 0 && item[1]!.length !== list.indent)) return null;
      if (list.items.length === 0) list.indent = item[1]!.length;
      if (item[2] === undefined || item[2].trim() === '') return null;
      const s = scalar(item[2], false);
      if (!s) return null;
      list.items.push(s.value);
      out[list.key] = list.items;
      continue;
    }
    const kv = KEY.exec(line);
    if (!kv) return null;
    const key = kv[1]!;
    if (RESERVED_KEYS.has(key.toLowerCase()) || Object.hasOwn(out, key)) return null;
    keys++;
    const value = (kv[2] ?? '').trim();
    list = null;
    if (value === '') {
      out[key] = null;
      list = { key, indent: 0, items: [] };
    } else if (value.startsWith('[') && value.endsWith(']')) {
      const items = flowList(value);
      if (!items) return null;
      out[key] = items;
    } else {
      const s = scalar(value, false);
      if (!s) return null;
      out[key] = s.value;
    }
  }
  return keys > 0 ? out : null;
}
