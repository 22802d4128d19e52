import type { Page, PageSource, PageStatus } from '../../../core/page';
import { SEVERITIES, type Severity } from '../../../core/severity';

/**
 * One alert of a triage line, slim: what the list needs to count, order, filter and acknowledge it
 * without holding the full page (100,000 full pages cost more heap than the view may use).
 */
export interface LineMember {
  id: string;
  status: PageStatus;
  severity: Severity;
  startsAt: number;
  resolvedAt: number | null;
  acknowledgedAt: number | null;
  /** Index into the line's `titles`. */
  title: number;
  /** What the line shows under the title: the summary, else the instance. */
  summary: string;
  /** Lower-cased search parts of this page that not every page of the line has, joined by newlines. */
  text: string;
}

/**
 * One line of the triage list as stored (table `triage`, schema v6): an Alertmanager group, or a
 * lone page. Rebuilt from the line's pages whenever a delivery touches one of them.
 */
export interface TriageLine {
  /** The group key, or the page id of a page without a group. */
  key: string;
  source: PageSource;
  /** Ascending = firing before acknowledged before resolved, P1 first, newest first (indexed with the key). */
  urgency: number;
  /** Latest resolution among its pages; absent (so not indexed) while none resolved. */
  lastResolvedAt?: number;
  total: number;
  firing: number;
  acknowledged: number;
  resolved: number;
  /** Distinct alert names. */
  titles: string[];
  /** Labels every page of the line has with the same value. */
  shared: Record<string, string>;
  /** Lower-cased search parts every page of the line has, joined by newlines. */
  text: string;
  /** Most urgent first. */
  members: LineMember[];
}

const STATUS_RANK: Record<PageStatus, number> = { firing: 0, acknowledged: 1, resolved: 2 };
const SEVERITY_RANK = Object.fromEntries(SEVERITIES.map((s, i) => [s, i])) as Record<Severity, number>;

/** Rank of a status in urgency order (firing first). */
export function statusRank(status: PageStatus): number {
  return STATUS_RANK[status];
}

/** Rank of a severity in urgency order (P1 first). */
export function severityRank(severity: Severity): number {
  return SEVERITY_RANK[severity];
}

/** Start times stay below this (year 5138), so "newest first" fits in one ascending number. */
const TIME_SPAN = 1e14;

/**
 * One number whose ascending order is the urgency order: status, then severity, then newest first.
 * Below 3e15, so exact in a double; ties are broken by the line key next to it in the index.
 */
export function urgencyKey(status: PageStatus, severity: Severity, newest: number): number {
  const age = Math.min(TIME_SPAN - 1, Math.max(0, TIME_SPAN - 1 - newest));
  return STATUS_RANK[status] * 10 * TIME_SPAN + SEVERITY_RANK[severity] * TIME_SPAN + age;
}

/** Urgency keys below this belong to lines with something open (firing or acknowledged). */
export const OPEN_URGENCY_BELOW = 2 * 10 * TIME_SPAN;

/** Urgency order for pages (and members): firing before acknowledged before resolved, P1 first, newest first. */
export function byUrgency(a: Pick<Page, 'status' | 'severity' | 'startsAt' | 'id'>, b: Pick<Page, 'status' | 'severity' | 'startsAt' | 'id'>): number {
  return STATUS_RANK[a.status] - STATUS_RANK[b.status] || SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || b.startsAt - a.startsAt || (a.id < b.id ? -1 : 1);
}

/** The line a page belongs to: its group, or itself. */
export function lineKey(page: Pick<Page, 'groupKey' | 'id'>): string {
  return page.groupKey || page.id;
}

/** Lower-cased pieces a filter is matched against: alert, summary, instance, labels and annotations. */
export function searchParts(page: Page): string[] {
  // rows written by early versions (and by hand in tests of old schemas) may lack fields: they match nothing there
  const parts = [page.title ?? '', page.summary ?? '', page.instance ?? ''];
  for (const [k, v] of Object.entries(page.labels ?? {})) parts.push(`${k}=${v}`);
  for (const v of Object.values(page.annotations ?? {})) parts.push(v);
  return [...new Set(parts.map((p) => String(p).toLowerCase()).filter(Boolean))];
}

/** Labels every page has with the same value. */
export function sharedLabels(pages: readonly Pick<Page, 'labels'>[]): Record<string, string> {
  if (pages.length === 0) return {};
  const shared: Record<string, string> = {};
  for (const [k, v] of Object.entries(pages[0]!.labels ?? {})) {
    if (pages.every((p) => p.labels?.[k] === v)) shared[k] = v;
  }
  return shared;
}

/** Builds the stored line from all of its pages; null when it has none. */
export function buildLine(key: string, pages: readonly Page[]): TriageLine | null {
  if (pages.length === 0) return null;
  const sorted = [...pages].sort(byUrgency);
  const parts = sorted.map(searchParts);
  let common = new Set(parts[0]);
  for (const p of parts.slice(1)) {
    const mine = new Set(p);
    common = new Set([...common].filter((x) => mine.has(x)));
  }
  const titles: string[] = [];
  const titleIndex = new Map<string, number>();
  let firing = 0;
  let acknowledged = 0;
  let resolved = 0;
  let lastResolvedAt = -Infinity;
  const members = sorted.map((page, i): LineMember => {
    let t = titleIndex.get(page.title);
    if (t === undefined) {
      t = titles.length;
      titles.push(page.title);
      titleIndex.set(page.title, t);
    }
    if (page.status === 'firing') firing++;
    else if (page.status === 'acknowledged') acknowledged++;
    else {
      resolved++;
      lastResolvedAt = Math.max(lastResolvedAt, page.resolvedAt ?? page.updatedAt);
    }
    return memberOf(page, t, parts[i]!.filter((x) => !common.has(x)).join('\n'));
  });
  const lead = sorted[0]!;
  const severity = groupSeverity(members);
  const line: TriageLine = {
    key,
    source: lead.source,
    urgency: urgencyKey(lead.status, severity, lead.startsAt),
    total: pages.length,
    firing,
    acknowledged,
    resolved,
    titles,
    shared: pages.length > 1 ? sharedLabels(pages) : {},
    text: [...common].join('\n'),
    members,
  };
  if (resolved > 0) line.lastResolvedAt = lastResolvedAt;
  return line;
}

