import { evaluateAlarms, type AlarmAction, type AlarmPage, type AlarmResult } from '../../../src/core/alarms/evaluate';
import { defaultAlarmPolicy, type AlarmPolicy } from '../../../src/core/alarms/policy';
import type { RotaView } from '../../../src/core/alarms/quiet';
import { emptyAlarmState, type AlarmState } from '../../../src/core/alarms/state';
import type { Severity } from '../../../src/core/severity';

export const MIN = 60_000;
/** 2026-11-23 (a Monday) 10:00 UTC. */
export const T0 = Date.UTC(2026, 10, 23, 10, 0);

/** A firing page that rang at `at`. */
export function page(id: string, severity: Severity, at: number, groupKey = `g-${id}`): AlarmPage {
  return { id, groupKey, title: `Alert ${id}`, severity, status: 'firing', startsAt: at, rangAt: at };
}

/**
 * A fake-clock driver: it keeps the pages, the saved state and the time, and runs the evaluation
 * as main would (after every change, and at each wake-up it asked for).
 */
export class Harness {
  state: AlarmState = emptyAlarmState();
  pages = new Map<string, AlarmPage>();
  rota: RotaView | null = null;
  now = T0;
  last: AlarmResult | null = null;

  constructor(
    public policy: AlarmPolicy = defaultAlarmPolicy(),
    public timeZone = 'UTC',
  ) {}

  /** Evaluates at the current time and returns the actions. */
  run(): AlarmAction[] {
    const before = JSON.stringify(this.state);
    this.last = evaluateAlarms(this.state, { pages: this.pages.values(), policy: this.policy, rota: this.rota, timeZone: this.timeZone, now: this.now });
    // the saved state is never changed in place: main may still hold it, e.g. while writing it to disk
    if (JSON.stringify(this.state) !== before) throw new Error('evaluateAlarms changed the state it was given');
    this.state = this.last.state;
    return this.last.actions;
  }

  /** Adds a page that rings now and evaluates. */
  fire(id: string, severity: Severity, groupKey?: string): AlarmAction[] {
    this.pages.set(id, page(id, severity, this.now, groupKey));
    return this.run();
  }

  acknowledge(id: string): AlarmAction[] {
    const p = this.pages.get(id)!;
    this.pages.set(id, { ...p, status: 'acknowledged' });
    return this.run();
  }

  /**
   * Moves the clock to `to`, waking at every `nextWakeAt` on the way like main's timer does,
   * and returns every action with the time it happened.
   */
  advanceTo(to: number): Array<{ at: number; action: AlarmAction }> {
    const out: Array<{ at: number; action: AlarmAction }> = [];
    for (let guard = 0; guard < 10_000; guard++) {
      const wake = this.last?.nextWakeAt ?? null;
      if (wake === null || wake > to) break;
      this.now = wake;
      for (const action of this.run()) out.push({ at: this.now, action });
    }
    this.now = to;
    for (const action of this.run()) out.push({ at: this.now, action });
    return out;
  }
}

/** The action types, in order, for short assertions. */
export const types = (actions: AlarmAction[]) => actions.map((a) => a.type);
