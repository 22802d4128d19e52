import type { Page } from '../page';
import type { LabelMatcher, Runbook } from './model';

/** What the index needs of a runbook: kept small so main can index without the render trees. */
export type IndexedRunbook = Pick<Runbook, 'path' | 'url' | 'aliases' | 'matchers'>;

/** Why a page got its runbook, shown beside the Start runbook button. */
export type MatchReason = 'url' | 'fileName' | 'alias' | 'matchers' | 'alertname';

/** The runbook for a page, and the `#anchor` its runbook_url pointed at. */
export interface RunbookMatch {
  path: string;
  reason: MatchReason;
  anchor: string | null;
}

interface CompiledMatcher {
  name: string;
  test: (value: string) => boolean;
}

interface MatcherEntry {
  path: string;
  matchers: CompiledMatcher[];
}

/** A lookup structure built once per library change; matching a page is then a few map reads. */
export interface RunbookIndex {
  byUrl: Map<string, string>;
  byName: Map<string, string[]>;
  /** Path segments of every indexed runbook, computed once for tie-breaks. */
  segments: Map<string, string[]>;
  /** runbook_url → what it resolved to; pages of one alert share their URL, so most lookups hit. */
  urlMemo: Map<string, RunbookMatch | null>;
  byAlias: Map<string, string[]>;
  byAlertname: Map<string, MatcherEntry[]>;
  unkeyed: MatcherEntry[];
}

const EXT = /\.(md|markdown|mdx|html?)$/i;
const INDEX_NAMES = new Set(['index', '_index', 'readme']);

function decodeSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Path segments of a URL or path, lower-cased, without extension on the last one and without index files. */
export function pathSegments(urlOrPath: string): string[] {
  const noFragment = urlOrPath.split('#')[0]!.split('?')[0]!;
  const noOrigin = noFragment.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '');
  const segs = noOrigin
    .split('/')
    .filter((s) => s !== '')
    .map((s) => decodeSafe(s).toLowerCase());
  if (segs.length > 0) segs[segs.length - 1] = segs.at(-1)!.replace(EXT, '');
  while (segs.length > 1 && INDEX_NAMES.has(segs.at(-1)!)) segs.pop();
  return segs;
}

function normalizeUrl(url: string): string {
  return url.split('#')[0]!.replace(/\/+$/, '').toLowerCase();
}

function compile(m: LabelMatcher): CompiledMatcher {
  if (m.op === '=') return { name: m.name, test: (v) => v === m.value };
  if (m.op === '!=') return { name: m.name, test: (v) => v !== m.value };
  const re = new RegExp(`^(?:${m.value})$`);
  return m.op === '=~' ? { name: m.name, test: (v) => re.test(v) } : { name: m.name, test: (v) => !re.test(v) };
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Builds the index. Paths are sorted first so ties always resolve the same way. */
export function buildRunbookIndex(runbooks: readonly IndexedRunbook[]): RunbookIndex {
  const index: RunbookIndex = { byUrl: new Map(), byName: new Map(), segments: new Map(), urlMemo: new Map(), byAlias: new Map(), byAlertname: new Map(), unkeyed: [] };
  const sorted = [...runbooks].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const rb of sorted) {
    if (rb.url) index.byUrl.set(normalizeUrl(rb.url), rb.path);
    const segs = pathSegments(rb.path);
    index.segments.set(rb.path, segs);
    const name = segs.at(-1);
    if (name) push(index.byName, name, rb.path);
    for (const alias of rb.aliases) {
      const last = pathSegments(alias).at(-1);
      if (last) push(index.byAlias, last, rb.path);
    }
    if (rb.matchers.length > 0) {
      const entry: MatcherEntry = { path: rb.path, matchers: rb.matchers.map(compile) };
      const key = rb.matchers.find((m) => m.name === 'alertname' && m.op === '=');
      if (key) push(index.byAlertname, key.value, entry);
      else index.unkeyed.push(entry);
    }
  }
  return index;
}

/** Among same-named runbooks, the one whose folders agree most with the URL's wins. */
function bestByFolders(index: RunbookIndex, candidates: readonly string[], urlSegs: readonly string[]): string {
  if (candidates.length === 1) return candidates[0]!;
  let best = candidates[0]!;
  let bestScore = -1;
  for (const path of candidates) {
    const segs = index.segments.get(path) ?? pathSegments(path);
    let score = 0;
    for (let i = 2; i <= Math.min(segs.length, urlSegs.length) && segs.at(-i) === urlSegs.at(-i); i++) score++;
    if (score > bestScore) {
      best = path;
      bestScore = score;
    }
  }
  return best;
}

function matchesLabels(entry: MatcherEntry, labels: Record<string, string>): boolean {
  return entry.matchers.every((m) => m.test(labels[m.name] ?? ''));
}

function matchUrl(index: RunbookIndex, url: string): RunbookMatch | null {
  const anchor = url.includes('#') ? decodeSafe(url.slice(url.indexOf('#') + 1)) || null : null;
  const exact = index.byUrl.get(normalizeUrl(url));
  if (exact) return { path: exact, reason: 'url', anchor };
  const segs = pathSegments(url);
  const last = segs.at(-1);
  if (last) {
    const named = index.byName.get(last);
    if (named) return { path: bestByFolders(index, named, segs), reason: 'fileName', anchor };
    const aliased = index.byAlias.get(last);
    if (aliased) return { path: aliased[0]!, reason: 'alias', anchor };
  }
  return null;
}

/**
 * Finds the runbook for a page: its runbook_url (exact URL, then last path segment against
 * file names and aliases, case- and extension-insensitive), else front-matter label matchers
 * (the most specific wins), else a file named after the alertname. Null: the engineer picks.
 */
export function matchRunbook(index: RunbookIndex, page: Pick<Page, 'runbookUrl' | 'labels'>): RunbookMatch | null {
  const url = page.runbookUrl?.trim();
  if (url) {
    let byUrl = index.urlMemo.get(url);
    if (byUrl === undefined) {
      byUrl = matchUrl(index, url);
      if (index.urlMemo.size > 100_000) index.urlMemo.clear();
      index.urlMemo.set(url, byUrl);
    }
    if (byUrl) return byUrl;
  }
  const alertname = page.labels.alertname;
  let best: MatcherEntry | null = null;
  const consider = (entries: readonly MatcherEntry[] | undefined) => {
    for (const e of entries ?? []) {
      if ((best === null || e.matchers.length > best.matchers.length) && matchesLabels(e, page.labels)) best = e;
    }
  };
  if (alertname !== undefined) consider(index.byAlertname.get(alertname));
  consider(index.unkeyed);
  if (best) return { path: (best as MatcherEntry).path, reason: 'matchers', anchor: null };
  if (alertname) {
    const named = index.byName.get(alertname.toLowerCase()) ?? index.byAlias.get(alertname.toLowerCase());
    if (named) return { path: named[0]!, reason: 'alertname', anchor: null };
  }
  return null;
}
