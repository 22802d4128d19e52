import type { Page, PageSource, PageStatus } from '../../../core/page';
import type { Severity } from '../../../core/severity';
import { buildLines, groupSeverity, severityRank, sharedLabels, statusRank, urgencyKey, type LineMember, type TriageLine } from './triage-line';

export { byUrgency, searchParts } from './triage-line';

/** What a line speaks for: its most urgent shown alert. */
export interface TriageLead {
  id: string;
  title: string;
  summary: string;
  status: PageStatus;
  severity: Severity;
  startsAt: number;
  acknowledgedAt: number | null;
}

/** One line of the triage list as shown: an Alertmanager group, or a lone page (a group of one). */
export interface TriageGroup {
  key: string;
  source: PageSource;
  /** The alerts shown (in view and matching the filter), most urgent first. */
  members: LineMember[];
  lead: TriageLead;
  severity: Severity;
  status: PageStatus;
  /** Alerts still firing (not acknowledged). */
  firing: number;
  /** Earliest start among the shown alerts: how long this has been going on. */
  startsAt: number;
  /** Distinct alert names, so "+2 kinds" can be said when a group mixes them. */
  titles: number;
  /** Labels every alert of the group has with the same value; shown once on the group. */
  shared: Record<string, string>;
}

/** A column the list can be sorted by from its header. */
export type SortColumn = 'severity' | 'status' | 'title' | 'count' | 'age';
/** A header sort, or null for the default urgency order. */
export type SortState = { column: SortColumn; desc: boolean } | null;

/** Splits what was typed into lower-case words. */
export function filterWords(filter: string): string[] {
  return filter.toLowerCase().split(/\s+/).filter(Boolean);
}

/** How the list is narrowed and ordered. */
export interface GroupOptions {
  filter?: string;
  /** Rows (`g:<group key>`) acknowledged here a moment ago: they keep their firing rank until the engineer moves on. */
  held?: ReadonlySet<string>;
  sort?: SortState;
  /** Resolved alerts resolved before this are not shown (the last shift); null shows every one held. */
  resolvedSince?: number | null;
}

const unfiltered = new WeakMap<TriageLine, TriageGroup>();

function toGroup(line: TriageLine, members: LineMember[]): TriageGroup {
  const lead = members[0]!;
  let firing = 0;
  let startsAt = Infinity;
  const titles = new Set<number>();
  for (const m of members) {
    if (m.status === 'firing') firing++;
    if (m.startsAt < startsAt) startsAt = m.startsAt;
    titles.add(m.title);
  }
  return {
    key: line.key,
    source: line.source,
    members,
    lead: { id: lead.id, title: line.titles[lead.title]!, summary: lead.summary, status: lead.status, severity: lead.severity, startsAt: lead.startsAt, acknowledgedAt: lead.acknowledgedAt },
    severity: groupSeverity(members),
    status: lead.status,
    firing,
    startsAt,
    titles: titles.size,
    shared: line.shared,
  };
}

/** The line as shown: only alerts in view that match every word; null when none is left. */
export function lineGroup(line: TriageLine, words: readonly string[], resolvedSince: number | null): TriageGroup | null {
  const hidesResolved = resolvedSince !== null && line.resolved > 0;
  // words every alert of the line has need no check per alert
  const rest = words.length === 0 ? words : words.filter((w) => !line.text.includes(w));
  if (rest.length === 0 && !hidesResolved) {
    // the common case, cached per stored line so unchanged lines keep their identity between renders
    let group = unfiltered.get(line);
    if (!group) {
      group = toGroup(line, line.members);
      unfiltered.set(line, group);
    }
    return group;
  }
  const members = line.members.filter((m) => (!hidesResolved || m.resolvedAt === null || m.resolvedAt >= resolvedSince!) && rest.every((w) => m.text.includes(w)));
  if (members.length === 0) return null;
  // every alert shown after all: the cached whole-line group keeps its identity
  return members.length === line.members.length ? lineGroup(line, [], null) : toGroup(line, members);
}

