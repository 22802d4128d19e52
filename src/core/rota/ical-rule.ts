import ICAL from 'ical.js';
import { RotaImportError } from './errors';
import { parseIcalTime } from './ical-parse';

const MINUTE = 60_000;
const DAY = 86_400_000;
/** Days in 400 Gregorian years: every calendar pattern (month, day, weekday) repeats after it. */
const CYCLE_DAYS = 146_097;
/** The most iterator steps one occurrence may cost; a rule sparser than this is refused. */
export const MAX_STEPS_PER_OCCURRENCE = 200_000;

const FREQS = ['SECONDLY', 'MINUTELY', 'HOURLY', 'DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY'] as const;
type Freq = (typeof FREQS)[number];
const WEEKDAY_CODES = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'];
const PARTS = ['FREQ', 'INTERVAL', 'COUNT', 'UNTIL', 'WKST', 'BYSECOND', 'BYMINUTE', 'BYHOUR', 'BYDAY', 'BYMONTHDAY', 'BYYEARDAY', 'BYWEEKNO', 'BYMONTH', 'BYSETPOS'];
/** RFC 5545 §3.3.10: parts that are not defined for some frequencies. */
const NOT_WITH: Record<string, Freq[]> = {
  BYMONTHDAY: ['WEEKLY'],
  BYYEARDAY: ['DAILY', 'WEEKLY', 'MONTHLY'],
  BYWEEKNO: ['SECONDLY', 'MINUTELY', 'HOURLY', 'DAILY', 'WEEKLY', 'MONTHLY'],
};

/** A feed's RRULE, checked, with UNTIL as a wall time in the event's zone. */
export interface FeedRule {
  text: string;
  freq: Freq;
  interval: number;
  count: number | null;
  /** UNTIL as wall time (inclusive), or null. */
  untilWall: number | null;
  parts: Map<string, string[]>;
}

const nums = (values: string[] | undefined) => (values ?? []).map(Number);

/** Parses and checks an RRULE; `untilToWall` turns a UTC UNTIL into the event's wall clock. */
export function parseFeedRule(text: string, line: number, what: string, untilToWall: (instant: number) => number): FeedRule {
  // the reason travels as a code with params, so it reads in the user's language
  const fail = (reasonCode: string, extra: Record<string, string> = {}): never => {
    throw new RotaImportError('invalidRule', { rule: text, line, what, reasonCode, ...extra });
  };
  const parts = new Map<string, string[]>();
  for (const piece of text.split(';')) {
    if (!piece.trim()) continue;
    const [k, v] = piece.split('=') as [string, string | undefined];
    const key = k.trim().toUpperCase();
    if (!PARTS.includes(key)) fail('unknownPart', { part: key });
    if (v === undefined || v === '') fail('noValue', { part: key });
    parts.set(key, v!.toUpperCase().split(','));
  }
  const freq = parts.get('FREQ')?.[0] as Freq | undefined;
  if (!freq || !FREQS.includes(freq)) return fail('noFreq');
  if (freq === 'SECONDLY') fail('secondly');
  for (const [part, freqs] of Object.entries(NOT_WITH)) if (parts.has(part) && freqs.includes(freq)) fail('partWithFreq', { part, freq });
  const intNum = (key: string, lo: number, hi: number, signed = false) => {
    for (const v of parts.get(key) ?? []) {
      const n = Number(v);
      if (!/^[+-]?\d+$/.test(v) || Math.abs(n) < lo || Math.abs(n) > hi || (!signed && n < 0)) fail('outOfRange', { part: key, value: v });
    }
  };
  intNum('INTERVAL', 1, 100_000);
  intNum('COUNT', 1, 10_000_000);
  intNum('BYSECOND', 0, 60);
  intNum('BYMINUTE', 0, 59);
  intNum('BYHOUR', 0, 23);
  intNum('BYMONTHDAY', 1, 31, true);
  intNum('BYYEARDAY', 1, 366, true);
  intNum('BYWEEKNO', 1, 53, true);
  intNum('BYMONTH', 1, 12);
  intNum('BYSETPOS', 1, 366, true);
  for (const d of parts.get('BYDAY') ?? []) {
    const m = /^([+-]?\d{1,2})?(SU|MO|TU|WE|TH|FR|SA)$/.exec(d);
    if (!m) fail('notWeekday', { value: d });
    if (m![1] && !['MONTHLY', 'YEARLY'].includes(freq)) fail('numberedWeekday', { value: d });
  }
  if (parts.has('COUNT') && parts.has('UNTIL')) fail('countAndUntil');
  let untilWall: number | null = null;
  const until = parts.get('UNTIL')?.[0];
  if (until) {
    const t = parseIcalTime(until);
    if (!t) return fail('badUntil', { value: until });
    untilWall = t.date ? t.wall + DAY - 1 : t.utc ? untilToWall(t.wall) : t.wall;
  }
  const rule: FeedRule = {
    text,
    freq,
    interval: Number(parts.get('INTERVAL')?.[0] ?? 1),
    count: parts.has('COUNT') ? Number(parts.get('COUNT')![0]) : null,
    untilWall,
    parts,
  };
  checkFeasible(rule, line, what);
  return rule;
}

