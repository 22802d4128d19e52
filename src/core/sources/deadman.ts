import type { PageSignal } from '../page';
import type { SourceKind } from './kinds';

/**
 * A dead-man's switch on one source: the longest the app may go without hearing from it. With
 * `heartbeat`, what counts is the heartbeat alert (the Watchdog convention); otherwise any delivery.
 */
export interface DeadmanConfig {
  sourceId: string;
  sourceKind: SourceKind;
  sourceName: string;
  maxSilenceMs: number;
  watch: 'heartbeat' | 'any-delivery';
}

/** What a dead-man's switch decided at `now`; `nextCheckAt` is when to ask again if nothing arrives. */
export type DeadmanDecision =
  | { action: 'raise'; since: number; nextCheckAt: null }
  | { action: 'clear'; nextCheckAt: number }
  | { action: 'none'; nextCheckAt: number | null };

/** The page id of a source's dead-man alarm, one per source. */
export function deadmanPageId(sourceId: string): string {
  return `${sourceId}:deadman`;
}

/**
 * Decides whether to raise or clear "Paging path broken". `lastSeen` is the last heartbeat or
 * delivery (null: never); `armedAt` is when watching began (app start or source added), so a
 * fresh start gets a full interval before it alarms. `raised` is whether the alarm is open now.
 */
export function evaluateDeadman(config: DeadmanConfig, state: { lastSeen: number | null; armedAt: number; raised: boolean }, now: number): DeadmanDecision {
  const reference = Math.max(state.lastSeen ?? state.armedAt, state.armedAt);
  const deadline = reference + config.maxSilenceMs;
  const quiet = now >= deadline;
  if (quiet) return state.raised ? { action: 'none', nextCheckAt: null } : { action: 'raise', since: reference, nextCheckAt: null };
  // Heard from within the limit: a raised alarm clears only on a real sign of life, not on arming.
  if (state.raised && state.lastSeen !== null && state.lastSeen >= state.armedAt) return { action: 'clear', nextCheckAt: deadline };
  return { action: 'none', nextCheckAt: deadline };
}

/**
 * The P1 signal for the alarm, raised or cleared. `title` comes from the catalog
 * (`sources.deadman.title`: "Paging path broken: {{source}}") because core returns no prose.
 */
export function deadmanSignal(config: DeadmanConfig, decision: { action: 'raise'; since: number } | { action: 'clear' }, now: number, title: string, startsAt: number): PageSignal {
  const raised = decision.action === 'raise';
  return {
    id: deadmanPageId(config.sourceId),
    source: config.sourceKind,
    fingerprint: 'deadman',
    groupKey: `${config.sourceId}:deadman`,
    status: raised ? 'firing' : 'resolved',
    title,
    severity: 'P1',
    summary: '',
    instance: config.sourceName,
    labels: { alertname: 'PagingPathBroken', source: config.sourceName, watch: config.watch },
    annotations: {},
    startsAt,
    endsAt: raised ? null : now,
    generatorUrl: null,
    runbookUrl: null,
  };
}
