import type { PageStatus } from '../page';
import { severityRank, type Severity } from '../severity';
import { fallbackSound, type AlarmPolicy, type BuiltinSound, type EscalationStep, type SeverityPolicy } from './policy';
import { quietHoursAt, type RotaView } from './quiet';
import { dndActive, type AlarmState, type GroupTrack } from './state';

/** What the alarm logic needs of a live page (a LivePage from src/core/pager fits). */
export interface AlarmPage {
  id: string;
  groupKey: string;
  title: string;
  severity: Severity;
  status: PageStatus;
  startsAt: number;
  /** When it rang; null for a page that never did (seeded), which then counts from its start. */
  rangAt: number | null;
}

/** Everything an evaluation depends on besides the saved state. */
export interface AlarmContext {
  /**
   * At least every firing (unacknowledged) page; pages in any other state are skipped, so main
   * may pass all it knows or, cheaper with 100,000 pages, only the firing ones.
   */
  pages: Iterable<AlarmPage>;
  policy: AlarmPolicy;
  /** My rota situation, or null without a rota. */
  rota: RotaView | null;
  /** The user's time zone, for quiet hours. */
  timeZone: string;
  now: number;
}

/** Why the alarm logic notifies again after the pager's first notification. */
export type RenotifyReason = 'repeat' | 'snoozeEnded' | 'escalation' | 'quietEnded';

/** The group an action is about, as the notification and the alert window show it. */
export interface GroupSummary {
  groupKey: string;
  /** The most urgent page of the group. */
  pageId: string;
  title: string;
  severity: Severity;
  count: number;
  pageIds: string[];
}

/** What main must do now; it turns these into OS calls, renderer messages and timeline events. */
export type AlarmAction =
  | ({ type: 'notify'; reason: RenotifyReason } & GroupSummary)
  | { type: 'playSound'; sound: string; fallback: BuiltinSound; severity: Severity }
  | { type: 'startAlarm'; sound: string; fallback: BuiltinSound; severity: Severity; groupKeys: string[] }
  | { type: 'stopAlarm' }
  | { type: 'showAlert'; groupKey: string; pageId: string; title: string; severity: Severity; count: number }
  | { type: 'hideAlert' }
  | ({ type: 'escalate'; level: number; steps: EscalationStep[] } & GroupSummary)
  | { type: 'offerSelfTest'; shiftStart: number };

/** The outcome of one evaluation: the state to save, what to do now, and when to evaluate next. */
export interface AlarmResult {
  state: AlarmState;
  actions: AlarmAction[];
  /** Absolute time of the next evaluation due; null when nothing is pending. */
  nextWakeAt: number | null;
}

interface Waiting {
  groupKey: string;
  pages: AlarmPage[];
  lead: AlarmPage;
  firstAt: number;
}

const MIN = 60_000;

function summary(g: Waiting): GroupSummary {
  return { groupKey: g.groupKey, pageId: g.lead.id, title: g.lead.title, severity: g.lead.severity, count: g.pages.length, pageIds: g.pages.map((p) => p.id) };
}

/** Drops snoozes that ended; returns the groups whose snooze ended (for a page snooze: its group). */
function expireSnoozes(state: AlarmState, pagesById: Map<string, AlarmPage>, now: number): Set<string> {
  const ended = new Set<string>();
  for (const [key, until] of Object.entries(state.groupSnoozes)) {
    if (until > now) continue;
    delete state.groupSnoozes[key];
    ended.add(key);
  }
  for (const [id, until] of Object.entries(state.pageSnoozes)) {
    const page = pagesById.get(id);
    // a snooze of a page that is gone or no longer firing has nothing left to bring back
    if (page && page.status === 'firing' && until > now) continue;
    delete state.pageSnoozes[id];
    if (page && until <= now) ended.add(page.groupKey);
  }
  return ended;
}

function isSnoozed(state: AlarmState, page: AlarmPage): boolean {
  return state.pageSnoozes[page.id] !== undefined || state.groupSnoozes[page.groupKey] !== undefined;
}

/** Groups with unacknowledged, unsnoozed pages; the lead page is the most urgent, then the newest. */
function waitingGroups(state: AlarmState, pages: AlarmPage[]): { waiting: Map<string, Waiting>; snoozedGroups: Set<string> } {
  const waiting = new Map<string, Waiting>();
  const snoozedGroups = new Set<string>();
  for (const page of pages) {
    if (page.status !== 'firing') continue;
    if (isSnoozed(state, page)) {
      snoozedGroups.add(page.groupKey);
      continue;
    }
    const at = page.rangAt ?? page.startsAt;
    const g = waiting.get(page.groupKey);
    if (!g) {
      waiting.set(page.groupKey, { groupKey: page.groupKey, pages: [page], lead: page, firstAt: at });
      continue;
    }
    g.pages.push(page);
    g.firstAt = Math.min(g.firstAt, at);
    const r = severityRank(page.severity) - severityRank(g.lead.severity);
    if (r < 0 || (r === 0 && page.startsAt > g.lead.startsAt)) g.lead = page;
  }
  return { waiting, snoozedGroups };
}

