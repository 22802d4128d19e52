import { deadmanSignal, evaluateDeadman, type DeadmanConfig } from '../../core/sources/deadman';
import type { PageSignal } from '../../core/page';
import type { Clock } from '../adapters';
import type { Timers } from './http';

/** What the watch needs from main: when each source was last heard, and whether its alarm is open. */
export interface DeadmanWatchDeps {
  configs: readonly DeadmanConfig[];
  clock: Clock;
  timers: Timers;
  /** Last heartbeat (watch: heartbeat) or last delivery (watch: any-delivery), or null. */
  lastSeen(config: DeadmanConfig): number | null;
  /** The open alarm page's startsAt, or null when no alarm is open. */
  openAlarm(sourceId: string): { startsAt: number } | null;
  /** "Paging path broken: <source>" in the user's language. */
  title(config: DeadmanConfig): string;
  /** Raises or clears through the normal signal path. */
  emit(signal: PageSignal): void;
}

/** Runs the dead-man's switches: checks each source when its deadline falls due, and again on `check()` (a delivery, resume). */
export function createDeadmanWatch(deps: DeadmanWatchDeps) {
  const armedAt = deps.clock.now();
  const timers = new Map<string, unknown>();

  const checkOne = (config: DeadmanConfig) => {
    const now = deps.clock.now();
    const open = deps.openAlarm(config.sourceId);
    const d = evaluateDeadman(config, { lastSeen: deps.lastSeen(config), armedAt, raised: open !== null }, now);
    if (d.action === 'raise') deps.emit(deadmanSignal(config, { action: 'raise', since: d.since }, now, deps.title(config), d.since + config.maxSilenceMs));
    if (d.action === 'clear' && open) deps.emit(deadmanSignal(config, { action: 'clear' }, now, deps.title(config), open.startsAt));
    const previous = timers.get(config.sourceId);
    if (previous !== undefined) deps.timers.clearTimeout(previous);
    timers.delete(config.sourceId);
    // While raised there is no deadline; the next delivery's check() clears it.
    if (d.nextCheckAt !== null) timers.set(config.sourceId, deps.timers.setTimeout(() => checkOne(config), Math.max(0, d.nextCheckAt - now)));
  };

  return {
    /** Checks every source now: call at start, after each delivery or heartbeat, and on resume from sleep. */
    check() {
      deps.configs.forEach(checkOne);
    },
    stop() {
      timers.forEach((t) => deps.timers.clearTimeout(t));
      timers.clear();
    },
  };
}
