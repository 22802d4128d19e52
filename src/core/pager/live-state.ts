import { applySignal, acknowledge as acknowledgePage, unacknowledge as unacknowledgePage, type Page, type PageEvent, type PageSignal, type PageStatus } from '../page';
import { severityRank, type Severity } from '../severity';
import { isHeartbeat, type HeartbeatMatchers } from './heartbeat';

/**
 * What main remembers about one page: enough to decide what rings and what the tray shows,
 * without the labels and annotations that only the window needs (Dexie keeps those).
 */
export interface LivePage {
  id: string;
  groupKey: string;
  title: string;
  severity: Severity;
  summary: string;
  instance: string;
  status: PageStatus;
  /** Start of the firing instance this entry describes (the source's startsAt). */
  startsAt: number;
  /** When this instance rang, or was covered by a group notification; null if it never did. */
  rangAt: number | null;
  acknowledgedAt: number | null;
  resolvedAt: number | null;
  updatedAt: number;
}

/** The coalescing window of one group: what already rang and what arrived since. */
export interface GroupWindow {
  endsAt: number;
  /** The most urgent severity that rang in this window. */
  rungSeverity: Severity;
  /** Pages that newly fired inside the window and are covered by its notification. */
  held: string[];
}

/** A heartbeat alert (Watchdog): never a page, but when it was last seen matters. */
export interface HeartbeatSeen {
  key: string;
  title: string;
  status: 'firing' | 'resolved';
  lastSeenAt: number;
}

/** Facts about an Alertmanager group that are not per alert. */
export interface GroupInfo {
  groupKey: string;
  /** Alerts Alertmanager left out of the webhook because of max_alerts. */
  truncatedAlerts: number;
}

/** The live pager state main owns and persists. */
export interface LiveState {
  pages: Map<string, LivePage>;
  windows: Map<string, GroupWindow>;
  heartbeats: Map<string, HeartbeatSeen>;
  /** False until main was seeded from the renderer's store (first start after the upgrade). */
  seeded: boolean;
}

/** How main pages me; all of it comes from config.json. */
export interface PagerPolicy {
  /** A storm of webhooks for one group inside this window makes one notification. */
  coalesceMs: number;
  heartbeats: HeartbeatMatchers;
  /** Resolved pages are remembered this long, so a stale re-send of them never rings. */
  keepResolvedMs: number;
}

/** Which pages an acknowledgement is for. */
export type AckTarget = { ids: string[] } | { groupKey: string } | { all: true };

/** Something that happened to the pager, in the order main applied it. */
export type PagerInput =
  | { type: 'signals'; at: number; signals: PageSignal[]; groups: GroupInfo[] }
  | { type: 'acknowledge'; at: number; target: AckTarget; by: string }
  | { type: 'unacknowledge'; at: number; ids: string[]; by: string }
  | { type: 'tick'; at: number }
  | { type: 'seed'; at: number; pages: LivePage[]; done: boolean };

/** A command main applied; the renderer applies the same one to its store. */
export interface PageCommand {
  type: 'acknowledge' | 'unacknowledge';
  ids: string[];
  at: number;
  by: string;
}

/** One notification for a group: the most urgent of the alerts that newly fired, plus how many more. */
export interface RingEffect {
  type: 'notify';
  groupKey: string;
  pageId: string;
  title: string;
  summary: string;
  instance: string;
  severity: Severity;
  /** How many pages this notification announces (1 + "N more"). */
  count: number;
  pageIds: string[];
}

/** What the renderer must store: signals, commands and timeline-only events, in order. */
export interface DeliverEffect {
  type: 'deliver';
  signals: PageSignal[];
  commands: PageCommand[];
  events: PageEvent[];
  groups: GroupInfo[];
}

/** Effects are what main turns into OS calls and deliveries. */
export type PagerEffect = RingEffect | DeliverEffect;

/** The outcome of one input. */
export interface PagerResult {
  state: LiveState;
  effects: PagerEffect[];
  /**
   * What to journal instead of the input: the same input without the signals that changed
   * nothing (a re-sent group of 10,000 alerts is mostly repeats), or null when nothing changed.
   * Replaying it from the same state gives the same state.
   */
  journal: PagerInput | null;
}

/** A fresh, empty state. */
export function emptyState(seeded = true): LiveState {
  return { pages: new Map(), windows: new Map(), heartbeats: new Map(), seeded };
}

function toLive(page: Page, previous: LivePage | undefined): LivePage {
  return {
    id: page.id,
    groupKey: page.groupKey,
    title: page.title,
    severity: page.severity,
    summary: page.summary,
    instance: page.instance,
    status: page.status,
    startsAt: page.startsAt,
    rangAt: previous?.rangAt ?? null,
    acknowledgedAt: page.acknowledgedAt,
    resolvedAt: page.resolvedAt,
    updatedAt: page.updatedAt,
  };
}

