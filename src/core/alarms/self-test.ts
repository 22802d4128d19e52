import { z } from 'zod';
import { AlarmError } from './errors';

/**
 * The checks of "Is my pager working?": sources reachable and authenticated, the relay connected,
 * the system not muted (each where it applies), and the user confirming the test notification was
 * seen and the alarm heard.
 */
export const SELF_TEST_CHECKS = ['sources', 'relay', 'notMuted', 'notificationSeen', 'alarmHeard'] as const;
export type SelfTestCheck = (typeof SELF_TEST_CHECKS)[number];

/** The outcome of one check; `skipped` where it does not apply (no relay configured, mute not detectable). */
export const checkResultSchema = z.object({
  check: z.enum(SELF_TEST_CHECKS),
  outcome: z.enum(['pass', 'fail', 'skipped']),
  at: z.number(),
  /** Why it failed, as a typed error code and params for the catalogs. */
  reason: z.object({ code: z.string(), params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])) }).nullable(),
});
export type CheckResult = z.infer<typeof checkResultSchema>;

/** One run of the self-test. */
export const selfTestRunSchema = z.object({ startedAt: z.number(), results: z.array(checkResultSchema) });
export type SelfTestRun = z.infer<typeof selfTestRunSchema>;

/** The self-test log main saves: the newest runs, oldest first. */
export const selfTestLogSchema = z.object({ runs: z.array(selfTestRunSchema) });
export type SelfTestLog = z.infer<typeof selfTestLogSchema>;

/** How many runs the log keeps. */
export const SELF_TEST_KEEP = 50;

/** An empty log. */
export function emptySelfTestLog(): SelfTestLog {
  return { runs: [] };
}

/** Starts a run at `now`. */
export function startSelfTest(log: SelfTestLog, now: number): SelfTestLog {
  return { runs: [...log.runs, { startedAt: now, results: [] }].slice(-SELF_TEST_KEEP) };
}

/** Records one check's result (with its time) in the newest run; a later result for the same check replaces it. */
export function recordCheck(log: SelfTestLog, result: CheckResult): SelfTestLog {
  if (!(SELF_TEST_CHECKS as readonly string[]).includes(result.check)) throw new AlarmError('unknownCheck', { check: String(result.check) });
  const runs = log.runs.length > 0 ? [...log.runs] : [{ startedAt: result.at, results: [] }];
  const last = runs[runs.length - 1]!;
  runs[runs.length - 1] = { ...last, results: [...last.results.filter((r) => r.check !== result.check), result] };
  return { runs };
}

/** What the tray and Settings show about the self-test. */
export interface SelfTestStatus {
  /** Checks whose latest result, in any run, is a failure: they stay until that check passes. */
  failing: CheckResult[];
  /** The newest run in which every check passed or was skipped; null if none has. */
  lastPassedAt: number | null;
  lastRunAt: number | null;
}

/** Sums up the log: a failure stays visible until a later run passes that check. */
export function selfTestStatus(log: SelfTestLog): SelfTestStatus {
  const latest = new Map<SelfTestCheck, CheckResult>();
  let lastPassedAt: number | null = null;
  for (const run of log.runs) {
    for (const r of run.results) {
      const prev = latest.get(r.check);
      if (!prev || r.at >= prev.at) latest.set(r.check, r);
    }
    const complete = SELF_TEST_CHECKS.every((c) => run.results.some((r) => r.check === c && r.outcome !== 'fail'));
    if (complete) lastPassedAt = run.startedAt;
  }
  const failing = SELF_TEST_CHECKS.map((c) => latest.get(c)).filter((r): r is CheckResult => r?.outcome === 'fail');
  return { failing, lastPassedAt, lastRunAt: log.runs.at(-1)?.startedAt ?? null };
}

/** Reads a saved log; a broken one starts empty (the next run writes a fresh one) and says so. */
export function restoreSelfTestLog(saved: unknown): { log: SelfTestLog; error: AlarmError | null } {
  const parsed = selfTestLogSchema.safeParse(saved);
  if (parsed.success) return { log: parsed.data, error: null };
  return { log: emptySelfTestLog(), error: new AlarmError('stateUnreadable', { path: 'selfTest', message: parsed.error.issues[0]?.message ?? '' }) };
}