const MONTH_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysIn(year: number, month0: number): number {
  return new Date(Date.UTC(year, month0 + 1, 0)).getUTCDate();
}

/** Whether a day (wall ms at midnight) passes the rule's day-level limits. */
function dayMatches(rule: FeedRule, day: number, checkWeekday: boolean): boolean {
  const d = new Date(day);
  const months = rule.parts.get('BYMONTH');
  if (months && !months.includes(String(d.getUTCMonth() + 1))) return false;
  const mdays = rule.parts.get('BYMONTHDAY');
  if (mdays) {
    const md = d.getUTCDate();
    const neg = md - daysIn(d.getUTCFullYear(), d.getUTCMonth()) - 1;
    if (!nums(mdays).some((v) => v === md || v === neg)) return false;
  }
  const ydays = rule.parts.get('BYYEARDAY');
  if (ydays) {
    const y = d.getUTCFullYear();
    const yd = Math.round((day - Date.UTC(y, 0, 1)) / DAY) + 1;
    const neg = yd - Math.round((Date.UTC(y + 1, 0, 1) - Date.UTC(y, 0, 1)) / DAY) - 1;
    if (!nums(ydays).some((v) => v === yd || v === neg)) return false;
  }
  const wdays = rule.parts.get('BYDAY');
  if (checkWeekday && wdays && !wdays.some((w) => WEEKDAY_CODES[d.getUTCDay()] === w)) return false;
  return true;
}

const gapCache = new Map<string, number>();

/** Largest number of `stepDays` steps between days that pass the limits (Infinity: none ever does). */
function maxDayGap(rule: FeedRule, stepDays: number, startDay: number): number {
  const calendarLimits = ['BYMONTH', 'BYMONTHDAY', 'BYYEARDAY'].some((p) => rule.parts.has(p));
  if (!calendarLimits && !rule.parts.has('BYDAY')) return 1;
  const steps = calendarLimits ? CYCLE_DAYS : 7;
  const phase = ((Math.floor(startDay / DAY) % steps) + steps) % steps;
  const ruleKey = [...rule.parts].filter(([k]) => k !== 'UNTIL' && k !== 'COUNT').map(([k, v]) => `${k}=${v.join(',')}`).join(';');
  // with a stride of one day every day is visited, so where the walk starts does not matter
  const key = `${ruleKey}|${stepDays}|${stepDays === 1 ? 0 : phase}`;
  const hit = gapCache.get(key);
  if (hit !== undefined) return hit;
  let first = -1;
  let last = -1;
  let gap = 0;
  for (let k = 0; k < steps; k++) {
    if (!dayMatches(rule, startDay + k * stepDays * DAY, true)) continue;
    if (first < 0) first = k;
    else gap = Math.max(gap, k - last);
    last = k;
  }
  const result = first < 0 ? Number.POSITIVE_INFINITY : Math.max(gap, first + steps - last);
  if (gapCache.size > 1000) gapCache.clear();
  gapCache.set(key, result);
  return result;
}

/**
 * Refuses rules that can never produce an occurrence, or only after so many iterator steps that
 * ical.js would spin (its DAILY and WEEKLY iterators have no limit of their own).
 */
