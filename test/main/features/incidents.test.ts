import { describe, expect, it } from 'vitest';
import type { IncidentReminderRef } from '../../../src/core/incidents/ipc-schemas';
import type { NotificationContent } from '../../../src/core/notification';
import { setupIncidents } from '../../../src/main/features/incidents';

const MIN = 60_000;
const T0 = Date.parse('2026-11-20T10:00:00Z');

/** A fake clock and timers: advancing runs every timer due by then, in order. */
function fakeTime(start: number) {
  let now = start;
  let seq = 0;
  const timers = new Map<number, { at: number; fn: () => void }>();
  return {
    clock: { now: () => now },
    timers: {
      setTimeout: (fn: () => void, ms: number) => {
        timers.set(++seq, { at: now + ms, fn });
        return seq;
      },
      clearTimeout: (h: unknown) => void timers.delete(h as number),
    },
    advance(ms: number) {
      const end = now + ms;
      for (;;) {
        const next = [...timers.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
        if (!next) break;
        timers.delete(next[0]);
        now = next[1].at;
        next[1].fn();
      }
      now = end;
    },
  };
}

const incident = (over: Partial<IncidentReminderRef> = {}): IncidentReminderRef => ({
  id: 'inc-1',
  title: 'Checkout down',
  severity: 'P1',
  status: 'investigating',
  createdAt: T0,
  lastStatusUpdateAt: null,
  updateIntervalMinutes: 30,
  ...over,
});

function setup() {
  const time = fakeTime(T0);
  const notes: NotificationContent[] = [];
  const inc = setupIncidents({ clock: time.clock, timers: time.timers, notifier: { notify: (n) => notes.push(n) }, logger: { info: () => undefined, error: () => undefined } });
  return { time, notes, inc };
}

describe('incident reminders in main', () => {
  it('reminds to post a status update every N minutes while the incident is open, across the hourly re-plan', () => {
    const { time, notes, inc } = setup();
    inc.handlers['incidents:sync']({ incidents: [incident()], checklistTimeZone: null, language: 'en' });
    time.advance(29 * MIN);
    expect(notes).toEqual([]);
    time.advance(1 * MIN);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ title: 'Post a status update: Checkout down', urgency: 'normal', route: '#/incidents/inc-1' });
    expect(notes[0]!.body).toContain('P1');
    time.advance(90 * MIN);
    expect(notes.map((n) => n.pageId)).toEqual([30, 60, 90, 120].map((m) => `incident:inc-1:${T0 + m * MIN}`));
  });

  it('an update posted moves the next reminder; resolving stops them; a re-sync never repeats one', () => {
    const { time, notes, inc } = setup();
    inc.handlers['incidents:sync']({ incidents: [incident()], checklistTimeZone: null, language: 'de' });
    time.advance(30 * MIN);
    expect(notes).toHaveLength(1);
    expect(notes[0]!.title).toBe('Statusupdate posten: Checkout down');
    // the same incidents again (the renderer re-sends on any change): nothing new fires
    inc.handlers['incidents:sync']({ incidents: [incident()], checklistTimeZone: null, language: 'de' });
    expect(notes).toHaveLength(1);
    // an update posted at 40 min: the next reminder is at 70 min, not 60
    time.advance(10 * MIN);
    inc.handlers['incidents:sync']({ incidents: [incident({ lastStatusUpdateAt: T0 + 40 * MIN })], checklistTimeZone: null, language: 'de' });
    time.advance(30 * MIN - 1);
    expect(notes).toHaveLength(1);
    time.advance(1);
    expect(notes).toHaveLength(2);
    inc.handlers['incidents:sync']({ incidents: [incident({ status: 'resolved' })], checklistTimeZone: null, language: 'de' });
    expect(inc.open()).toEqual([]);
    time.advance(5 * 60 * MIN);
    expect(notes).toHaveLength(2);
  });

  it('reminds about the daily maintenance checklist at 09:00 in the chosen zone', () => {
    const { time, notes, inc } = setup();
    // 10:00 UTC = 11:00 Berlin: the next daily checklist is tomorrow 09:00 Berlin = 08:00 UTC
    inc.handlers['incidents:sync']({ incidents: [], checklistTimeZone: 'Europe/Berlin', language: 'en' });
    time.advance(21 * 60 * MIN);
    expect(notes.filter((n) => n.pageId.startsWith('checklist:daily'))).toEqual([]);
    time.advance(60 * MIN);
    const daily = notes.filter((n) => n.pageId.startsWith('checklist:daily'));
    expect(daily).toHaveLength(1);
    expect(daily[0]).toMatchObject({ title: 'Daily maintenance is due', pageId: `checklist:daily:${Date.parse('2026-11-21T08:00:00Z')}` });
  });

  it('refuses an unknown zone and keeps what it planned', () => {
    const { time, notes, inc } = setup();
    inc.handlers['incidents:sync']({ incidents: [incident()], checklistTimeZone: null, language: 'en' });
    expect(() => inc.handlers['incidents:sync']({ incidents: [], checklistTimeZone: 'Mars/Olympus', language: 'en' })).toThrow(/Mars\/Olympus/);
    time.advance(30 * MIN);
    expect(notes).toHaveLength(1);
  });
});

describe('the shift-start checklist (seed 002)', () => {
  it('reminds a lead time before each of my shifts, from the rota main knows', () => {
    const time = fakeTime(T0);
    const notes: NotificationContent[] = [];
    const shiftAt = T0 + 3 * 60 * MIN;
    const inc = setupIncidents({
      clock: time.clock,
      timers: time.timers,
      notifier: { notify: (n) => notes.push(n) },
      logger: { info: () => undefined, error: () => undefined },
      myShiftStarts: (from, to) => [shiftAt].filter((s) => s >= from && s < to),
    });
    inc.handlers['incidents:sync']({ incidents: [], checklistTimeZone: 'Europe/Berlin', language: 'en' });
    time.advance(3 * 60 * MIN - 16 * MIN);
    expect(notes.filter((n) => n.route?.includes('shift'))).toEqual([]);
    time.advance(2 * MIN);
    const shift = notes.filter((n) => n.route?.includes('shift'));
    expect(shift).toHaveLength(1);
    expect(shift[0]!.title).toMatch(/shift/i);
    time.advance(5 * 60 * MIN);
    expect(notes.filter((n) => n.route?.includes('shift'))).toHaveLength(1);
  });
});
