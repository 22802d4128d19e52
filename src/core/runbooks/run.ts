import { z } from 'zod';
import { RunbookError } from './errors';
import type { Runbook, Step, StepGroup } from './model';
import { flattenSteps } from './parse';

/** Where one step of a run stands. */
export type StepStatus = 'pending' | 'started' | 'done' | 'skipped';

/** A step as the run froze it: enough to show and report it even if the file changes. */
export interface RunStep {
  id: string;
  groupId: string;
  parentId: string | null;
  text: string;
}

/** One timestamped thing that happened in a run; these go into the incident timeline. */
export interface RunEvent {
  runId: string;
  at: number;
  by: string;
  kind: 'runStarted' | 'stepStarted' | 'stepDone' | 'stepSkipped' | 'stepReopened' | 'stepNote' | 'runFinished' | 'runAbandoned';
  stepId: string | null;
  /** The step's text, copied so timelines read well without the runbook. */
  stepText: string | null;
  /** Skip reason or note text. */
  text: string | null;
}

/** State of one step in a run. */
export interface RunStepState {
  status: StepStatus;
  startedAt: number | null;
  finishedAt: number | null;
  skipReason: string | null;
}

/**
 * A checklist run: it keeps the runbook version (and the steps) it started with, so a file that
 * changes mid-incident cannot shift what was ticked. Plain data: store it, send it, resume it.
 */
export interface ChecklistRun {
  id: string;
  runbookPath: string;
  runbookTitle: string;
  runbookVersion: string;
  /** The runbook as it was at start; the checklist shows this, not the current file. */
  groups: StepGroup[];
  steps: RunStep[];
  incidentId: string | null;
  pageId: string | null;
  startedAt: number;
  startedBy: string;
  endedAt: number | null;
  status: 'running' | 'finished' | 'abandoned';
  stepStates: Record<string, RunStepState>;
  events: RunEvent[];
}

/** What an engineer can do to a run. */
export type RunAction =
  | { type: 'start'; stepId: string; by: string }
  | { type: 'done'; stepId: string; by: string }
  | { type: 'skip'; stepId: string; by: string; reason: string }
  | { type: 'reopen'; stepId: string; by: string }
  | { type: 'note'; stepId: string | null; by: string; text: string }
  | { type: 'finish'; by: string }
  | { type: 'abandon'; by: string; reason?: string };

/** A reducer result: the new run and the events to append to the timeline. */
export interface RunTransition {
  run: ChecklistRun;
  events: RunEvent[];
}

function freezeSteps(groups: readonly StepGroup[]): RunStep[] {
  const out: RunStep[] = [];
  const walk = (steps: readonly Step[], groupId: string, parentId: string | null) => {
    for (const s of steps) {
      out.push({ id: s.id, groupId, parentId, text: s.text });
      walk(s.substeps, groupId, s.id);
    }
  };
  for (const g of groups) walk(g.steps, g.id, null);
  return out;
}

const PENDING: RunStepState = { status: 'pending', startedAt: null, finishedAt: null, skipReason: null };

/** Options for a new run. */
export interface StartRunOptions {
  id: string;
  by: string;
  incidentId?: string | null;
  pageId?: string | null;
  /** Only these groups (e.g. the chosen alternative); all when omitted. */
  groupIds?: readonly string[];
}

/** Starts a run on the runbook as it is now. */
export function startRun(runbook: Runbook, options: StartRunOptions, now: number): RunTransition {
  // an outline has no steps yet: a run started now would be empty for good
  if (runbook.outline) throw new RunbookError('notParsedYet', { path: runbook.path });
  const groups = options.groupIds ? runbook.groups.filter((g) => options.groupIds!.includes(g.id)) : runbook.groups;
  const steps = freezeSteps(groups);
  const event: RunEvent = { runId: options.id, at: now, by: options.by, kind: 'runStarted', stepId: null, stepText: null, text: runbook.title };
  const run: ChecklistRun = {
    id: options.id,
    runbookPath: runbook.path,
    runbookTitle: runbook.title,
    runbookVersion: runbook.version,
    groups: JSON.parse(JSON.stringify(groups)) as StepGroup[],
    steps,
    incidentId: options.incidentId ?? null,
    pageId: options.pageId ?? null,
    startedAt: now,
    startedBy: options.by,
    endedAt: null,
    status: 'running',
    stepStates: Object.fromEntries(steps.map((s) => [s.id, PENDING])),
    events: [event],
  };
  return { run, events: [event] };
}

function stepOf(run: ChecklistRun, stepId: string): RunStep {
  const step = run.steps.find((s) => s.id === stepId);
  if (!step) throw new RunbookError('runStepUnknown', { stepId, runbook: run.runbookTitle });
  return step;
}

/**
 * Applies an engineer's action. Repeating an action that changes nothing (ticking a done step)
 * records nothing; a finished run refuses further changes but still takes notes.
 */
