import type { i18n } from 'i18next';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { AlarmError } from '../../core/alarms/errors';
import { commandEnvironment, outcomeText, webhookPayload, type EscalateAction, type StepOutcome } from '../../core/alarms/escalation';
import { evaluateAlarms, notificationFor, type AlarmAction } from '../../core/alarms/evaluate';
import { alarmPolicySchema, type AlarmPolicy } from '../../core/alarms/policy';
import type { RotaView } from '../../core/alarms/quiet';
import { recordCheck, restoreSelfTestLog, selfTestStatus, startSelfTest, type CheckResult, type SelfTestLog } from '../../core/alarms/self-test';
import { afterRestart, emptyAlarmState, restoreAlarmState, setDoNotDisturb, snooze, type AlarmState, type SnoozeTarget } from '../../core/alarms/state';
import type { AppErrorData } from '../../core/errors';
import type { AlarmAlert, AlarmSound, AlarmsView } from '../../core/ipc-contract';
import { groupRoute } from '../../core/notification';
import type { PageEvent } from '../../core/page';
import type { LivePage, RingEffect } from '../../core/pager/live-state';
import { describeIssues } from '../../core/validation';
import type { Clock, Logger, RendererEvents } from '../adapters';
import type { Timers } from './rota';
import type { PagesFeature } from './pages';
import type { Notifier } from '../services/notifier';
import { writeFileAtomic } from '../services/atomic-file';

/** Runs an escalation command: no shell, the user's program and arguments as written. */
export type CommandRunner = (program: string, args: string[], env: Record<string, string>) => Promise<{ exitCode: number | null; message: string | null }>;

/** How long an escalation command may run before it is killed and counts as failed. */
export const COMMAND_TIMEOUT_MS = 30_000;

/** The real runner: execFile (no shell), a minimal environment plus the page's ONCALL_* variables. */
export const execFileRunner: CommandRunner = (program, args, env) =>
  new Promise((resolve) => {
    execFile(program, args, { env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', ...env }, timeout: COMMAND_TIMEOUT_MS, windowsHide: true }, (err, _stdout, stderr) => {
      if (!err) return resolve({ exitCode: 0, message: null });
      const code = typeof err.code === 'number' ? err.code : null;
      resolve({ exitCode: code, message: stderr.trim().slice(0, 300) || err.message });
    });
  });

/** The always-on-top alert window (Electron); e2e and tests follow the `alarm:alert` event instead. */
export interface AlertWindowHost {
  show(alert: AlarmAlert): void;
  hide(): void;
}

/** What the alarm feature needs; everything with a side effect is injected. */
export interface AlarmsDeps {
  clock: Clock;
  timers: Timers;
  logger: Logger;
  notifier: Notifier;
  events: RendererEvents;
  pages: Pick<PagesFeature, 'state' | 'onStateChanged' | 'recordEvents'>;
  /** The policy from config.json `alarms`, and how to save a new one there. */
  policy: () => AlarmPolicy;
  savePolicy: (policy: AlarmPolicy) => void;
  /** My rota situation and time zone now (the rota feature's `mine`). */
  rota: (now: number) => { view: RotaView | null; timeZone: string };
  t: () => i18n['t'];
  /** Where alarm state and the self-test log are saved. */
  dataDir: string;
  runCommand: CommandRunner;
  fetch: typeof fetch;
  alertWindow?: AlertWindowHost;
  /** Called after every evaluation, so the tray can be re-rendered. */
  onChanged?: () => void;
  /**
   * The checks the app can make itself (sources, relay, system muted), run at each self-test
   * start; each resolves to pass, fail (with a typed reason) or skipped where it does not apply.
   */
  autoChecks?: () => Promise<Array<Pick<CheckResult, 'check' | 'outcome' | 'reason'>>>;
  /** The shortcut and start-at-login settings, for the view. */
  desktop?: () => AlarmsView['desktop'];
}

/** While pages keep coming from sources, alarms are evaluated at most this often (the first at once). */
export const SIGNALS_EVALUATE_GAP_MS = 100;