/** The core page transition needs a full page; the fields main does not keep do not affect it. */
function asPage(live: LivePage, signal: PageSignal): Page {
  return {
    ...live,
    source: signal.source,
    fingerprint: signal.fingerprint,
    labels: {},
    annotations: {},
    endsAt: null,
    generatorUrl: null,
    runbookUrl: null,
    receivedAt: live.updatedAt,
    fireCount: 1,
  };
}

const moreUrgent = (a: Severity, b: Severity) => severityRank(a) < severityRank(b);

function ringFor(groupKey: string, pages: LivePage[]): RingEffect {
  const lead = pages.reduce((best, p) => (moreUrgent(p.severity, best.severity) ? p : best));
  return {
    type: 'notify',
    groupKey,
    pageId: lead.id,
    title: lead.title,
    summary: lead.summary,
    instance: lead.instance,
    severity: lead.severity,
    count: pages.length,
    pageIds: pages.map((p) => p.id),
  };
}

function applySignals(state: LiveState, input: Extract<PagerInput, { type: 'signals' }>, policy: PagerPolicy): { effects: PagerEffect[]; kept: PageSignal[] } {
  const { at } = input;
  const newlyFiring = new Map<string, LivePage[]>();
  // only signals that change a page reach the renderer and the journal: the renderer applies the
  // same transition, so a signal that changes nothing here changes nothing there either
  const delivered: PageSignal[] = [];
  const kept: PageSignal[] = [];
  for (const signal of input.signals) {
    if (isHeartbeat(signal.labels, policy.heartbeats)) {
      const key = `${signal.source}:${signal.title}`;
      state.heartbeats.set(key, { key, title: signal.title, status: signal.status, lastSeenAt: at });
      kept.push(signal);
      continue;
    }
    const previous = state.pages.get(signal.id);
    const result = applySignal(previous ? asPage(previous, signal) : undefined, signal, at);
    if (!result.changed) continue;
    delivered.push(signal);
    kept.push(signal);
    const next = toLive(result.page, previous);
    // Only a page that enters "firing" rings: a new one, or a resolved one that fired again.
    // A re-send, a restart, a stale firing after its resolve or an acknowledged page never does.
    const entered = next.status === 'firing' && (previous === undefined || previous.status === 'resolved');
    if (entered) {
      const list = newlyFiring.get(next.groupKey) ?? [];
      list.push(next);
      newlyFiring.set(next.groupKey, list);
    }
    state.pages.set(next.id, next);
  }

  const effects: PagerEffect[] = [];
  const events: PageEvent[] = [];
  for (const [groupKey, pages] of newlyFiring) {
    const window = state.windows.get(groupKey);
    for (const p of pages) p.rangAt = at;
    if (window && at < window.endsAt) {
      window.held.push(...pages.map((p) => p.id));
      continue;
    }
    const ring = ringFor(groupKey, pages);
    effects.push(ring);
    state.windows.set(groupKey, { endsAt: at + policy.coalesceMs, rungSeverity: ring.severity, held: [] });
    for (const p of pages) events.push({ pageId: p.id, kind: 'notified', at });
  }
  if (delivered.length > 0 || events.length > 0) {
    effects.unshift({ type: 'deliver', signals: delivered, commands: [], events, groups: input.groups });
  }
  return { effects, kept };
}

function targetIds(state: LiveState, target: AckTarget): string[] {
  if ('ids' in target) return target.ids;
  const ids: string[] = [];
  for (const page of state.pages.values()) {
    if ('all' in target || page.groupKey === target.groupKey) ids.push(page.id);
  }
  return ids;
}

function applyAcknowledge(state: LiveState, input: Extract<PagerInput, { type: 'acknowledge' }>): PagerEffect[] {
  const changed: string[] = [];
  for (const id of targetIds(state, input.target)) {
    const page = state.pages.get(id);
    if (!page || page.status !== 'firing') continue;
    state.pages.set(id, { ...page, status: 'acknowledged', acknowledgedAt: input.at, updatedAt: input.at });
    changed.push(id);
  }
  if (changed.length === 0) return [];
  return [{ type: 'deliver', signals: [], commands: [{ type: 'acknowledge', ids: changed, at: input.at, by: input.by }], events: [], groups: [] }];
}

/**
 * Turns acknowledged pages back to firing. They do not ring again (the engineer just took the
 * acknowledgement back and is looking at them), but they count as waiting again, so the tray,
 * the alarm and escalation treat them like any unanswered page from now on.
 */
function applyUnacknowledge(state: LiveState, input: Extract<PagerInput, { type: 'unacknowledge' }>): PagerEffect[] {
  const changed: string[] = [];
  for (const id of input.ids) {
    const page = state.pages.get(id);
    if (!page || page.status !== 'acknowledged') continue;
    // rangAt moves to now: response targets and escalation count from the Undo, so taking back a
    // misclick never makes an escalation that already ran (or was due) fire again at once
    state.pages.set(id, { ...page, status: 'firing', acknowledgedAt: null, rangAt: input.at, updatedAt: input.at });
    changed.push(id);
  }
  if (changed.length === 0) return [];
  return [{ type: 'deliver', signals: [], commands: [{ type: 'unacknowledge', ids: changed, at: input.at, by: input.by }], events: [], groups: [] }];
}

