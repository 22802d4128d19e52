import { parse as parseYaml } from 'yaml';
import { mapSeverity, type Severity } from '../severity';
import type { LabelMatcher, RunbookWarning } from './model';
import { readSimpleYaml } from './simple-yaml';

/** The front-matter keys a runbook may use; every other key (Hugo's `weight`, …) is ignored. */
export interface FrontMatter {
  title: string | null;
  aliases: string[];
  matchers: LabelMatcher[];
  severity: Severity | null;
}

const EMPTY: FrontMatter = { title: null, aliases: [], matchers: [], severity: null };
const MATCHER = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(=~|!~|!=|=)\s*(.*?)\s*$/;

function unquote(v: string): string {
  return /^(["']).*\1$/.test(v) ? v.slice(1, -1) : v;
}

/** Parses one matcher such as `namespace=~"kube-.*"`; null when it is not one. */
export function parseMatcher(text: string): LabelMatcher | null {
  const m = MATCHER.exec(text);
  if (!m) return null;
  return { name: m[1]!, op: m[2] as LabelMatcher['op'], value: unquote(m[3]!) };
}

function isValidRegex(source: string): boolean {
  try {
    new RegExp(`^(?:${source})$`);
    return true;
  } catch {
    return false;
  }
}

function matchersFrom(raw: unknown, warnings: RunbookWarning[]): LabelMatcher[] {
  const out: LabelMatcher[] = [];
  const add = (m: LabelMatcher | null, shown: string) => {
    if (!m || ((m.op === '=~' || m.op === '!~') && !isValidRegex(m.value))) warnings.push({ code: 'matcherInvalid', params: { matcher: shown } });
    else out.push(m);
  };
  if (typeof raw === 'string') raw = raw.split(',');
  if (Array.isArray(raw)) {
    for (const item of raw) {
      if (typeof item === 'string') add(parseMatcher(item), item);
      else if (item && typeof item === 'object' && 'name' in item && 'value' in item) {
        const o = item as { name: unknown; value: unknown; op?: unknown; isRegex?: unknown; isEqual?: unknown };
        const regex = o.isRegex === true || o.op === '=~' || o.op === '!~';
        const negate = o.isEqual === false || o.op === '!=' || o.op === '!~';
        const op = (regex ? (negate ? '!~' : '=~') : negate ? '!=' : '=') as LabelMatcher['op'];
        add({ name: String(o.name), op, value: String(o.value) }, `${String(o.name)}${op}${String(o.value)}`);
      } else warnings.push({ code: 'matcherInvalid', params: { matcher: JSON.stringify(item) ?? '' } });
    }
  } else if (raw && typeof raw === 'object') {
    for (const [name, value] of Object.entries(raw)) add({ name, op: '=', value: String(value) }, `${name}=${String(value)}`);
  }
  return out;
}

/** Reads YAML front matter leniently: a broken block is a warning, never a failed runbook. */
export function readFrontMatter(yamlText: string | null, warnings: RunbookWarning[]): FrontMatter {
  if (yamlText === null || yamlText.trim() === '') return EMPTY;
  // the usual few simple lines are read directly; anything else goes to the YAML library
  let data: unknown = readSimpleYaml(yamlText);
  if (data === null) {
    try {
      data = parseYaml(yamlText, { maxAliasCount: 50 });
    } catch (err) {
      warnings.push({ code: 'frontMatterInvalid', params: { reason: (err as Error).message.split('\n')[0] ?? '' } });
      return EMPTY;
    }
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) {
    warnings.push({ code: 'frontMatterInvalid', params: { reason: 'not a mapping' } });
    return EMPTY;
  }
  const d = data as Record<string, unknown>;
  const aliasesRaw = d.aliases ?? d.alias;
  const aliases = (Array.isArray(aliasesRaw) ? aliasesRaw : aliasesRaw === undefined ? [] : [aliasesRaw]).filter((a): a is string => typeof a === 'string' && a.trim() !== '');
  const sev = typeof d.severity === 'string' && d.severity.trim() !== '' ? mapSeverity(d.severity) : null;
  return {
    title: typeof d.title === 'string' && d.title.trim() !== '' ? d.title.trim() : null,
    aliases,
    matchers: d.matchers === undefined ? [] : matchersFrom(d.matchers, warnings),
    severity: sev,
  };
}