/** How long an escalation webhook may take before it counts as failed. */
export const ESCALATION_TIMEOUT_MS = 10_000;

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch (err) {
    // a missing file is a fresh install; anything else is reported by the restore functions
    return (err as NodeJS.ErrnoException).code === 'ENOENT' ? undefined : null;
  }
}

/**
 * The tray pager in main: it runs the pure alarm logic after every pager change, at its next
 * wake-up (one absolute timer), on resume and after every snooze, DND or policy change, and turns
 * its actions into notifications, renderer messages, the alert window and escalation steps.
 */
export function setupAlarms(deps: AlarmsDeps) {
  const stateFile = path.join(deps.dataDir, 'alarm-state.json');
  const selfTestFile = path.join(deps.dataDir, 'self-test.json');
  const savedState = readJson(stateFile);
  const restored = savedState === undefined ? { state: emptyAlarmState(), error: null } : restoreAlarmState(savedState);
  let state: AlarmState = afterRestart(restored.state);
  const savedLog = readJson(selfTestFile);
  const restoredLog = savedLog === undefined ? { log: { runs: [] }, error: null } : restoreSelfTestLog(savedLog);
  let selfTest: SelfTestLog = restoredLog.log;
  const firstError = restored.error ?? restoredLog.error;
  let error: AppErrorData | null = firstError ? { code: firstError.code, params: firstError.params } : null;
  if (error) deps.logger.error(`alarms: ${error.code} ${JSON.stringify(error.params)}`);
  let savedJson = JSON.stringify(state);
  let playing: AlarmSound | null = null;
  let alert: AlarmAlert | null = null;
  let timer: unknown = null;
  let stopped = false;
  /** When pages last caused an evaluation: a timer's or a command's evaluation never holds the next page back. */
  let lastSoonAt = -Infinity;
  /** The evaluation a burst of pages waits for (see evaluateSoon). */
  let soonTimer: unknown = null;

  let saveTimer: unknown = null;
  /** The view last sent to the window: an evaluation that changes nothing it shows sends nothing. */
  let sentView = '';

  /**
   * Writes the state at most every SAVE_EVERY_MS: at 100 pages a second a rewrite with fsync per page
   * held main's loop for about half of its file time. A crash loses at most that much escalation
   * bookkeeping (an alert may repeat), never a page: those are journaled by the pager.
   */
  function save(): void {
    if (saveTimer !== null || stopped) return;
    saveTimer = deps.timers.setTimeout(() => {
      saveTimer = null;
      flush();
    }, SAVE_EVERY_MS);
  }

  function flush(): void {
    const json = JSON.stringify(state);
    if (json === savedJson) return;
    try {
      writeFileAtomic(stateFile, json);
      savedJson = json;
    } catch (err) {
      deps.logger.error(`alarms: cannot save ${stateFile}: ${(err as Error).message}`);
    }
  }

  function sendView(): void {
    const next = view();
    const json = JSON.stringify(next);
    if (json === sentView) return;
    sentView = json;
    deps.events.emit('alarms:changed', next);
  }

  function context(now: number) {
    const { view, timeZone } = deps.rota(now);
    return { policy: deps.policy(), rota: view, timeZone, now };
  }

  /** One evaluation: save, act, re-arm. Safe to call at any time and as often as wanted. */
  function evaluate(): void {
    if (soonTimer !== null) deps.timers.clearTimeout(soonTimer);
    soonTimer = null;
    if (stopped) return;
    const now = deps.clock.now();
    const result = evaluateAlarms(state, { ...context(now), pages: deps.pages.state().pages.values() });
    state = result.state;
    save();
    for (const action of result.actions) act(action, now);
    arm(result.nextWakeAt, now);
    deps.onChanged?.();
    sendView();
  }

  function arm(at: number | null, now: number): void {
    if (timer !== null) deps.timers.clearTimeout(timer);
    timer = null;
    if (at === null) return;
    // absolute: a timer that fires late after sleep still evaluates what is due by then
    timer = deps.timers.setTimeout(() => {
      timer = null;
      evaluate();
    }, Math.max(0, at - now));
  }

  function act(action: AlarmAction, now: number): void {
    const t = deps.t();
    switch (action.type) {
      case 'notify': {
        const title = action.count > 1 ? `${action.title} ${t('notifications.more', { count: action.count - 1 })}` : action.title;
        deps.notifier.notify({
          title: `${title} · ${action.severity}`,
          body: t(`alarms.reason.${action.reason}`),
          urgency: action.severity === 'P1' || action.reason === 'escalation' ? 'critical' : 'normal',
          pageId: action.pageId,
          route: groupRoute(action.groupKey),
        });
        return;
      }
      case 'playSound':
        deps.events.emit('alarm:sound', { command: 'play', mode: 'once', sound: action.sound, fallback: action.fallback, severity: action.severity });
        return;
      case 'startAlarm':
        playing = { command: 'play', mode: 'alarm', sound: action.sound, fallback: action.fallback, severity: action.severity };
        deps.events.emit('alarm:sound', playing);
        return;
      case 'stopAlarm':
        playing = null;
        deps.events.emit('alarm:sound', { command: 'stop' });
        return;
      case 'showAlert':
        alert = alertOf(action, deps.pages.state().pages.get(action.pageId));
        deps.events.emit('alarm:alert', { alert });
        deps.alertWindow?.show(alert);
        return;
      case 'hideAlert':
        alert = null;
        deps.events.emit('alarm:alert', { alert: null });
        deps.alertWindow?.hide();
        return;
      case 'escalate':
        void escalate(action, now);
        return;
      case 'offerSelfTest':
        deps.notifier.notify({ title: t('alarms.selfTest.title'), body: t('alarms.selfTest.offer', { time: clockTime(action.shiftStart, context(now).timeZone) }), urgency: 'normal', pageId: 'self-test', route: '#/settings' });
        return;
    }
  }

  async function runStep(step: EscalateAction['steps'][number], action: EscalateAction): Promise<StepOutcome> {
    if (step.kind === 'command') {
      try {
        const r = await deps.runCommand(step.program, step.args, commandEnvironment(action));
        return { kind: 'command', program: step.program, ok: r.exitCode === 0, exitCode: r.exitCode, message: r.message, at: deps.clock.now() };
      } catch (err) {
        return { kind: 'command', program: step.program, ok: false, exitCode: null, message: (err as Error).message, at: deps.clock.now() };
      }
    }
    try {
      const res = await deps.fetch(step.url, {
        method: step.method,
        headers: { 'content-type': 'application/json', ...step.headers },
        body: step.method === 'GET' ? undefined : JSON.stringify(webhookPayload(action, deps.clock.now())),
        signal: AbortSignal.timeout(ESCALATION_TIMEOUT_MS),
      });
      await res.arrayBuffer().catch(() => undefined);
      return { kind: 'webhook', url: step.url, ok: res.ok, status: res.status, message: res.ok ? null : `HTTP ${res.status}`, at: deps.clock.now() };
    } catch (err) {
      return { kind: 'webhook', url: step.url, ok: false, status: null, message: (err as Error).message, at: deps.clock.now() };
    }
  }

  /** Runs a level's steps one after another and puts each outcome on the lead page's timeline. */
  async function escalate(action: EscalateAction, now: number): Promise<void> {
    const t = deps.t();
    const events: PageEvent[] = [{ pageId: action.pageId, kind: 'escalated', at: now, detail: t('alarms.escalation.level', { level: action.level }) }];
    deps.pages.recordEvents(events);
    for (const step of action.steps) {
      const outcome = await runStep(step, action);
      const text = outcomeText(outcome, action.level);
      if (!outcome.ok) {
        error = { code: new AlarmError('escalationFailed', text.params).code, params: text.params };
        deps.logger.error(`alarms: ${t(text.key, text.params)}`);
      }
      deps.pages.recordEvents([{ pageId: action.pageId, kind: 'escalated', at: outcome.at, detail: t(text.key, text.params) }]);
    }
    if (action.steps.length > 0) sendView();
  }

  /** What Settings, the self-test panel and a reloaded renderer need to know. */
  function view(): AlarmsView {
    const snoozes = [
      ...Object.entries(state.groupSnoozes).map(([target, until]) => ({ kind: 'group' as const, target, until })),
      ...Object.entries(state.pageSnoozes).map(([target, until]) => ({ kind: 'page' as const, target, until })),
    ];
    const desktop = deps.desktop?.() ?? { shortcut: null, startAtLogin: false, shortcutError: null };
    return { policy: deps.policy(), dnd: state.dnd, snoozes, selfTest: selfTestStatus(selfTest), selfTestLog: selfTest, playing, alert, error, desktop };
  }

  function saveSelfTest(): void {
    try {
      writeFileAtomic(selfTestFile, JSON.stringify(selfTest));
    } catch (err) {
      deps.logger.error(`alarms: cannot save ${selfTestFile}: ${(err as Error).message}`);
    }
  }

  /** Records what the app can check itself; a check that throws counts as failed, with why. */
  async function runAutoChecks(startedAt: number): Promise<void> {
    if (!deps.autoChecks) return;
    let results: Array<Pick<CheckResult, 'check' | 'outcome' | 'reason'>>;
    try {
      results = await deps.autoChecks();
    } catch (err) {
      results = [{ check: 'sources', outcome: 'fail', reason: { code: 'generic', params: { message: (err as Error).message } } }];
    }
    // a newer run started meanwhile: these results belong to the old one
    if (selfTest.runs.at(-1)?.startedAt !== startedAt) return;
    for (const r of results) selfTest = recordCheck(selfTest, { ...r, at: deps.clock.now() });
    saveSelfTest();
    deps.onChanged?.();
    sendView();
  }

  /** Snoozes pages or a group; each snoozed firing page gets a timeline entry saying until when. */
  function snoozeTarget(target: SnoozeTarget, minutes: number): AlarmsView {
    const now = deps.clock.now();
    state = snooze(state, target, minutes, now);
    const until = now + minutes * 60_000;
    const detail = deps.t()('alarms.snooze.until', { time: clockTime(until, context(now).timeZone) });
    const ids = 'ids' in target ? target.ids : [...deps.pages.state().pages.values()].filter((p) => p.groupKey === target.groupKey && p.status === 'firing').map((p) => p.id);
    deps.pages.recordEvents(ids.map((pageId) => ({ pageId, kind: 'snoozed' as const, at: now, detail })));
    evaluate();
    return view();
  }

  /**
   * After pages from a source (or the pager's tick): at once, unless pages caused an evaluation less than
   * SIGNALS_EVALUATE_GAP_MS ago; then once when the gap is over, for everything that came meanwhile. An evaluation looks at
   * every firing group, so one per relay batch or webhook made a 10,000-page replay spend seconds of
   * main's loop on it. The pager's own notification never waits for this; the alarm sound of a page
   * in a burst comes at most this much later.
   */
  function evaluateSoon(): void {
    if (soonTimer !== null || stopped) return;
    const now = deps.clock.now();
    const wait = lastSoonAt + SIGNALS_EVALUATE_GAP_MS - now;
    if (wait <= 0) {
      lastSoonAt = now;
      return evaluate();
    }
    soonTimer = deps.timers.setTimeout(() => {
      soonTimer = null;
      lastSoonAt = deps.clock.now();
      evaluate();
    }, wait);
  }

  // what the engineer did (acknowledge, undo) takes effect at once; pages, the pager's ticks and seeding may wait the gap
  const unsubscribe = deps.pages.onStateChanged((input) => (input.type === 'acknowledge' || input.type === 'unacknowledge' ? evaluate() : evaluateSoon()));

  return {
    evaluate,
    view,
    /** Current alarm state (read-only by convention), for the tray model. */
    state: () => state,
    selfTestStatus: () => selfTestStatus(selfTest),
    /** The pager's ring hook: quiet hours, DND and snoozes decide whether the first notification shows. */
    ringPolicy(ring: RingEffect): { show: boolean; urgency: 'critical' | 'normal' } {
      const decision = notificationFor(ring, state, context(deps.clock.now()));
      return { show: decision.show, urgency: decision.urgency === 'critical' ? 'critical' : 'normal' };
    },
    snooze: snoozeTarget,
    setDoNotDisturb(dnd: { until: number | null } | null): AlarmsView {
      state = setDoNotDisturb(state, dnd, deps.clock.now());
      evaluate();
      return view();
    },
    handlers: {
      'alarms:get': () => view(),
      'alarms:snooze': ({ target, minutes }: { target: SnoozeTarget; minutes: number }) => snoozeTarget(target, minutes),
      'alarms:set-dnd': ({ dnd }: { dnd: { until: number | null } | null }) => {
        state = setDoNotDisturb(state, dnd, deps.clock.now());
        evaluate();
        return view();
      },
      'alarms:set-policy': ({ policy }: { policy: unknown }) => {
        const parsed = alarmPolicySchema.safeParse(policy);
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          throw new AlarmError('badPolicy', { path: issue?.path.join('.') ?? '', message: describeIssues(parsed.error) });
        }
        deps.savePolicy(parsed.data);
        evaluate();
        return view();
      },
      'alarms:self-test-start': () => {
        const now = deps.clock.now();
        selfTest = startSelfTest(selfTest, now);
        saveSelfTest();
        const t = deps.t();
        // the two things only the user can confirm: this notification was seen, this chime heard
        deps.notifier.notify({ title: t('alarms.selfTest.title'), body: t('alarms.selfTest.checks.notificationSeen'), urgency: 'normal', pageId: 'self-test', route: '#/settings' });
        deps.events.emit('alarm:sound', { command: 'play', mode: 'once', sound: 'alarm', fallback: 'alarm', severity: 'P1' });
        void runAutoChecks(now);
        return view();
      },
      'alarms:self-test-record': (result: { check: CheckResult['check']; outcome: CheckResult['outcome']; reason?: CheckResult['reason'] }) => {
        selfTest = recordCheck(selfTest, { check: result.check, outcome: result.outcome, reason: result.reason ?? null, at: deps.clock.now() });
        saveSelfTest();
        deps.onChanged?.();
        return view();
      },
    },
    /** After sleep the one timer is stale: evaluate now (wired to powerMonitor 'resume'). */
    resume: () => evaluate(),
    stop(): void {
      stopped = true;
      unsubscribe();
      if (timer !== null) deps.timers.clearTimeout(timer);
      timer = null;
      if (soonTimer !== null) deps.timers.clearTimeout(soonTimer);
      soonTimer = null;
      if (saveTimer !== null) deps.timers.clearTimeout(saveTimer);
      saveTimer = null;
      flush();
    },
  };
}
export type AlarmsFeature = ReturnType<typeof setupAlarms>;

/** How often, at most, the alarm state is written while it keeps changing. */
export const SAVE_EVERY_MS = 250;

/** What the alert window shows: the action's page, with its summary, instance and start when main still has it. */
function alertOf(action: Extract<AlarmAction, { type: 'showAlert' }>, page: Pick<LivePage, 'summary' | 'instance' | 'startsAt'> | undefined): AlarmAlert {
  const { groupKey, pageId, title, severity, count } = action;
  return { groupKey, pageId, title, severity, count, summary: page?.summary ?? '', instance: page?.instance ?? '', startsAt: page?.startsAt ?? null };
}

/** "14:05" in the user's zone, for snooze and self-test texts. */
function clockTime(at: number, timeZone: string): string {
  try {
    return new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', timeZone }).format(at);
  } catch {
    return new Date(at).toISOString().slice(11, 16);
  }
}
