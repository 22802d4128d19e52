import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultAlarmPolicy, type AlarmPolicy } from '../../../src/core/alarms/policy';
import type { RotaView } from '../../../src/core/alarms/quiet';
import { createI18n } from '../../../src/core/i18n';
import type { AlarmAlert, AlarmSound, EventChannel } from '../../../src/core/ipc-contract';
import type { NotificationContent } from '../../../src/core/notification';
import type { PageEvent } from '../../../src/core/page';
import type { LivePage, LiveState, PagerInput, RingEffect } from '../../../src/core/pager/live-state';
import type { Severity } from '../../../src/core/severity';
import { execFileRunner, SAVE_EVERY_MS, setupAlarms, SIGNALS_EVALUATE_GAP_MS, type AlarmsDeps, type CommandRunner } from '../../../src/main/features/alarms';

const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 23, 10, 0);

/** A fake clock with timers that fire only when the test advances time. */
function fakeTime(start: number) {
  let now = start;
  let seq = 0;
  const pending = new Map<number, { at: number; fn: () => void }>();
  return {
    clock: { now: () => now },
    timers: {
      setTimeout: (fn: () => void, ms: number) => {
        pending.set(++seq, { at: now + ms, fn });
        return seq;
      },
      clearTimeout: (h: unknown) => void pending.delete(h as number),
    },
    /** Moves time forward, firing each timer at its due time, in order. */
    advance(ms: number) {
      const end = now + ms;
      for (;;) {
        const next = [...pending.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
        if (!next) break;
        pending.delete(next[0]);
        now = Math.max(now, next[1].at);
        next[1].fn();
      }
      now = end;
    },
    /** Jumps the clock without firing timers: a laptop that slept. */
    sleep(ms: number) {
      now += ms;
    },
    get now() {
      return now;
    },
  };
}

/** The slice of the pages feature alarms use, with pages the test sets directly. */
function fakePages() {
  const state: LiveState = { pages: new Map(), windows: new Map(), heartbeats: new Map(), seeded: true };
  const listeners = new Set<(i: PagerInput) => void>();
  const timeline: PageEvent[] = [];
  const changed = (at: number, from: 'tick' | 'signals' = 'tick') => listeners.forEach((l) => l(from === 'tick' ? { type: 'tick', at } : { type: 'signals', at, signals: [], groups: [] }));
  return {
    feature: {
      state: () => state,
      onStateChanged: (l: (i: PagerInput) => void) => {
        listeners.add(l);
        return () => void listeners.delete(l);
      },
      recordEvents: (events: PageEvent[]) => void timeline.push(...events),
    },
    timeline,
    fire(id: string, severity: Severity, at: number, groupKey = `g-${id}`) {
      const page: LivePage = { id, groupKey, title: `Alert ${id}`, severity, summary: `Summary ${id}`, instance: `host-${id}:9100`, status: 'firing', startsAt: at, rangAt: at, acknowledgedAt: null, resolvedAt: null, updatedAt: at };
      state.pages.set(id, page);
      changed(at);
    },
    /** A page from a source (a webhook or a relay batch), as the pager announces it: a `signals` input. */
    receive(id: string, severity: Severity, at: number) {
      const page: LivePage = { id, groupKey: `g-${id}`, title: `Alert ${id}`, severity, summary: '', instance: '', status: 'firing', startsAt: at, rangAt: at, acknowledgedAt: null, resolvedAt: null, updatedAt: at };
      state.pages.set(id, page);
      changed(at, 'signals');
    },
    acknowledge(id: string, at: number) {
      state.pages.set(id, { ...state.pages.get(id)!, status: 'acknowledged', acknowledgedAt: at });
      listeners.forEach((l) => l({ type: 'acknowledge', at, target: { ids: [id] }, by: 'me' }));
    },
  };
}

let dir: string;
beforeEach(() => void (dir = mkdtempSync(path.join(tmpdir(), 'occ-alarms-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function start(
  opts: { time?: ReturnType<typeof fakeTime>; pages?: ReturnType<typeof fakePages>; policy?: AlarmPolicy; rota?: RotaView | null; runCommand?: CommandRunner; autoChecks?: AlarmsDeps['autoChecks']; fetch?: typeof fetch } = {},
) {
  const time = opts.time ?? fakeTime(T0);
  const pages = opts.pages ?? fakePages();
  let policy = opts.policy ?? defaultAlarmPolicy();
  const notifications: NotificationContent[] = [];
  const events: Array<{ channel: EventChannel; payload: unknown }> = [];
  const windowCalls: Array<AlarmAlert | null> = [];
  const commands: Array<{ program: string; args: string[]; env: Record<string, string> }> = [];
  const errors: string[] = [];
  const i18n = createI18n('en');
  const alarms = setupAlarms({
    clock: time.clock,
    timers: time.timers,
    logger: { info: () => undefined, error: (m) => void errors.push(m) },
    notifier: { notify: (c) => void notifications.push(c) },
    events: { emit: (channel, payload) => void events.push({ channel, payload }) },
    pages: pages.feature,
    policy: () => policy,
    savePolicy: (p) => void (policy = p),
    rota: () => ({ view: opts.rota ?? null, timeZone: 'UTC' }),
    t: () => i18n.t,
    dataDir: dir,
    runCommand:
      opts.runCommand ??
      (async (program, args, env) => {
        commands.push({ program, args, env });
        return { exitCode: 0, message: null };
      }),
    fetch: opts.fetch ?? ((async () => new Response('ok')) as typeof fetch),
    alertWindow: { show: (a) => void windowCalls.push(a), hide: () => void windowCalls.push(null) },
    ...(opts.autoChecks ? { autoChecks: opts.autoChecks } : {}),
  });
  const sounds = () => events.filter((e) => e.channel === 'alarm:sound').map((e) => e.payload as AlarmSound);
  return { time, pages, alarms, notifications, events, sounds, windowCalls, commands, errors, policy: () => policy };
}

describe('the alarm feature under steady traffic', () => {
  it('takes pages from sources at once, then at most every SIGNALS_EVALUATE_GAP_MS while they keep coming; an acknowledgement at once', () => {
    const s = start();
    const tracked = () => Object.keys(s.alarms.state().groups).sort();
    s.pages.receive('a', 'P1', s.time.now);
    // the first page after a quiet spell: its alarm starts with no wait
    expect(tracked()).toEqual(['g-a']);
    expect(s.sounds().at(-1)).toMatchObject({ command: 'play' });
    s.time.advance(10);
    s.pages.receive('b', 'P1', s.time.now);
    s.time.advance(10);
    s.pages.receive('c', 'P1', s.time.now);
    // a burst: b and c wait for one evaluation when the gap is over, not one each
    expect(tracked()).toEqual(['g-a']);
    s.time.advance(SIGNALS_EVALUATE_GAP_MS - 21);
    expect(tracked()).toEqual(['g-a']);
    s.time.advance(1);
    expect(tracked()).toEqual(['g-a', 'g-b', 'g-c']);
    // what the engineer does is never held back, even right after an evaluation
    s.pages.acknowledge('a', s.time.now);
    expect(tracked()).toEqual(['g-b', 'g-c']);
    s.alarms.stop();
  });


  it('sends the window the alarm view only when it changed, and writes its state at most every 250 ms', () => {
    const s = start();
    const file = path.join(dir, 'alarm-state.json');
    s.pages.fire('a', 'P1', s.time.now);
    const views = () => s.events.filter((e) => e.channel === 'alarms:changed').length;
    const sent = views();
    expect(sent).toBeGreaterThan(0);
    // nothing the window shows changed: nothing is sent
    for (let i = 0; i < 20; i++) s.alarms.evaluate();
    expect(views()).toBe(sent);
    // the new group's tracking is written once the 250 ms have passed, not on every evaluation
    expect(existsSync(file)).toBe(false);
    s.time.advance(SAVE_EVERY_MS);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ groups: { 'g-a': { level: 0 } } });
    s.alarms.stop();
  });

  it('a change made just before stopping is written at stop', () => {
    const s = start();
    s.pages.fire('b', 'P2', s.time.now);
    s.alarms.stop();
    expect(JSON.parse(readFileSync(path.join(dir, 'alarm-state.json'), 'utf8'))).toMatchObject({ groups: { 'g-b': { level: 0 } } });
  });
});

describe('the alarm feature in main', () => {
  it('a P1 page starts the alarm and the alert window; acknowledging stops both in the same call', () => {
    const s = start();
    s.alarms.evaluate();
    s.pages.fire('a', 'P1', s.time.now);
    expect(s.sounds()).toEqual([{ command: 'play', mode: 'alarm', sound: 'alarm', fallback: 'alarm', severity: 'P1' }]);
    expect(s.windowCalls).toEqual([{ groupKey: 'g-a', pageId: 'a', title: 'Alert a', severity: 'P1', count: 1, summary: 'Summary a', instance: 'host-a:9100', startsAt: s.time.now }]);
    expect(s.alarms.view().playing).toMatchObject({ mode: 'alarm' });

    s.time.advance(30_000);
    s.pages.acknowledge('a', s.time.now);
    expect(s.sounds().at(-1)).toEqual({ command: 'stop' });
    expect(s.windowCalls.at(-1)).toBeNull();
    expect(s.alarms.view()).toMatchObject({ playing: null, alert: null });
  });

  it('a P2 page chimes again with a notification every 5 minutes, not before, until acknowledged', () => {
    const s = start();
    s.pages.fire('b', 'P2', s.time.now);
    expect(s.sounds()).toHaveLength(1);
    s.time.advance(5 * MIN - 1);
    expect(s.notifications).toHaveLength(0);
    expect(s.sounds()).toHaveLength(1);
    s.time.advance(1);
    expect(s.notifications).toEqual([expect.objectContaining({ title: 'Alert b · P2', body: 'Still unacknowledged', route: '#/pages/g-b', urgency: 'normal' })]);
    expect(s.sounds()).toHaveLength(2);
    s.pages.acknowledge('b', s.time.now);
    s.time.advance(60 * MIN);
    expect(s.notifications).toHaveLength(1);
  });

  it('escalates at exactly the response target: runs the command with the page in its environment and puts the outcome on the timeline', async () => {
    const policy = defaultAlarmPolicy();
    policy.escalation.levels = [{ realert: true, run: [{ kind: 'command', program: '/usr/local/bin/call-me', args: ['--loud'] }] }];
    const s = start({ policy });
    s.pages.fire('a', 'P1', s.time.now);
    s.time.advance(15 * MIN - 1);
    expect(s.commands).toHaveLength(0);
    s.time.advance(1);
    expect(s.commands).toEqual([{ program: '/usr/local/bin/call-me', args: ['--loud'], env: expect.objectContaining({ ONCALL_LEVEL: '1', ONCALL_SEVERITY: 'P1', ONCALL_TITLE: 'Alert a' }) }]);
    expect(s.notifications).toEqual([expect.objectContaining({ body: 'Escalated: past the response target', urgency: 'critical' })]);
    await expect.poll(() => s.pages.timeline.length).toBe(2);
    expect(s.pages.timeline).toEqual([
      { pageId: 'a', kind: 'escalated', at: T0 + 15 * MIN, detail: 'Escalation level 1' },
      { pageId: 'a', kind: 'escalated', at: T0 + 15 * MIN, detail: 'Ran /usr/local/bin/call-me: exit code 0' },
    ]);
  });

  it('a failing escalation command is on the timeline and in Settings, and the alarm keeps sounding', async () => {
    const policy = defaultAlarmPolicy();
    policy.escalation.levels = [{ realert: true, run: [{ kind: 'command', program: 'no-such-program', args: [] }] }];
    const s = start({ policy, runCommand: async () => ({ exitCode: null, message: 'spawn no-such-program ENOENT' }) });
    s.pages.fire('a', 'P1', s.time.now);
    s.time.advance(15 * MIN);
    await expect.poll(() => s.pages.timeline.length).toBe(2);
    expect(s.pages.timeline[1]!.detail).toBe('Escalation level 1 failed: spawn no-such-program ENOENT');
    expect(s.alarms.view().error).toEqual({ code: 'alarms.escalationFailed', params: { level: 1, message: 'spawn no-such-program ENOENT' } });
    expect(s.sounds().filter((x) => x.command === 'stop')).toHaveLength(0);
  });

  it('a restart in the middle of an escalation keeps its clock, and sounds the alarm again at once', () => {
    const time = fakeTime(T0);
    const pages = fakePages();
    const first = start({ time, pages });
    pages.fire('a', 'P1', time.now);
    time.advance(10 * MIN);
    first.alarms.stop();
    expect(JSON.parse(readFileSync(path.join(dir, 'alarm-state.json'), 'utf8'))).toMatchObject({ groups: { 'g-a': { since: T0, level: 0 } } });

    const second = start({ time, pages });
    second.alarms.evaluate();
    expect(second.sounds()).toEqual([expect.objectContaining({ command: 'play', mode: 'alarm' })]);
    expect(second.windowCalls).toHaveLength(1);
    time.advance(5 * MIN - 1);
    expect(second.notifications).toHaveLength(0);
    time.advance(1);
    expect(second.notifications).toEqual([expect.objectContaining({ body: 'Escalated: past the response target' })]);
  });

  it('snoozing a group silences it now, notes it on each page, and brings it back when the snooze ends', () => {
    const s = start();
    s.pages.fire('a', 'P1', s.time.now, 'db');
    s.pages.fire('b', 'P1', s.time.now, 'db');
    const view = s.alarms.handlers['alarms:snooze']({ target: { groupKey: 'db' }, minutes: 15 });
    expect(s.sounds().at(-1)).toEqual({ command: 'stop' });
    expect(view.snoozes).toEqual([{ kind: 'group', target: 'db', until: T0 + 15 * MIN }]);
    expect(s.pages.timeline).toEqual([
      { pageId: 'a', kind: 'snoozed', at: T0, detail: 'Snoozed until 10:15' },
      { pageId: 'b', kind: 'snoozed', at: T0, detail: 'Snoozed until 10:15' },
    ]);
    s.time.advance(15 * MIN);
    expect(s.notifications).toEqual([expect.objectContaining({ body: 'Snooze over, still firing', urgency: 'critical' })]);
    expect(s.sounds().at(-1)).toMatchObject({ command: 'play', mode: 'alarm' });
  });

  it('refuses a snooze of another length with a typed error, and changes nothing', () => {
    const s = start();
    s.pages.fire('a', 'P1', s.time.now);
    expect(() => s.alarms.handlers['alarms:snooze']({ target: { groupKey: 'g-a' }, minutes: 20 })).toThrow(expect.objectContaining({ code: 'alarms.badSnooze' }));
    expect(s.alarms.view().snoozes).toEqual([]);
  });

  it('Do Not Disturb holds back what does not break through; P1 still rings, critical', () => {
    const s = start();
    s.alarms.handlers['alarms:set-dnd']({ dnd: { until: T0 + 60 * MIN } });
    const ring = (severity: Severity): RingEffect => ({ type: 'notify', groupKey: `g-${severity}`, pageId: severity, title: 't', summary: '', instance: '', severity, count: 1, pageIds: [severity] });
    expect(s.alarms.ringPolicy(ring('P2'))).toEqual({ show: false, urgency: 'normal' });
    expect(s.alarms.ringPolicy(ring('P1'))).toEqual({ show: true, urgency: 'critical' });
    s.pages.fire('b', 'P2', s.time.now);
    expect(s.sounds()).toHaveLength(0);
    // the moment DND ends, the held-back page sounds
    s.time.advance(60 * MIN);
    expect(s.sounds()).toEqual([expect.objectContaining({ command: 'play', mode: 'once', severity: 'P2' })]);
    expect(() => s.alarms.handlers['alarms:set-dnd']({ dnd: { until: T0 } })).toThrow(expect.objectContaining({ code: 'alarms.dndInPast' }));
  });

  it('a policy from Settings is checked with the schema: a bad field is named and nothing is saved', () => {
    const s = start();
    const bad = { ...defaultAlarmPolicy(), severities: { ...defaultAlarmPolicy().severities, P2: { ...defaultAlarmPolicy().severities.P2, repeatMinutes: -1 } } };
    expect(() => s.alarms.handlers['alarms:set-policy']({ policy: bad })).toThrow(expect.objectContaining({ code: 'alarms.badPolicy', params: expect.objectContaining({ path: 'severities.P2.repeatMinutes' }) }));
    expect(s.policy().severities.P2.repeatMinutes).toBe(5);
    const good = { ...defaultAlarmPolicy(), severities: { ...defaultAlarmPolicy().severities, P2: { ...defaultAlarmPolicy().severities.P2, repeatMinutes: 2 } } };
    s.pages.fire('b', 'P2', s.time.now);
    s.alarms.handlers['alarms:set-policy']({ policy: good });
    expect(s.policy().severities.P2.repeatMinutes).toBe(2);
    s.time.advance(2 * MIN);
    expect(s.notifications).toHaveLength(1);
  });

  it('after sleep, resume evaluates at once what fell due meanwhile', () => {
    const s = start();
    s.pages.fire('a', 'P1', s.time.now);
    s.time.sleep(20 * MIN);
    expect(s.notifications).toHaveLength(0);
    s.alarms.resume();
    expect(s.notifications).toEqual([expect.objectContaining({ body: 'Escalated: past the response target' })]);
  });

  it('offers the self-test before my shift, and keeps a failed check visible until it passes', () => {
    const s = start({ rota: { onCall: false, changesAt: T0 + 60 * MIN } });
    s.alarms.evaluate();
    expect(s.notifications).toHaveLength(0);
    s.time.advance(30 * MIN);
    expect(s.notifications).toEqual([expect.objectContaining({ title: 'Is my pager working?', body: 'Your shift starts at 11:00: run the pager self-test' })]);
    s.alarms.handlers['alarms:self-test-start']();
    expect(s.sounds().at(-1)).toMatchObject({ command: 'play', mode: 'once', sound: 'alarm' });
    s.alarms.handlers['alarms:self-test-record']({ check: 'alarmHeard', outcome: 'fail' });
    expect(s.alarms.view().selfTest.failing.map((r) => r.check)).toEqual(['alarmHeard']);
    const reloaded = start({ time: s.time, pages: s.pages });
    expect(reloaded.alarms.view().selfTest.failing.map((r) => r.check)).toEqual(['alarmHeard']);
    reloaded.alarms.handlers['alarms:self-test-record']({ check: 'alarmHeard', outcome: 'pass' });
    expect(reloaded.alarms.view().selfTest.failing).toEqual([]);
  });

  it('a self-test run records what the app checks itself, with the time, next to what the user confirms', async () => {
    const s = start({
      autoChecks: async () => [
        { check: 'sources', outcome: 'pass', reason: null },
        { check: 'relay', outcome: 'skipped', reason: null },
        { check: 'notMuted', outcome: 'fail', reason: { code: 'alarms.systemMuted', params: {} } },
      ],
    });
    s.alarms.handlers['alarms:self-test-start']();
    await expect.poll(() => s.alarms.view().selfTestLog.runs.at(-1)?.results.length).toBe(3);
    expect(s.alarms.view().selfTestLog.runs.at(-1)!.results).toEqual([
      { check: 'sources', outcome: 'pass', reason: null, at: T0 },
      { check: 'relay', outcome: 'skipped', reason: null, at: T0 },
      { check: 'notMuted', outcome: 'fail', reason: { code: 'alarms.systemMuted', params: {} }, at: T0 },
    ]);
    expect(s.alarms.view().selfTest.failing.map((r) => r.check)).toEqual(['notMuted']);
    expect(s.events.filter((e) => e.channel === 'alarms:changed').length).toBeGreaterThan(0);
  });

  it('an escalation webhook gets the page as JSON with the configured headers; an HTTP error is on the timeline as a failure', async () => {
    const policy = defaultAlarmPolicy();
    policy.escalation.levels = [
      { realert: false, run: [{ kind: 'webhook', url: 'https://phone.example/call', method: 'POST', headers: { authorization: 'Bearer abc' } }] },
      { realert: false, run: [{ kind: 'webhook', url: 'https://phone.example/broken', method: 'POST', headers: {} }] },
    ];
    const calls: Array<{ url: string; init: RequestInit }> = [];
    const fakeFetch = (async (url: string, init: RequestInit) => {
      calls.push({ url, init });
      return new Response(null, { status: url.endsWith('broken') ? 503 : 204 });
    }) as unknown as typeof fetch;
    const s = start({ policy, fetch: fakeFetch });
    s.pages.fire('a', 'P1', s.time.now);
    s.time.advance(15 * MIN);
    await expect.poll(() => s.pages.timeline.length).toBe(2);
    expect(calls[0]!.url).toBe('https://phone.example/call');
    expect(calls[0]!.init.headers).toMatchObject({ authorization: 'Bearer abc', 'content-type': 'application/json' });
    expect(JSON.parse(String(calls[0]!.init.body))).toMatchObject({ event: 'escalation', level: 1, severity: 'P1', title: 'Alert a', pageId: 'a' });
    expect(s.pages.timeline[1]!.detail).toBe('Called https://phone.example/call: HTTP 204');
    // the next level comes the interval (15 min) after the first
    s.time.advance(15 * MIN);
    await expect.poll(() => s.pages.timeline.length).toBe(4);
    expect(s.pages.timeline[3]!.detail).toBe('Escalation level 2 failed: HTTP 503');
    expect(s.alarms.view().error).toMatchObject({ code: 'alarms.escalationFailed' });
  });

  it('the real command runner runs without a shell, passes the page in the environment and reports a non-zero exit', async () => {
    const r = await execFileRunner('/bin/sh', ['-c', 'echo "$ONCALL_TITLE is down" >&2; exit 3'], { ONCALL_TITLE: 'db-1' });
    expect(r).toEqual({ exitCode: 3, message: 'db-1 is down' });
    expect(await execFileRunner('/bin/true', [], {})).toEqual({ exitCode: 0, message: null });
    expect((await execFileRunner('/no/such/program', [], {})).exitCode).toBeNull();
  });
});