export function applyRunAction(run: ChecklistRun, action: RunAction, now: number): RunTransition {
  if (run.status !== 'running' && action.type !== 'note') throw new RunbookError('runFinished', { runbook: run.runbookTitle });
  const ev = (kind: RunEvent['kind'], step: RunStep | null, text: string | null = null): RunEvent => ({
    runId: run.id,
    at: now,
    by: action.by,
    kind,
    stepId: step?.id ?? null,
    stepText: step?.text ?? null,
    text,
  });
  const withState = (step: RunStep, state: RunStepState, event: RunEvent): RunTransition => ({
    run: { ...run, stepStates: { ...run.stepStates, [step.id]: state }, events: [...run.events, event] },
    events: [event],
  });
  const none: RunTransition = { run, events: [] };
  switch (action.type) {
    case 'start': {
      const step = stepOf(run, action.stepId);
      const cur = run.stepStates[step.id] ?? PENDING;
      if (cur.status !== 'pending') return none;
      return withState(step, { ...cur, status: 'started', startedAt: now }, ev('stepStarted', step));
    }
    case 'done': {
      const step = stepOf(run, action.stepId);
      const cur = run.stepStates[step.id] ?? PENDING;
      if (cur.status === 'done') return none;
      return withState(step, { status: 'done', startedAt: cur.startedAt ?? now, finishedAt: now, skipReason: null }, ev('stepDone', step));
    }
    case 'skip': {
      const step = stepOf(run, action.stepId);
      const reason = action.reason.trim();
      if (reason === '') throw new RunbookError('skipNeedsReason', { step: step.text });
      const cur = run.stepStates[step.id] ?? PENDING;
      return withState(step, { status: 'skipped', startedAt: cur.startedAt, finishedAt: now, skipReason: reason }, ev('stepSkipped', step, reason));
    }
    case 'reopen': {
      const step = stepOf(run, action.stepId);
      const cur = run.stepStates[step.id] ?? PENDING;
      if (cur.status === 'pending' || cur.status === 'started') return none;
      return withState(step, { ...PENDING }, ev('stepReopened', step));
    }
    case 'note': {
      const text = action.text.trim();
      if (text === '') throw new RunbookError('noteEmpty', {});
      const step = action.stepId === null ? null : stepOf(run, action.stepId);
      const event = ev('stepNote', step, text);
      return { run: { ...run, events: [...run.events, event] }, events: [event] };
    }
    case 'finish':
    case 'abandon': {
      const event = ev(action.type === 'finish' ? 'runFinished' : 'runAbandoned', null, action.type === 'abandon' ? (action.reason?.trim() || null) : null);
      const status = action.type === 'finish' ? 'finished' : 'abandoned';
      return { run: { ...run, status, endedAt: now, events: [...run.events, event] }, events: [event] };
    }
  }
}

/** Progress for the header: done and skipped count as handled. */
export function runProgress(run: ChecklistRun): { total: number; done: number; skipped: number; started: number; pending: number } {
  const counts = { total: run.steps.length, done: 0, skipped: 0, started: 0, pending: 0 };
  for (const s of run.steps) counts[(run.stepStates[s.id] ?? PENDING).status]++;
  return counts;
}

/** Milliseconds since the run started, frozen once it ends. */
export function runElapsed(run: ChecklistRun, now: number): number {
  return Math.max(0, (run.endedAt ?? now) - run.startedAt);
}

/** How long a step took (started or run start → finished), or is taking so far. */
export function stepElapsed(run: ChecklistRun, stepId: string, now: number): number | null {
  const s = run.stepStates[stepId];
  if (!s || s.status === 'pending') return null;
  const from = s.startedAt ?? run.startedAt;
  return Math.max(0, (s.finishedAt ?? now) - from);
}

/** The first step still to do, for "resume where it was". */
export function nextStep(run: ChecklistRun): RunStep | null {
  return run.steps.find((s) => (run.stepStates[s.id] ?? PENDING).status === 'started') ?? run.steps.find((s) => (run.stepStates[s.id] ?? PENDING).status === 'pending') ?? null;
}

/** Whether the library's copy of the runbook has moved on since the run started. */
export function runbookChangedSince(run: ChecklistRun, current: Pick<Runbook, 'version' | 'path'> | null): boolean {
  return current !== null && current.path === run.runbookPath && current.version !== run.runbookVersion;
}

const stepStateSchema = z.object({
  status: z.enum(['pending', 'started', 'done', 'skipped']),
  startedAt: z.number().nullable(),
  finishedAt: z.number().nullable(),
  skipReason: z.string().nullable(),
});
const runEventSchema = z.object({
  runId: z.string(),
  at: z.number(),
  by: z.string(),
  kind: z.enum(['runStarted', 'stepStarted', 'stepDone', 'stepSkipped', 'stepReopened', 'stepNote', 'runFinished', 'runAbandoned']),
  stepId: z.string().nullable(),
  stepText: z.string().nullable(),
  text: z.string().nullable(),
});
const runSchema = z.object({
  id: z.string().min(1),
  runbookPath: z.string(),
  runbookTitle: z.string(),
  runbookVersion: z.string(),
  groups: z.array(z.any()),
  steps: z.array(z.object({ id: z.string(), groupId: z.string(), parentId: z.string().nullable(), text: z.string() })),
  incidentId: z.string().nullable(),
  pageId: z.string().nullable(),
  startedAt: z.number(),
  startedBy: z.string(),
  endedAt: z.number().nullable(),
  status: z.enum(['running', 'finished', 'abandoned']),
  stepStates: z.record(z.string(), stepStateSchema),
  events: z.array(runEventSchema),
});

/** Restores a run saved as JSON (after quit and restart); refuses anything malformed as a whole. */
export function restoreRun(data: unknown): ChecklistRun {
  const parsed = runSchema.safeParse(typeof data === 'string' ? safeJson(data) : data);
  if (!parsed.success) throw new RunbookError('runStateInvalid', { reason: parsed.error.issues[0]?.path.join('.') ?? '' });
  const run = parsed.data as ChecklistRun;
  const missing = run.steps.find((s) => !run.stepStates[s.id]);
  if (missing) throw new RunbookError('runStateInvalid', { reason: `stepStates.${missing.id}` });
  return run;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Every step of the run's frozen runbook copy, for the checklist view. */
export function runSteps(run: ChecklistRun): Step[] {
  return run.groups.flatMap((g) => flattenSteps(g.steps));
}
