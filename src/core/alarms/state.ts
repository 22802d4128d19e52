import { z } from 'zod';
import { SEVERITIES } from '../severity';
import { AlarmError } from './errors';

/** Snooze lengths the tray offers, in minutes. */
export const SNOOZE_MINUTES = [15, 30, 60] as const;
export type SnoozeMinutes = (typeof SNOOZE_MINUTES)[number];

const time = z.number().finite();

/** What the alarm logic remembers about one group that waits for a human. */
export const groupTrackSchema = z.object({
  /** From when the response target counts: first alert, or the end of the last snooze. */
  since: time,
  /** The last time this group was notified or sounded (the repeat interval counts from it). */
  lastAlertAt: time,
  /** Escalation levels already reached (0: none). */
  level: z.number().int().min(0),
  /** When the last level was reached; the next one counts from it. */
  escalatedAt: time.nullable(),
  /** Arrived while quiet hours or Do Not Disturb held it back: announce it the moment quiet ends. */
  heldBack: z.boolean().optional(),
});
export type GroupTrack = z.infer<typeof groupTrackSchema>;

/** The alert window as it was last shown, so it is only re-sent when it changes. */
export const shownAlertSchema = z.object({ groupKey: z.string(), pageId: z.string(), count: z.number().int(), severity: z.enum(SEVERITIES) });
export type ShownAlert = z.infer<typeof shownAlertSchema>;

/**
 * Everything the alarm logic keeps between evaluations, as plain JSON with absolute times, so
 * main can save it next to the pager snapshot and a restart resumes snoozes and escalations.
 */
export const alarmStateSchema = z.object({
  version: z.literal(1),
  /** Snooze end per page id. */
  pageSnoozes: z.record(z.string(), time),
  /** Snooze end per group key; it also covers pages that join the group while snoozed. */
  groupSnoozes: z.record(z.string(), time),
  groups: z.record(z.string(), groupTrackSchema),
  /** Do Not Disturb: null off, a time until when, or "on" until turned off. */
  dnd: z.union([z.null(), z.object({ until: time.nullable() })]),
  /** Whether the alarm sound is playing, and for which groups. */
  alarm: z.object({ groupKeys: z.array(z.string()), startedAt: time }).nullable(),
  alert: shownAlertSchema.nullable(),
  /** Start of the shift the self-test was last offered for. */
  selfTestOfferedFor: time.nullable(),
});
export type AlarmState = z.infer<typeof alarmStateSchema>;

/** The state of a fresh install. */
export function emptyAlarmState(): AlarmState {
  return { version: 1, pageSnoozes: {}, groupSnoozes: {}, groups: {}, dnd: null, alarm: null, alert: null, selfTestOfferedFor: null };
}

/**
 * Reads saved state. Anything unreadable starts fresh but loudly: an error the caller shows, since
 * losing a snooze makes a page ring early, which is safe, while crashing would make nothing ring.
 */
export function restoreAlarmState(saved: unknown): { state: AlarmState; error: AlarmError | null } {
  const parsed = alarmStateSchema.safeParse(saved);
  if (parsed.success) return { state: parsed.data, error: null };
  const issue = parsed.error.issues[0];
  return { state: emptyAlarmState(), error: new AlarmError('stateUnreadable', { path: issue?.path.join('.') ?? '', message: issue?.message ?? '' }) };
}

/** Which pages a snooze is for: some pages, or a whole group. */
export type SnoozeTarget = { ids: string[] } | { groupKey: string };

/** Snoozes pages or a group for 15, 30 or 60 minutes from `now`; other lengths are refused. */
export function snooze(state: AlarmState, target: SnoozeTarget, minutes: number, now: number): AlarmState {
  if (!(SNOOZE_MINUTES as readonly number[]).includes(minutes)) throw new AlarmError('badSnooze', { minutes, allowed: SNOOZE_MINUTES.join(', ') });
  const until = now + minutes * 60_000;
  if ('groupKey' in target) return { ...state, groupSnoozes: { ...state.groupSnoozes, [target.groupKey]: until } };
  const pageSnoozes = { ...state.pageSnoozes };
  for (const id of target.ids) pageSnoozes[id] = until;
  return { ...state, pageSnoozes };
}

/** Turns Do Not Disturb on (until a time, or until turned off) or off. */
export function setDoNotDisturb(state: AlarmState, dnd: { until: number | null } | null, now: number): AlarmState {
  if (dnd && dnd.until !== null && dnd.until <= now) throw new AlarmError('dndInPast', { until: dnd.until });
  return { ...state, dnd };
}

/** Whether Do Not Disturb is on at `now`. */
export function dndActive(state: AlarmState, now: number): boolean {
  return state.dnd !== null && (state.dnd.until === null || now < state.dnd.until);
}

/**
 * The state to resume with after an app restart: snoozes and escalation levels carry on, but the
 * sound and the alert window died with the old process, so the next evaluation starts them again.
 */
export function afterRestart(state: AlarmState): AlarmState {
  return { ...state, alarm: null, alert: null };
}
