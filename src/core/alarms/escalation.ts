import type { AlarmAction } from './evaluate';
import type { EscalationStep } from './policy';

/** An escalation action as main receives it from evaluateAlarms. */
export type EscalateAction = Extract<AlarmAction, { type: 'escalate' }>;

/** What running one step gave; main records it on the page's timeline. */
export type StepOutcome =
  | { kind: 'command'; program: string; ok: boolean; exitCode: number | null; message: string | null; at: number }
  | { kind: 'webhook'; url: string; ok: boolean; status: number | null; message: string | null; at: number };

/**
 * The JSON a webhook step sends: enough for a phone-call service or a chat bot to say what is
 * wrong, and nothing from the alert's labels, which may hold internal hostnames.
 */
export function webhookPayload(action: EscalateAction, now: number): Record<string, unknown> {
  return {
    event: 'escalation',
    level: action.level,
    severity: action.severity,
    title: action.title,
    groupKey: action.groupKey,
    pageId: action.pageId,
    count: action.count,
    at: new Date(now).toISOString(),
  };
}

/**
 * The environment a command step runs with (on top of a minimal PATH), so a script can say the
 * page's title out loud without parsing arguments; the command line itself is the user's, unchanged.
 */
export function commandEnvironment(action: EscalateAction): Record<string, string> {
  return {
    ONCALL_EVENT: 'escalation',
    ONCALL_LEVEL: String(action.level),
    ONCALL_SEVERITY: action.severity,
    ONCALL_TITLE: action.title,
    ONCALL_GROUP: action.groupKey,
    ONCALL_PAGE_ID: action.pageId,
    ONCALL_COUNT: String(action.count),
  };
}

/** The timeline text of a step's outcome, as a catalog key and its params. */
export function outcomeText(outcome: StepOutcome, level: number): { key: string; params: Record<string, string | number> } {
  if (!outcome.ok) return { key: 'alarms.errors.escalationFailed', params: { level, message: outcome.message ?? describe(outcome) } };
  return outcome.kind === 'command'
    ? { key: 'alarms.escalation.commandRan', params: { program: outcome.program, code: outcome.exitCode ?? 0 } }
    : { key: 'alarms.escalation.webhookCalled', params: { url: outcome.url, status: outcome.status ?? 0 } };
}

function describe(outcome: StepOutcome): string {
  return outcome.kind === 'command' ? `${outcome.program}: exit code ${outcome.exitCode ?? '?'}` : `${outcome.url}: HTTP ${outcome.status ?? '?'}`;
}

/** A step as Settings lists it, for "which command runs at level N". */
export function stepLabel(step: EscalationStep): string {
  return step.kind === 'command' ? [step.program, ...step.args].join(' ') : `${step.method} ${step.url}`;
}
