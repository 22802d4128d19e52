import { RRule } from '../rota/rrule';
import { fromWall, isValidTimeZone, parseClock, toWall } from '../rota/time-zone';
import { RunbookError } from './errors';
import { contentHash } from './hash';
import type { Runbook, Step } from './model';

/** When a recurring checklist comes due: on a calendar rule, or before each of my shifts. */
export type ChecklistTrigger =
  | { kind: 'rrule'; rule: string; start: string; time: string; timeZone: string }
  | { kind: 'shiftStart'; leadMinutes: number };

/** A maintenance or shift-start checklist that repeats. */
export interface RecurringChecklist {
  id: string;
  title: string;
  items: string[];
  trigger: ChecklistTrigger;
}

/** One occurrence for main's timers to remind about. */
export interface DueChecklist {
  checklistId: string;
  title: string;
  dueAt: number;
}

const DAY = 86_400_000;
const SUB_DAILY = /FREQ=(HOURLY|MINUTELY|SECONDLY)/i;

/** A translate function; core gets it passed in so the checklist texts stay in the catalogs. */
export type Translate = (key: string) => string;

/**
 * The seed handbook's maintenance checklists (daily, weekly, monthly, quarterly) and the
 * shift-start checklist (open incidents, paging paths, tool access), in the user's language.
 */
export function defaultRecurringChecklists(t: Translate, timeZone: string): RecurringChecklist[] {
  const items = (key: string, n: number) => Array.from({ length: n }, (_, i) => t(`runbooks.recurring.${key}.item${i + 1}`));
  const weekday1 = 'BYDAY=MO,TU,WE,TH,FR;BYSETPOS=1';
  const rule = (id: string, r: string, n: number): RecurringChecklist => ({
    id,
    title: t(`runbooks.recurring.${id}.title`),
    items: items(id, n),
    trigger: { kind: 'rrule', rule: r, start: '2026-01-01', time: '09:00', timeZone },
  });
  return [
    rule('daily', 'FREQ=DAILY', 4),
    rule('weekly', 'FREQ=WEEKLY;BYDAY=MO', 4),
    rule('monthly', `FREQ=MONTHLY;${weekday1}`, 4),
    rule('quarterly', `FREQ=MONTHLY;INTERVAL=3;${weekday1}`, 4),
    { id: 'shiftStart', title: t('runbooks.recurring.shiftStart.title'), items: items('shiftStart', 3), trigger: { kind: 'shiftStart', leadMinutes: 15 } },
  ];
}

/** Checks a trigger up front so a bad rule is refused when saved, not when a timer fires. */
export function validateTrigger(trigger: ChecklistTrigger): void {
  if (trigger.kind === 'shiftStart') {
    if (!Number.isFinite(trigger.leadMinutes) || trigger.leadMinutes < 0 || trigger.leadMinutes > 24 * 60) throw new RunbookError('recurrenceInvalid', { field: 'leadMinutes' });
    return;
  }
  if (SUB_DAILY.test(trigger.rule)) throw new RunbookError('recurrenceInvalid', { field: 'rule', value: trigger.rule });
  if (!/^\d{4}-\d{2}-\d{2}$/.test(trigger.start) || Number.isNaN(Date.parse(`${trigger.start}T00:00:00Z`))) throw new RunbookError('recurrenceInvalid', { field: 'start', value: trigger.start });
  if (parseClock(trigger.time) === null) throw new RunbookError('recurrenceInvalid', { field: 'time', value: trigger.time });
  if (!isValidTimeZone(trigger.timeZone)) throw new RunbookError('recurrenceInvalid', { field: 'timeZone', value: trigger.timeZone });
  try {
    const opts = RRule.parseString(trigger.rule.replace(/^RRULE:/i, ''));
    if (opts.freq === undefined) throw new Error('no FREQ');
  } catch {
    throw new RunbookError('recurrenceInvalid', { field: 'rule', value: trigger.rule });
  }
}

const ruleCache = new Map<string, RRule>();

function ruleFor(trigger: Extract<ChecklistTrigger, { kind: 'rrule' }>): RRule {
  const key = `${trigger.rule}|${trigger.start}|${trigger.time}`;
  let r = ruleCache.get(key);
  if (!r) {
    validateTrigger(trigger);
    const dtstart = Date.parse(`${trigger.start}T00:00:00Z`) + parseClock(trigger.time)! * 60_000;
    // Floating time: wall clock spelled as UTC, converted per occurrence so DST is exact.
    r = new RRule({ ...RRule.parseString(trigger.rule.replace(/^RRULE:/i, '')), dtstart: new Date(dtstart), tzid: null });
    if (ruleCache.size > 500) ruleCache.clear();
    ruleCache.set(key, r);
  }
  return r;
}

/**
 * What comes due in (t0, t1]: half-open so main can call it tick after tick with the previous
 * `t1` as the next `t0` and never remind twice. `shiftStarts` are my shift starts from the rota.
 */
export function dueBetween(checklists: readonly RecurringChecklist[], t0: number, t1: number, shiftStarts: readonly number[] = []): DueChecklist[] {
  const out: DueChecklist[] = [];
  if (t1 <= t0) return out;
  for (const c of checklists) {
    if (c.trigger.kind === 'shiftStart') {
      const lead = c.trigger.leadMinutes * 60_000;
      for (const s of shiftStarts) if (s - lead > t0 && s - lead <= t1) out.push({ checklistId: c.id, title: c.title, dueAt: s - lead });
      continue;
    }
    const zone = c.trigger.timeZone;
    const rule = ruleFor(c.trigger);
    const walls = rule.between(new Date(toWall(t0, zone) - DAY), new Date(toWall(t1, zone) + DAY), true);
    for (const w of walls) {
      const at = fromWall(w.getTime(), zone);
      if (at > t0 && at <= t1) out.push({ checklistId: c.id, title: c.title, dueAt: at });
    }
  }
  return out.sort((a, b) => a.dueAt - b.dueAt || a.checklistId.localeCompare(b.checklistId));
}

/** The next time any checklist comes due after `t`, so main can set one timer; null if none within `horizon`. */
export function nextDue(checklists: readonly RecurringChecklist[], t: number, shiftStarts: readonly number[] = [], horizon = 100 * DAY): number | null {
  return dueBetween(checklists, t, t + horizon, shiftStarts)[0]?.dueAt ?? null;
}

/** A recurring checklist as a one-group runbook, so its runs are recorded exactly like runbook runs. */
export function checklistAsRunbook(c: RecurringChecklist): Runbook {
  const steps: Step[] = c.items.map((text, i) => ({
    id: `g1.s${i + 1}`,
    kind: 'task',
    text,
    content: [{ type: 'paragraph', children: [{ type: 'text', value: text }] }],
    code: [],
    checkedInSource: false,
    substeps: [],
  }));
  return {
    path: `checklists/${c.id}`,
    url: null,
    title: c.title,
    aliases: [],
    matchers: [],
    severity: null,
    version: contentHash(`${c.title}\n${c.items.join('\n')}`),
    sections: [],
    groups: [{ id: 'g1', titlePath: [c.title], alternativeOf: null, steps }],
    tree: steps.flatMap((s) => s.content),
    warnings: [],
  };
}