/**
 * Turns stored lines into the list's groups, keeping only alerts in view that match the filter
 * (every whitespace-separated word must occur in the alert's text), in urgency or header order.
 */
export function groupLines(lines: Iterable<TriageLine>, opts: GroupOptions = {}): TriageGroup[] {
  const words = filterWords(opts.filter ?? '');
  const groups: TriageGroup[] = [];
  for (const line of lines) {
    const group = lineGroup(line, words, opts.resolvedSince ?? null);
    if (group) groups.push(group);
  }
  return sortGroups(groups, opts.sort ?? null, opts.held ?? new Set());
}

/** Groups full pages into list groups (tests, and anything holding a few pages). */
export function groupPages(pages: Page[], opts: GroupOptions = {}): TriageGroup[] {
  return groupLines(buildLines(pages), opts);
}

/** Orders lines by urgency, or by a header column (ties fall back to urgency). */
export function sortGroups(groups: TriageGroup[], sort: SortState, held: ReadonlySet<string> = new Set()): TriageGroup[] {
  const keyed = groups.map((g) => ({ g, u: urgencyKey(held.has(`g:${g.key}`) ? 'firing' : g.status, g.severity, g.lead.startsAt) }));
  const urgency = (a: { g: TriageGroup; u: number }, b: { g: TriageGroup; u: number }) => a.u - b.u || (a.g.key < b.g.key ? -1 : a.g.key > b.g.key ? 1 : 0);
  if (!sort) return keyed.sort(urgency).map((k) => k.g);
  const dir = sort.desc ? -1 : 1;
  const column = (a: TriageGroup, b: TriageGroup): number => {
    switch (sort.column) {
      case 'severity':
        return severityRank(a.severity) - severityRank(b.severity);
      case 'status':
        return statusRank(a.status) - statusRank(b.status);
      case 'title':
        return a.lead.title.localeCompare(b.lead.title);
      case 'count':
        return a.members.length - b.members.length;
      case 'age':
        return a.startsAt - b.startsAt;
    }
  };
  return keyed.sort((a, b) => dir * column(a.g, b.g) || urgency(a, b)).map((k) => k.g);
}

/** A line of the flattened, virtualized list: a group, the shared labels of an open group, or one of its alerts. */
export type TriageRow =
  | { kind: 'group'; key: string; group: TriageGroup }
  | { kind: 'shared'; key: string; group: TriageGroup }
  | { kind: 'alert'; key: string; group: TriageGroup; page: Page };

/**
 * Flattens groups and the alerts of expanded groups into the rows the list renders. An open group's
 * alerts come from `pagesOf` (read by index for open groups only); until they are read it shows none.
 */
export function flattenRows(groups: TriageGroup[], expanded: ReadonlySet<string>, pagesOf: ReadonlyMap<string, Page[]> = new Map()): TriageRow[] {
  const rows: TriageRow[] = [];
  for (const group of groups) {
    rows.push({ kind: 'group', key: `g:${group.key}`, group });
    if (group.members.length <= 1 || !expanded.has(group.key)) continue;
    const pages = pagesOf.get(group.key);
    if (!pages) continue;
    const shownIds = new Set(group.members.map((m) => m.id));
    const shown = pages.filter((p) => shownIds.has(p.id));
    if (shown.length === 0) continue;
    const open = { ...group, shared: sharedLabels(shown) };
    rows.push({ kind: 'shared', key: `s:${group.key}`, group: open });
    for (const page of shown) rows.push({ kind: 'alert', key: `p:${page.id}`, group: open, page });
  }
  return rows;
}

/** Labels of a page that its group does not already show. */
export function ownLabels(page: Page, shared: Record<string, string>): Array<[string, string]> {
  return Object.entries(page.labels).filter(([k, v]) => shared[k] !== v && k !== 'alertname');
}