function checkFeasible(rule: FeedRule, line: number, what: string): void {
  const never = () => new RotaImportError('ruleNever', { rule: rule.text, line, what });
  const months = rule.parts.has('BYMONTH') ? nums(rule.parts.get('BYMONTH')) : [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
  const mdays = rule.parts.get('BYMONTHDAY');
  if (mdays && !months.some((m) => nums(mdays).some((d) => Math.abs(d) <= MONTH_DAYS[m - 1]!))) throw never();
}

/** Checks that iterating from this start stays within the step budget; throws naming the rule. */
export function checkIterationCost(rule: FeedRule, dtstartWall: number, line: number, what: string): void {
  const day = Math.floor(dtstartWall / DAY) * DAY;
  let steps: number;
  if (rule.freq === 'DAILY') steps = maxDayGap(rule, rule.interval, day);
  // WEEKLY: BYMONTH is the only limit (BYMONTHDAY is refused above), and every month has every
  // weekday, so at most about a year of weeks passes between occurrences
  else if (rule.freq === 'WEEKLY') steps = rule.parts.has('BYMONTH') ? 60 : 1;
  else if (rule.freq === 'HOURLY' || rule.freq === 'MINUTELY') {
    const unit = (rule.freq === 'HOURLY' ? 60 : 1) * rule.interval;
    const perDay = (24 * 60) / unit;
    const timeLimits = rule.parts.has('BYHOUR') || (rule.freq === 'MINUTELY' && rule.parts.has('BYMINUTE'));
    const dayLimits = ['BYMONTH', 'BYMONTHDAY', 'BYYEARDAY', 'BYDAY'].some((p) => rule.parts.has(p));
    if (!Number.isInteger(perDay)) {
      if (timeLimits || dayLimits) throw new RotaImportError('ruleTooSparse', { rule: rule.text, line, what });
      steps = 1;
    } else {
      const startMinute = Math.floor((dtstartWall - day) / MINUTE);
      let hits = 0;
      for (let i = 0; i < perDay; i++) {
        const m = (startMinute + i * unit) % (24 * 60);
        const hourOk = !rule.parts.has('BYHOUR') || nums(rule.parts.get('BYHOUR')).includes(Math.floor(m / 60));
        const minuteOk = rule.freq !== 'MINUTELY' || !rule.parts.has('BYMINUTE') || nums(rule.parts.get('BYMINUTE')).includes(m % 60);
        if (hourOk && minuteOk) hits++;
      }
      if (hits === 0) steps = Number.POSITIVE_INFINITY;
      else steps = (dayLimits ? maxDayGap(rule, 1, day) : 1) * perDay;
    }
  } else steps = 1; // MONTHLY and YEARLY: ical.js gives up by itself after a full cycle of months or years
  if (!Number.isFinite(steps)) throw new RotaImportError('ruleNever', { rule: rule.text, line, what });
  if (steps > MAX_STEPS_PER_OCCURRENCE) throw new RotaImportError('ruleTooSparse', { rule: rule.text, line, what });
}

/** Wall fields → a floating ICAL.Time. */
function icalTime(wall: number, isDate: boolean): ICAL.Time {
  const d = new Date(wall);
  return ICAL.Time.fromData({ year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds(), isDate });
}

/** A start as far ahead as possible that keeps the rule's pattern, at least one period before `need`. */
function rebase(rule: FeedRule, dtstartWall: number, need: number): { start: number; extra: string } | null {
  if (rule.count !== null || need <= dtstartWall) return null;
  const d = new Date(dtstartWall);
  const timeOfDay = dtstartWall - Math.floor(dtstartWall / DAY) * DAY;
  const fixed: Partial<Record<Freq, number>> = { MINUTELY: MINUTE, HOURLY: 60 * MINUTE, DAILY: DAY, WEEKLY: 7 * DAY };
  const unit = fixed[rule.freq];
  if (unit !== undefined) {
    const period = unit * rule.interval;
    const k = Math.floor((need - dtstartWall) / period) - 2;
    return k > 0 ? { start: dtstartWall + k * period, extra: rule.freq === 'WEEKLY' && !rule.parts.has('BYDAY') ? `;BYDAY=${WEEKDAY_CODES[d.getUTCDay()]}` : '' } : null;
  }
  if (rule.parts.has('BYWEEKNO')) return null;
  const n = new Date(need);
  const dayParts = ['BYDAY', 'BYMONTHDAY', 'BYYEARDAY'].some((p) => rule.parts.has(p));
  let extra = dayParts ? '' : `;BYMONTHDAY=${d.getUTCDate()}`;
  if (rule.freq === 'MONTHLY') {
    const months = (n.getUTCFullYear() - d.getUTCFullYear()) * 12 + n.getUTCMonth() - d.getUTCMonth();
    const k = Math.floor(months / rule.interval) - 2;
    if (k <= 0) return null;
    return { start: Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + k * rule.interval, 1) + timeOfDay, extra };
  }
  if (!dayParts && !rule.parts.has('BYMONTH')) extra += `;BYMONTH=${d.getUTCMonth() + 1}`;
  const k = Math.floor((n.getUTCFullYear() - d.getUTCFullYear()) / rule.interval) - 2;
  if (k <= 0) return null;
  return { start: Date.UTC(d.getUTCFullYear() + k * rule.interval, 0, 1) + timeOfDay, extra };
}

const FIXED_UNIT: Partial<Record<Freq, number>> = { MINUTELY: MINUTE, HOURLY: 60 * MINUTE, DAILY: DAY, WEEKLY: 7 * DAY };

