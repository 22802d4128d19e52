import { z } from 'zod';
import { parseClock } from '../rota/time-zone';
import { SEVERITIES, type Severity } from '../severity';

const clock = z.string().refine((v) => parseClock(v) !== null, { message: 'expected a time as HH:MM' });

/** The built-in sounds in assets/sounds; anything else is a path to the user's own file. */
export const BUILTIN_SOUNDS = ['alarm', 'chime'] as const;
export type BuiltinSound = (typeof BUILTIN_SOUNDS)[number];

/**
 * How a severity sounds: never; once when it arrives; again every `repeatMinutes` while nobody
 * acknowledged it; or an alarm that loops, growing louder, until it is acknowledged.
 */
export const SOUND_MODES = ['off', 'once', 'repeat', 'untilAcknowledged'] as const;
export type SoundMode = (typeof SOUND_MODES)[number];

/** What one severity does when it arrives. */
export const severityPolicySchema = z
  .object({
    /** A native notification (the page is always listed, whatever this says). */
    notify: z.boolean(),
    sound: z.enum(SOUND_MODES),
    /** A built-in sound name or a path to a sound file. */
    soundFile: z.string().min(1),
    /** For `repeat`: re-notify and re-play this often while unacknowledged. */
    repeatMinutes: z.number().positive().max(24 * 60),
    /** The always-on-top alert window with Acknowledge and Open. */
    alertWindow: z.boolean(),
    /** Sounds and shows even in quiet hours or Do Not Disturb. */
    breakThrough: z.boolean(),
    /** Escalate when unacknowledged this long (the response target); null never escalates. */
    responseTargetMinutes: z.number().positive().max(7 * 24 * 60).nullable(),
  })
  .strict();
export type SeverityPolicy = z.infer<typeof severityPolicySchema>;

/** One thing an escalation level does besides re-alerting: run a command, or call a webhook. */
export const escalationStepSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('command'), program: z.string().min(1), args: z.array(z.string()).default(() => []) }).strict(),
  z
    .object({
      kind: z.literal('webhook'),
      url: z.url({ protocol: /^https?$/ }),
      method: z.enum(['POST', 'PUT', 'GET']).default('POST'),
      headers: z.record(z.string(), z.string()).default(() => ({})),
    })
    .strict(),
]);
export type EscalationStep = z.infer<typeof escalationStepSchema>;

/** One level of local escalation. */
export const escalationLevelSchema = z
  .object({
    /** Notify and sound again, even in quiet hours. */
    realert: z.boolean().default(true),
    run: z.array(escalationStepSchema).default(() => []),
  })
  .strict();
export type EscalationLevel = z.infer<typeof escalationLevelSchema>;

/** Quiet hours: off, a daily window (end ≤ start crosses midnight), or quiet whenever I am off call. */
export const quietHoursSchema = z
  .object({
    mode: z.enum(['off', 'schedule', 'rota']).default('off'),
    start: clock.default('22:00'),
    end: clock.default('07:00'),
  })
  .strict();
export type QuietHours = z.infer<typeof quietHoursSchema>;

const P1: SeverityPolicy = {
  notify: true, sound: 'untilAcknowledged', soundFile: 'alarm', repeatMinutes: 5, alertWindow: true, breakThrough: true, responseTargetMinutes: 15,
};
const P2: SeverityPolicy = {
  notify: true, sound: 'repeat', soundFile: 'chime', repeatMinutes: 5, alertWindow: false, breakThrough: false, responseTargetMinutes: 120,
};
const P3: SeverityPolicy = {
  notify: true, sound: 'off', soundFile: 'chime', repeatMinutes: 5, alertWindow: false, breakThrough: false, responseTargetMinutes: null,
};
const P4: SeverityPolicy = {
  notify: false, sound: 'off', soundFile: 'chime', repeatMinutes: 5, alertWindow: false, breakThrough: false, responseTargetMinutes: null,
};

/**
 * The defaults from the issue and the handbook's response targets (seed 001: P1 15 min, P2 2 h).
 * P3's "next working day" is a ticket deadline, not a reason to wake anyone, so it does not escalate.
 * Frozen: every parsed policy gets its own copies, so editing one never changes the defaults.
 */
export const DEFAULT_SEVERITY_POLICIES: Readonly<Record<Severity, Readonly<SeverityPolicy>>> = Object.freeze({
  P1: Object.freeze(P1),
  P2: Object.freeze(P2),
  P3: Object.freeze(P3),
  P4: Object.freeze(P4),
});

/** The notification policy as it sits in config.json under `alarms`; every field has a default. */
export const alarmPolicySchema = z
  .object({
    severities: z
      .object({
        P1: severityPolicySchema.default(() => ({ ...P1 })),
        P2: severityPolicySchema.default(() => ({ ...P2 })),
        P3: severityPolicySchema.default(() => ({ ...P3 })),
        P4: severityPolicySchema.default(() => ({ ...P4 })),
      })
      .strict()
      .default(() => ({ P1: { ...P1 }, P2: { ...P2 }, P3: { ...P3 }, P4: { ...P4 } })),
    quietHours: quietHoursSchema.default(() => ({ mode: 'off' as const, start: '22:00', end: '07:00' })),
    escalation: z
      .object({
        /** After the first level, each further level comes this long after the one before. */
        intervalMinutes: z.number().positive().max(24 * 60).default(15),
        levels: z.array(escalationLevelSchema).max(10).default(() => [{ realert: true, run: [] }]),
      })
      .strict()
      .default(() => ({ intervalMinutes: 15, levels: [{ realert: true, run: [] }] })),
    /** Offer the self-test this long before a shift starts. */
    selfTestLeadMinutes: z.number().min(0).max(24 * 60).default(30),
  })
  .strict();
export type AlarmPolicy = z.infer<typeof alarmPolicySchema>;

/** The policy with every default, for a config.json without an `alarms` section. */
export function defaultAlarmPolicy(): AlarmPolicy {
  return alarmPolicySchema.parse({});
}

/** Whether a sound name is one of ours rather than a user file; a broken user file falls back to it. */
export function isBuiltinSound(name: string): name is BuiltinSound {
  return (BUILTIN_SOUNDS as readonly string[]).includes(name);
}

/** The built-in sound to play when a severity's own sound file cannot be played. */
export function fallbackSound(policy: SeverityPolicy): BuiltinSound {
  return policy.sound === 'untilAcknowledged' ? 'alarm' : 'chime';
}

/** All severities, most urgent first, for Settings. */
export const POLICY_SEVERITIES = SEVERITIES;