const byUrgency = (a: Waiting, b: Waiting) => severityRank(a.lead.severity) - severityRank(b.lead.severity) || b.firstAt - a.firstAt;

/**
 * The alarm logic: a pure function of (saved state, live pages, policy, rota, now). It returns the
 * actions due and the next wake-up as an absolute time, so main only sets one timer and a late
 * timer (after sleep) still does the right thing. Call it after every pager input (an
 * acknowledgement stops the alarm in that same call), at `nextWakeAt`, and on resume.
 */
export function evaluateAlarms(saved: AlarmState, ctx: AlarmContext): AlarmResult {
  const { policy, now } = ctx;
  const state: AlarmState = { ...saved, pageSnoozes: { ...saved.pageSnoozes }, groupSnoozes: { ...saved.groupSnoozes }, groups: { ...saved.groups } };
  // One pass over everything main knows (100,000 pages) keeps only what can ring: firing pages,
  // and the pages that have a snooze. The rest of the evaluation only sees those.
  const pages: AlarmPage[] = [];
  const pagesById = new Map<string, AlarmPage>();
  const snoozedIds = new Set(Object.keys(saved.pageSnoozes));
  for (const p of ctx.pages) {
    if (p.status === 'firing') pages.push(p);
    if (snoozedIds.size > 0 && snoozedIds.has(p.id)) pagesById.set(p.id, p);
  }
  const actions: AlarmAction[] = [];
  const wake: number[] = [];

  const snoozeEnded = expireSnoozes(state, pagesById, now);
  if (state.dnd && state.dnd.until !== null && state.dnd.until <= now) state.dnd = null;
  const { waiting, snoozedGroups } = waitingGroups(state, pages);
  const quietHours = quietHoursAt(policy.quietHours, ctx.rota, now, ctx.timeZone);
  const dnd = dndActive(state, now);
  const quiet = dnd || quietHours.quiet;

  // Groups nobody needs to look at any more are forgotten; snoozed ones keep their escalation level.
  for (const key of Object.keys(state.groups)) if (!waiting.has(key) && !snoozedGroups.has(key)) delete state.groups[key];

  const alarmGroups: Waiting[] = [];
  const alertGroups: Waiting[] = [];
  let anyMuted = false;
  for (const g of [...waiting.values()].sort(byUrgency)) {
    const sp = policy.severities[g.lead.severity];
    const muted = quiet && !sp.breakThrough;
    if (muted) anyMuted = true;
    const previous = state.groups[g.groupKey];
    let track: GroupTrack;
    if (!previous || snoozeEnded.has(g.groupKey)) {
      // New to the alarm logic (the pager's own notification just announced it), or back from a snooze.
      track = { since: previous ? now : Math.min(g.firstAt, now), lastAlertAt: now, level: previous?.level ?? 0, escalatedAt: null, ...(muted ? { heldBack: true } : {}) };
      if (previous && !muted && sp.notify) actions.push({ type: 'notify', reason: 'snoozeEnded', ...summary(g) });
      if (!muted && (sp.sound === 'once' || sp.sound === 'repeat')) actions.push(sound(sp, g.lead.severity));
    } else {
      track = { ...previous };
    }
    // quiet kept this group's first notification and sound back: they come the moment it ends
    const released = track.heldBack === true && !muted;
    if (released) delete track.heldBack;

    // Escalation first: when it re-alerts, that is this round's repeat too, not a second one.
    let realerted = false;
    const escalation = escalationDue(track, sp, policy);
    if (escalation !== null && !muted) {
      if (now >= escalation.due) {
        track.level += 1;
        track.escalatedAt = now;
        track.lastAlertAt = now;
        const level = policy.escalation.levels[track.level - 1]!;
        actions.push({ type: 'escalate', level: track.level, steps: level.run, ...summary(g) });
        if (level.realert) {
          realerted = true;
          actions.push({ type: 'notify', reason: 'escalation', ...summary(g) });
          if (sp.sound !== 'untilAcknowledged') actions.push(sound(sp, g.lead.severity));
        }
        const next = escalationDue(track, sp, policy);
        if (next) wake.push(next.due);
      } else wake.push(escalation.due);
    }

    if (released && !realerted) {
      // once, in place of a repeat that fell due meanwhile
      track.lastAlertAt = now;
      if (sp.notify) actions.push({ type: 'notify', reason: 'quietEnded', ...summary(g) });
      if (sp.sound === 'once' || sp.sound === 'repeat') actions.push(sound(sp, g.lead.severity));
    }

    if (!muted && sp.sound === 'repeat') {
      const due = track.lastAlertAt + sp.repeatMinutes * MIN;
      if (now >= due && !realerted) {
        if (sp.notify) actions.push({ type: 'notify', reason: 'repeat', ...summary(g) });
        actions.push(sound(sp, g.lead.severity));
        track.lastAlertAt = now;
      }
      wake.push(track.lastAlertAt + sp.repeatMinutes * MIN);
    }

    if (!muted && sp.sound === 'untilAcknowledged') alarmGroups.push(g);
    if (!muted && sp.alertWindow) alertGroups.push(g);
    state.groups[g.groupKey] = track;
  }

  alarmActions(state, alarmGroups, policy, now, actions);
  alertActions(state, alertGroups, actions);
  selfTestOffer(state, ctx, actions, wake);

  for (const until of Object.values(state.groupSnoozes)) wake.push(until);
  for (const until of Object.values(state.pageSnoozes)) wake.push(until);
  if (anyMuted) {
    // whatever quiet holds back must sound the moment quiet ends
    if (quietHours.changesAt !== null) wake.push(quietHours.changesAt);
    if (dnd && state.dnd?.until != null) wake.push(state.dnd.until);
  }
  const future = wake.filter((t) => t > now);
  return { state, actions, nextWakeAt: future.length > 0 ? Math.min(...future) : null };
}

