import { RotaImportError } from './errors';

/** One content line: NAME;PARAM=x:VALUE, with the line it started on. */
export interface IcalProp {
  name: string;
  params: Record<string, string>;
  value: string;
  line: number;
}

/** A BEGIN…END block with its properties and nested blocks. */
export interface IcalComponent {
  name: string;
  props: IcalProp[];
  children: IcalComponent[];
  line: number;
  /** Character range in the source text, so a VTIMEZONE can be handed to ical.js on its own. */
  from: number;
  to: number;
}

/** The first property of that name, or undefined. */
export function prop(c: IcalComponent, name: string): IcalProp | undefined {
  for (const p of c.props) if (p.name === name) return p;
  return undefined;
}

/** Every property of that name. */
export function props(c: IcalComponent, name: string): IcalProp[] {
  return c.props.filter((p) => p.name === name);
}

function parseParams(text: string, into: Record<string, string>): void {
  // params are NAME=value or NAME="quoted;value", separated by ';'
  const re = /;([A-Za-z0-9-]+)=("[^"]*"|[^;:]*)/g;
  for (const m of text.matchAll(re)) into[m[1]!.toUpperCase()] = m[2]!.replace(/^"|"$/g, '');
}

/**
 * A line-level iCalendar reader: unfolds lines and nests BEGIN/END blocks. ical.js's parser builds
 * far more per property than a rota needs (a 10 MiB feed took over 2 s there); this takes ~0.2 s.
 * With `keep`, only those properties are stored (descriptions of 70,000 events are not); with
 * `onTop`, each block inside the VCALENDAR is handed over as it ends and dropped if it returns true,
 * so a feed of 100,000 events is never held as a tree.
 */
export function parseIcal(text: string, keep?: ReadonlySet<string>, onTop?: (c: IcalComponent) => boolean): IcalComponent {
  const root: IcalComponent = { name: '', props: [], children: [], line: 0, from: 0, to: text.length };
  const stack: IcalComponent[] = [root];
  let pos = 0;
  let lineNo = 0;
  while (pos < text.length) {
    // one logical line: physical lines joined where the next starts with a space or tab
    const startLine = lineNo + 1;
    let logical = '';
    const lineStart = pos;
    for (;;) {
      let nl = text.indexOf('\n', pos);
      if (nl < 0) nl = text.length;
      const end = nl > pos && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      logical += text.slice(pos, end);
      lineNo++;
      pos = nl + 1;
      const c = text.charCodeAt(pos);
      if (pos < text.length && (c === 32 || c === 9)) {
        pos++;
        continue;
      }
      break;
    }
    if (logical.trim() === '') continue;
    const colon = logicalColon(logical);
    if (colon < 0) throw new RotaImportError('invalidLine', { line: startLine, text: logical.slice(0, 80) });
    const head = logical.slice(0, colon);
    const semi = head.indexOf(';');
    const name = (semi < 0 ? head : head.slice(0, semi)).toUpperCase();
    const value = logical.slice(colon + 1);
    const top = stack[stack.length - 1]!;
    if (name === 'BEGIN') {
      const child: IcalComponent = { name: value.trim().toUpperCase(), props: [], children: [], line: startLine, from: lineStart, to: text.length };
      top.children.push(child);
      stack.push(child);
    } else if (name === 'END') {
      if (stack.length === 1 || top.name !== value.trim().toUpperCase()) throw new RotaImportError('unbalanced', { line: startLine, name: value.trim().toUpperCase(), open: top.name || '-' });
      top.to = pos;
      stack.pop();
      if (onTop && stack.length === 2 && onTop(top)) stack[1]!.children.pop();
    } else if (!keep || keep.has(name)) {
      const params: Record<string, string> = {};
      if (semi >= 0) parseParams(head.slice(semi), params);
      top.props.push({ name, params, value, line: startLine });
    }
  }
  if (stack.length > 1) throw new RotaImportError('unbalanced', { line: lineNo, name: '-', open: stack[stack.length - 1]!.name });
  return root;
}

/** The colon that ends the name and params: the first one outside a quoted parameter value. */
function logicalColon(line: string): number {
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === 34) quoted = !quoted;
    else if (c === 58 && !quoted) return i;
  }
  return -1;
}

/** TEXT values unescaped (\, \; \n \\). */
export function unescapeText(value: string): string {
  return value.replace(/\\([\\;,nN])/g, (_m, c: string) => (c === 'n' || c === 'N' ? '\n' : c));
}

/** A DATE or DATE-TIME value: its wall fields as epoch-like ms, and whether it was UTC or a date. */
export interface IcalTime {
  wall: number;
  utc: boolean;
  date: boolean;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Digits at [i, i + n) as a number, or NaN. Hand-rolled: a 20 MiB feed has hundreds of thousands of times. */
function digits(v: string, i: number, n: number): number {
  let x = 0;
  for (let k = i; k < i + n; k++) {
    const c = v.charCodeAt(k) - 48;
    if (c < 0 || c > 9) return Number.NaN;
    x = x * 10 + c;
  }
  return x;
}

/** Parses 20260316, 20260316T090000 or 20260316T090000Z; null when it is neither. */
export function parseIcalTime(raw: string): IcalTime | null {
  const value = raw.length === 8 || raw.length === 15 || raw.length === 16 ? raw : raw.trim();
  const len = value.length;
  if (len !== 8 && len !== 15 && !(len === 16 && value.charCodeAt(15) === 90 /* Z */)) return null;
  const y = digits(value, 0, 4);
  const mo = digits(value, 4, 2);
  const d = digits(value, 6, 2);
  const date = len === 8;
  if (!date && value.charCodeAt(8) !== 84 /* T */) return null;
  const h = date ? 0 : digits(value, 9, 2);
  const mi = date ? 0 : digits(value, 11, 2);
  const s = date ? 0 : digits(value, 13, 2);
  if (!(mo >= 1 && mo <= 12 && d >= 1 && h <= 23 && mi <= 59 && s <= 60)) return null;
  const leap = mo === 2 && y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  if (d > DAYS_IN_MONTH[mo - 1]! + (leap ? 1 : 0)) return null;
  return { wall: Date.UTC(y, mo - 1, d, h, mi, Math.min(s, 59)), utc: len === 16, date };
}

/** A DURATION split into its nominal part (days and weeks, added to the wall clock) and exact part (ms). */
export interface IcalDuration {
  sign: 1 | -1;
  days: number;
  ms: number;
}

/** Parses P1W, P1DT2H, PT168H, -PT15M; null when malformed. */
export function parseDuration(value: string): IcalDuration | null {
  const m = /^([+-])?P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(value.trim());
  if (!m || value.trim().endsWith('T') || /^[+-]?P$/.test(value.trim())) return null;
  const n = (i: number) => Number(m[i] ?? 0);
  return { sign: m[1] === '-' ? -1 : 1, days: n(2) * 7 + n(3), ms: ((n(4) * 60 + n(5)) * 60 + n(6)) * 1000 };
}