/** A page as its line holds it: `title` indexes the line's titles, `text` is what only this page adds to the filter text. */
function memberOf(page: Page, title: number, text: string): LineMember {
  return {
    id: page.id,
    status: page.status,
    severity: page.severity,
    startsAt: page.startsAt,
    resolvedAt: page.status === 'resolved' ? (page.resolvedAt ?? page.updatedAt) : null,
    acknowledgedAt: page.acknowledgedAt,
    title,
    summary: page.summary || page.instance || '',
    text,
  };
}

/** A line's severity: the most severe of its open alerts, else its lead's. */
export function groupSeverity(members: readonly Pick<LineMember, 'status' | 'severity'>[]): Severity {
  let best = members[0]!.severity;
  for (const m of members) if (m.status !== 'resolved' && SEVERITY_RANK[m.severity] < SEVERITY_RANK[best]) best = m.severity;
  return best;
}

/** Builds every line of a set of pages (all pages of each line must be in it). */
export function buildLines(pages: readonly Page[]): TriageLine[] {
  const byKey = new Map<string, Page[]>();
  for (const page of pages) {
    const key = lineKey(page);
    const list = byKey.get(key);
    if (list) list.push(page);
    else byKey.set(key, [page]);
  }
  return [...byKey].map(([key, list]) => buildLine(key, list)!);
}

/** A page a batch changed: as it was before the batch (undefined if new) and after. */
export interface PageChange {
  before: Page | undefined;
  after: Page;
}

const sameParts = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * The line after some of its pages changed, without reading its other pages: exact when each change
 * is a page new to the line, or a page of the line whose labels and texts stayed the same (a status
 * change: acknowledged, resolved, fired again). Null when the line must be rebuilt from all its pages.
 */
export function updateLine(line: TriageLine, changes: readonly PageChange[]): TriageLine | null {
  // a line of one page does not keep that page's labels (nothing is shared with itself)
  if (line.total === 1 && changes.some((c) => c.before === undefined)) return null;
  const members = new Map(line.members.map((m) => [m.id, m]));
  const titles = [...line.titles];
  const titleIndex = new Map(titles.map((t, i) => [t, i]));
  let common = new Set(line.text ? line.text.split('\n') : []);
  let shared = line.shared;
  const added: Array<{ page: Page; parts: string[] }> = [];
  for (const { before, after } of changes) {
    const member = members.get(after.id);
    if (member) {
      if (!before || lineKey(before) !== line.key || before.title !== after.title || before.summary !== after.summary || before.instance !== after.instance) return null;
      if (!sameParts(searchParts(before), searchParts(after))) return null;
      members.set(after.id, {
        ...member,
        status: after.status,
        severity: after.severity,
        startsAt: after.startsAt,
        resolvedAt: after.status === 'resolved' ? (after.resolvedAt ?? after.updatedAt) : null,
        acknowledgedAt: after.acknowledgedAt,
      });
    } else {
      // a page of this line that is not among its members: the stored line is behind, rebuild it
      if (before && lineKey(before) === line.key) return null;
      added.push({ page: after, parts: searchParts(after) });
    }
  }
  if (added.length > 0) {
    const before = common;
    for (const { parts } of added) {
      const mine = new Set(parts);
      common = new Set([...common].filter((x) => mine.has(x)));
    }
    // parts that stopped being common now belong to each earlier page's own text
    const dropped = [...before].filter((x) => !common.has(x));
    if (dropped.length > 0) {
      for (const [id, m] of members) members.set(id, { ...m, text: [m.text, ...dropped].filter(Boolean).join('\n') });
    }
    const labels = [shared, ...added.map((a) => a.page.labels ?? {})];
    shared = Object.fromEntries(Object.entries(shared).filter(([k, v]) => labels.every((l) => l[k] === v)));
    for (const { page, parts } of added) {
      let t = titleIndex.get(page.title);
      if (t === undefined) {
        t = titles.length;
        titles.push(page.title);
        titleIndex.set(page.title, t);
      }
      members.set(page.id, memberOf(page, t, parts.filter((x) => !common.has(x)).join('\n')));
    }
  }
  const sorted = [...members.values()].sort(byUrgency);
  let firing = 0;
  let acknowledged = 0;
  let resolved = 0;
  let lastResolvedAt = -Infinity;
  for (const m of sorted) {
    if (m.status === 'firing') firing++;
    else if (m.status === 'acknowledged') acknowledged++;
    else {
      resolved++;
      lastResolvedAt = Math.max(lastResolvedAt, m.resolvedAt ?? -Infinity);
    }
  }
  const lead = sorted[0]!;
  const next: TriageLine = {
    key: line.key,
    source: line.source,
    urgency: urgencyKey(lead.status, groupSeverity(sorted), lead.startsAt),
    total: sorted.length,
    firing,
    acknowledged,
    resolved,
    titles,
    shared,
    text: [...common].join('\n'),
    members: sorted,
  };
  if (resolved > 0) next.lastResolvedAt = lastResolvedAt;
  return next;
}