function sound(sp: SeverityPolicy, severity: Severity): AlarmAction {
  return { type: 'playSound', sound: sp.soundFile, fallback: fallbackSound(sp), severity };
}

/** When the next escalation level is due for a group, or null when it has no (further) level. */
function escalationDue(track: GroupTrack, sp: SeverityPolicy, policy: AlarmPolicy): { due: number } | null {
  if (sp.responseTargetMinutes === null || track.level >= policy.escalation.levels.length) return null;
  if (track.level === 0 || track.escalatedAt === null) return { due: track.since + sp.responseTargetMinutes * MIN };
  return { due: track.escalatedAt + policy.escalation.intervalMinutes * MIN };
}

/** The alarm sound is declarative: it plays while any group wants it; only changes become actions. */
function alarmActions(state: AlarmState, groups: Waiting[], policy: AlarmPolicy, now: number, actions: AlarmAction[]): void {
  if (groups.length === 0) {
    if (state.alarm) actions.push({ type: 'stopAlarm' });
    state.alarm = null;
    return;
  }
  const groupKeys = groups.map((g) => g.groupKey);
  if (!state.alarm) {
    const lead = groups[0]!.lead;
    const sp = policy.severities[lead.severity];
    actions.push({ type: 'startAlarm', sound: sp.soundFile, fallback: fallbackSound(sp), severity: lead.severity, groupKeys });
    state.alarm = { groupKeys, startedAt: now };
  } else {
    // it keeps playing (and keeps growing louder) while the set of groups changes
    state.alarm = { ...state.alarm, groupKeys };
  }
}

/** The alert window shows the most urgent group that wants it, with how many pages wait in all. */
function alertActions(state: AlarmState, groups: Waiting[], actions: AlarmAction[]): void {
  const lead = groups[0];
  if (!lead) {
    if (state.alert) actions.push({ type: 'hideAlert' });
    state.alert = null;
    return;
  }
  const count = groups.reduce((n, g) => n + g.pages.length, 0);
  const next = { groupKey: lead.groupKey, pageId: lead.lead.id, count, severity: lead.lead.severity };
  const shown = state.alert;
  if (shown && shown.groupKey === next.groupKey && shown.pageId === next.pageId && shown.count === next.count && shown.severity === next.severity) return;
  actions.push({ type: 'showAlert', ...next, title: lead.lead.title });
  state.alert = next;
}

/** Offers the self-test once per shift, `selfTestLeadMinutes` before it starts. */
function selfTestOffer(state: AlarmState, ctx: AlarmContext, actions: AlarmAction[], wake: number[]): void {
  const rota = ctx.rota;
  if (!rota || rota.onCall || rota.changesAt === null) return;
  const shiftStart = rota.changesAt;
  if (state.selfTestOfferedFor === shiftStart) return;
  const offerAt = shiftStart - ctx.policy.selfTestLeadMinutes * MIN;
  if (ctx.now >= offerAt) {
    actions.push({ type: 'offerSelfTest', shiftStart });
    state.selfTestOfferedFor = shiftStart;
  } else wake.push(offerAt);
}

/**
 * Whether the pager's first notification for a group should reach the OS, and how urgently:
 * P4 is listed only, quiet hours hold back what does not break through, and a snoozed group stays quiet.
 */
export function notificationFor(
  ring: { groupKey: string; severity: Severity; pageIds: string[] },
  state: AlarmState,
  ctx: Omit<AlarmContext, 'pages'>,
): { show: boolean; urgency: 'critical' | 'normal' | 'low' } {
  const sp = ctx.policy.severities[ring.severity];
  const urgency = ring.severity === 'P1' ? 'critical' : ring.severity === 'P4' ? 'low' : 'normal';
  const snoozed = (state.groupSnoozes[ring.groupKey] ?? 0) > ctx.now || ring.pageIds.every((id) => (state.pageSnoozes[id] ?? 0) > ctx.now);
  const quiet = dndActive(state, ctx.now) || quietHoursAt(ctx.policy.quietHours, ctx.rota, ctx.now, ctx.timeZone).quiet;
  return { show: sp.notify && !snoozed && !(quiet && !sp.breakThrough), urgency };
}
