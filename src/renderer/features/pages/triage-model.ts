import type { Page, PageStatus } from '../../../core/page';
import { SEVERITIES, type Severity } from '../../../core/severity';

/** One line of the triage list: an Alertmanager group, or a lone page (a group of one). */
export interface TriageGroup {
  key: string;
  /** The group's pages, most urgent first (only those the filter matches). */
  pages: Page[];
  /** The page the line speaks for: the most urgent one. */
  lead: Page;
  severity: Severity;
  status: PageStatus;
  /** Pages still firing (not acknowledged). */
  firing: number;
  /** Earliest start among the shown pages: how long this has been going on. */
  startsAt: number;
  /** Distinct alert names, so "+2 kinds" can be said when a group mixes them. */
  titles: number;
  /** Labels every page in the group has with the same value; shown once on the group. */
  shared: Record<string, string>;
}

/** A column the list can be sorted by from its header. */
export type SortColumn = 'severity' | 'status' | 'title' | 'count' | 'age';
/** A header sort, or null for the default urgency order. */
export type SortState = { column: SortColumn; desc: boolean } | null;

const STATUS_RANK: Record<PageStatus, number> = { firing: 0, acknowledged: 1, resolved: 2 };
const SEVERITY_RANK = Object.fromEntries(SEVERITIES.map((s, i) => [s, i])) as Record<Severity, number>;

/** Urgency order for pages: firing before acknowledged before resolved, P1 first, newest first. */
export function byUrgency(a: Page, b: Page): number {
  return STATUS_RANK[a.status] - STATUS_RANK[b.status] || SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || b.startsAt - a.startsAt || (a.id < b.id ? -1 : 1);
}

/** Lower-cased text a filter is matched against: alert, summary, instance, labels and annotations. */
export function searchText(page: Page): string {
  const labels = Object.entries(page.labels).map(([k, v]) => `${k}=${v}`);
  const notes = Object.values(page.annotations);
  return [page.title, page.summary, page.instance, ...labels, ...notes].join(' ').toLowerCase();
}

const searchCache = new WeakMap<Page, string>();

/** Whether a page matches a filter; every whitespace-separated word must occur. */
export function matchesFilter(page: Page, words: string[]): boolean {
  if (words.length === 0) return true;
  let text = searchCache.get(page);
  if (text === undefined) {
    text = searchText(page);
    searchCache.set(page, text);
  }
  return words.every((w) => text.includes(w));
}

/** Splits what was typed into lower-case words. */
export function filterWords(filter: string): string[] {
  return filter.toLowerCase().split(/\s+/).filter(Boolean);
}

function sharedLabels(pages: Page[]): Record<string, string> {
  const first = pages[0]!.labels;
  const shared: Record<string, string> = {};
  for (const [k, v] of Object.entries(first)) {
    if (pages.every((p) => p.labels[k] === v)) shared[k] = v;
  }
  return shared;
}

/**
 * Groups pages into triage lines, keeping only pages the filter matches. `held` names rows
 * (`g:<group key>`) acknowledged here a moment ago: they keep their firing rank until the engineer moves on, so
 * the row does not jump away under the cursor.
 */
export function groupPages(pages: Page[], opts: { filter?: string; held?: ReadonlySet<string>; sort?: SortState } = {}): TriageGroup[] {
  const words = filterWords(opts.filter ?? '');
  const byKey = new Map<string, Page[]>();
  for (const page of pages) {
    if (!matchesFilter(page, words)) continue;
    const key = page.groupKey || page.id;
    const list = byKey.get(key);
    if (list) list.push(page);
    else byKey.set(key, [page]);
  }
  const groups: TriageGroup[] = [];
  for (const [key, list] of byKey) {
    list.sort(byUrgency);
    const lead = list[0]!;
    let firing = 0;
    let startsAt = Infinity;
    const titles = new Set<string>();
    for (const p of list) {
      if (p.status === 'firing') firing++;
      if (p.startsAt < startsAt) startsAt = p.startsAt;
      titles.add(p.title);
    }
    const severity = list.reduce<Severity>((best, p) => (p.status !== 'resolved' && SEVERITY_RANK[p.severity] < SEVERITY_RANK[best] ? p.severity : best), lead.severity);
    groups.push({ key, pages: list, lead, severity, status: lead.status, firing, startsAt, titles: titles.size, shared: list.length > 1 ? sharedLabels(list) : {} });
  }
  return sortGroups(groups, opts.sort ?? null, opts.held ?? new Set());
}

/** Orders lines by urgency, or by a header column (ties fall back to urgency). */
export function sortGroups(groups: TriageGroup[], sort: SortState, held: ReadonlySet<string> = new Set()): TriageGroup[] {
  const rank = (g: TriageGroup) => (held.has(`g:${g.key}`) ? 0 : STATUS_RANK[g.status]);
  const urgency = (a: TriageGroup, b: TriageGroup) =>
    rank(a) - rank(b) || SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || b.lead.startsAt - a.lead.startsAt || (a.key < b.key ? -1 : 1);
  if (!sort) return groups.sort(urgency);
  const dir = sort.desc ? -1 : 1;
  const column = (a: TriageGroup, b: TriageGroup): number => {
    switch (sort.column) {
      case 'severity':
        return SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity];
      case 'status':
        return STATUS_RANK[a.status] - STATUS_RANK[b.status];
      case 'title':
        return a.lead.title.localeCompare(b.lead.title);
      case 'count':
        return a.pages.length - b.pages.length;
      case 'age':
        return a.startsAt - b.startsAt;
    }
  };
  return groups.sort((a, b) => dir * column(a, b) || urgency(a, b));
}

/** A line of the flattened, virtualized list: a group, the shared labels of an open group, or one of its alerts. */
export type TriageRow =
  | { kind: 'group'; key: string; group: TriageGroup }
  | { kind: 'shared'; key: string; group: TriageGroup }
  | { kind: 'alert'; key: string; group: TriageGroup; page: Page };

/** Flattens groups and the alerts of expanded groups into the rows the list renders. */
export function flattenRows(groups: TriageGroup[], expanded: ReadonlySet<string>): TriageRow[] {
  const rows: TriageRow[] = [];
  for (const group of groups) {
    rows.push({ kind: 'group', key: `g:${group.key}`, group });
    if (group.pages.length > 1 && expanded.has(group.key)) {
      rows.push({ kind: 'shared', key: `s:${group.key}`, group });
      for (const page of group.pages) rows.push({ kind: 'alert', key: `p:${page.id}`, group, page });
    }
  }
  return rows;
}

/** Labels of a page that its group does not already show. */
export function ownLabels(page: Page, shared: Record<string, string>): Array<[string, string]> {
  return Object.entries(page.labels).filter(([k, v]) => shared[k] !== v && k !== 'alertname');
}
