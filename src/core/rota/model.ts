import { z } from 'zod';
import { isValidTimeZone, parseClock } from './time-zone';

export const WEEKDAYS = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const clock = z.string().refine((v) => parseClock(v) !== null, { message: 'expected a time as HH:MM' });
const localDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD');

/** A time-of-day window on some weekdays, in the schedule's zone; end ≤ start crosses midnight. */
export const restrictionSchema = z.object({
  days: z.array(z.enum(WEEKDAYS)).min(1),
  start: clock,
  end: clock,
});
export type Restriction = z.infer<typeof restrictionSchema>;

/** A rotation layer: participants take turns at each occurrence of the RRULE. */
export const layerSchema = z.object({
  id: z.string().min(1),
  name: z.string().default(''),
  participants: z.array(z.string().min(1)),
  /** RRULE body, e.g. "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO". */
  rotation: z.string().min(1),
  /** Local date of the first handoff. */
  start: localDate,
  /** Local handoff time. */
  handoff: clock,
  restrictions: z.array(restrictionSchema).default([]),
});
export type Layer = z.infer<typeof layerSchema>;

/** Someone covers [start, end), above every layer. */
export const overrideSchema = z.object({
  id: z.string().min(1),
  person: z.string().min(1),
  start: z.number(),
  end: z.number(),
}).refine((o) => o.end > o.start, { message: 'override must end after it starts', path: ['end'] });
export type Override = z.infer<typeof overrideSchema>;

/** A shift given outright (from an iCal feed), rather than computed from a rotation. */
export const fixedShiftSchema = z.object({ person: z.string(), start: z.number(), end: z.number() });
export type FixedShift = z.infer<typeof fixedShiftSchema>;

export const scheduleSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  timeZone: z.string().refine(isValidTimeZone, { message: 'unknown time zone' }),
  /** Bottom to top: a later layer wins wherever it has someone. */
  layers: z.array(layerSchema).default([]),
  overrides: z.array(overrideSchema).default([]),
  /** Shifts from a feed; they sit above the layers and below overrides. */
  fixedShifts: z.array(fixedShiftSchema).default([]),
});
export type Schedule = z.infer<typeof scheduleSchema>;

/** One stretch of the final schedule. */
export interface Shift {
  person: string;
  start: number;
  end: number;
  schedule: string;
  /** The layer id, "feed" for fixed shifts, or null for an override. */
  layer: string | null;
  override: boolean;
}