/**
 * Most feed series are "every n minutes/hours/days/weeks", perhaps on some weekdays: their
 * occurrences are plain wall-clock arithmetic, with COUNT honoured, at no iterator cost (ical.js
 * takes ~20 µs per occurrence). Returns null for any other rule.
 */
function arithmeticWalls(rule: FeedRule, dtstartWall: number, need: number, limit: number): number[] | null {
  const unit = FIXED_UNIT[rule.freq];
  if (unit === undefined) return null;
  const allowed = rule.freq === 'WEEKLY' ? ['FREQ', 'INTERVAL', 'COUNT', 'UNTIL', 'WKST', 'BYDAY'] : ['FREQ', 'INTERVAL', 'COUNT', 'UNTIL', 'WKST'];
  if ([...rule.parts.keys()].some((k) => !allowed.includes(k))) return null;
  const count = rule.count ?? Number.POSITIVE_INFINITY;
  const period = unit * rule.interval;
  const out: number[] = [];
  const byday = rule.parts.get('BYDAY');
  if (!byday) {
    for (let k = Math.max(0, Math.ceil((need - dtstartWall) / period)); k < count; k++) {
      const w = dtstartWall + k * period;
      if (w >= limit) break;
      out.push(w);
    }
    return out;
  }
  const wkst = WEEKDAY_CODES.indexOf(rule.parts.get('WKST')?.[0] ?? 'MO');
  const day0 = Math.floor(dtstartWall / DAY) * DAY;
  const timeOfDay = dtstartWall - day0;
  const weekStart = day0 - ((new Date(day0).getUTCDay() - wkst + 7) % 7) * DAY;
  const offsets = [...new Set(byday.map((d) => (WEEKDAY_CODES.indexOf(d) - wkst + 7) % 7))].sort((a, b) => a - b).map((o) => o * DAY + timeOfDay);
  const firstWeek = offsets.filter((o) => weekStart + o >= dtstartWall).length;
  // the DTSTART is an occurrence even off the pattern (RFC 5545); it is the first one counted
  const extra = offsets.some((o) => weekStart + o === dtstartWall) ? 0 : 1;
  if (extra && dtstartWall >= need && dtstartWall < limit && count > 0) out.push(dtstartWall);
  let m = Math.max(0, Math.floor((need - weekStart) / period) - 1);
  let index = extra + (m === 0 ? 0 : firstWeek + (m - 1) * offsets.length);
  for (; weekStart + m * period < limit; m++) {
    for (const o of offsets) {
      const w = weekStart + m * period + o;
      if (w < dtstartWall) continue;
      if (index >= count) return out;
      index++;
      if (w >= need && w < limit) out.push(w);
    }
  }
  return out;
}

/** Counts iterator steps across a whole feed, so the import as a whole stays bounded. */
export interface StepBudget {
  left: number;
}

/**
 * The rule's occurrence starts (wall times) in [need, until): the iterator starts near `need`
 * rather than at DTSTART where the pattern allows, so a series begun years ago costs no more than
 * a new one. Walls come back sorted.
 */
export function expandRule(rule: FeedRule, dtstartWall: number, isDate: boolean, need: number, until: number, budget: StepBudget, line: number, what: string): number[] {
  const simple = arithmeticWalls(rule, dtstartWall, need, Math.min(until, rule.untilWall === null ? Number.POSITIVE_INFINITY : rule.untilWall + 1));
  if (simple) return simple;
  const base = rebase(rule, dtstartWall, need);
  const start = base ? base.start : dtstartWall;
  checkIterationCost(rule, start, line, what);
  const body = [...rule.parts].filter(([k]) => k !== 'UNTIL').map(([k, v]) => `${k}=${v.join(',')}`).join(';') + (base?.extra ?? '');
  const recur = ICAL.Recur.fromString(body);
  const it = recur.iterator(icalTime(start, isDate));
  const limit = Math.min(until, rule.untilWall === null ? Number.POSITIVE_INFINITY : rule.untilWall + 1);
  const out: number[] = [];
  // the DTSTART itself is an occurrence (RFC 5545), even when it does not match the rule
  if (!base && dtstartWall >= need && dtstartWall < limit) out.push(dtstartWall);
  for (;;) {
    if (--budget.left < 0) throw new RotaImportError('ruleBudget', { rule: rule.text, line, what });
    const next = it.next();
    if (!next) break;
    const wall = Date.UTC(next.year, next.month - 1, next.day, next.hour, next.minute, next.second);
    if (wall >= limit) break;
    if (wall >= need && (base || wall !== dtstartWall)) out.push(wall);
  }
  return out;
}