/**
 * Ends coalescing windows. Alerts held in a window rang with its first notification; only if
 * one of them is more urgent than what rang does the window end with a second notification,
 * because an engineer needs to know that it got worse, not that it got bigger.
 */
function applyTick(state: LiveState, at: number, policy: PagerPolicy): PagerEffect[] {
  const effects: PagerEffect[] = [];
  const events: PageEvent[] = [];
  for (const [groupKey, window] of state.windows) {
    if (at < window.endsAt) continue;
    state.windows.delete(groupKey);
    const held = window.held.map((id) => state.pages.get(id)).filter((p): p is LivePage => p?.status === 'firing');
    if (held.some((p) => moreUrgent(p.severity, window.rungSeverity))) {
      effects.push(ringFor(groupKey, held));
      for (const p of held) events.push({ pageId: p.id, kind: 'notified', at });
    }
  }
  for (const [id, page] of state.pages) {
    if (page.status === 'resolved' && (page.resolvedAt ?? page.updatedAt) < at - policy.keepResolvedMs) state.pages.delete(id);
  }
  if (events.length > 0) effects.unshift({ type: 'deliver', signals: [], commands: [], events, groups: [] });
  return effects;
}

function applySeed(state: LiveState, pages: LivePage[], done: boolean): PagerEffect[] {
  if (state.seeded) return [];
  for (const page of pages) if (!state.pages.has(page.id)) state.pages.set(page.id, page);
  state.seeded = done;
  return [];
}

/**
 * The pager's reducer. For speed with 100,000 known pages it updates the state it is given in
 * place and returns it, so callers must treat the state as owned by the reducer. It never reads
 * the clock: every input carries the time main received it.
 */
export function reduce(state: LiveState, input: PagerInput, policy: PagerPolicy): PagerResult {
  switch (input.type) {
    case 'signals': {
      const { effects, kept } = applySignals(state, input, policy);
      return { state, effects, journal: kept.length > 0 ? { ...input, signals: kept } : null };
    }
    case 'acknowledge': {
      const effects = applyAcknowledge(state, input);
      return { state, effects, journal: effects.length > 0 ? input : null };
    }
    case 'unacknowledge': {
      const effects = applyUnacknowledge(state, input);
      return { state, effects, journal: effects.length > 0 ? input : null };
    }
    case 'tick': {
      const before = state.pages.size + state.windows.size;
      const effects = applyTick(state, input.at, policy);
      return { state, effects, journal: effects.length > 0 || state.pages.size + state.windows.size !== before ? input : null };
    }
    case 'seed':
      return { state, effects: applySeed(state, input.pages, input.done), journal: input };
  }
}

/** When main must next send a tick: the earliest window end, or null when none is open. */
export function nextTickAt(state: LiveState): number | null {
  let next: number | null = null;
  for (const w of state.windows.values()) if (next === null || w.endsAt < next) next = w.endsAt;
  return next;
}

/** What the tray shows: pages waiting for a human, and pages still firing at all. */
export function attention(state: LiveState): { unacknowledged: number; firing: number } {
  let unacknowledged = 0;
  let firing = 0;
  for (const p of state.pages.values()) {
    if (p.status === 'firing') unacknowledged++;
    if (p.status !== 'resolved') firing++;
  }
  return { unacknowledged, firing };
}

/** The newest unacknowledged groups, most urgent first, for the tray menu. */
export function openGroups(state: LiveState, limit: number): { groupKey: string; title: string; severity: Severity; count: number; newest: number }[] {
  const groups = new Map<string, { groupKey: string; title: string; severity: Severity; count: number; newest: number }>();
  for (const p of state.pages.values()) {
    if (p.status !== 'firing') continue;
    const g = groups.get(p.groupKey);
    if (!g) groups.set(p.groupKey, { groupKey: p.groupKey, title: p.title, severity: p.severity, count: 1, newest: p.startsAt });
    else {
      g.count++;
      if (moreUrgent(p.severity, g.severity)) {
        g.severity = p.severity;
        g.title = p.title;
      }
      g.newest = Math.max(g.newest, p.startsAt);
    }
  }
  return [...groups.values()].sort((a, b) => severityRank(a.severity) - severityRank(b.severity) || b.newest - a.newest).slice(0, limit);
}

/** The renderer applies a command with the same transition main used. */
export function applyCommand(page: Page, command: PageCommand): ReturnType<typeof acknowledgePage> {
  return command.type === 'unacknowledge' ? unacknowledgePage(page, command.at) : acknowledgePage(page, command.at);
}
