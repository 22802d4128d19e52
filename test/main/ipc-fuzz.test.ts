import fc from 'fast-check';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invokeContract, type InvokeChannel } from '../../src/core/ipc-contract';
import type { Timers } from '../../src/main/features/rota';
import { startMainServices, type MainServices } from '../../src/main/services';
import { testDataDir } from '../helpers/main-harness';

const SENDER = 'app://test/';
const DAY = 86_400_000;

/** Timers whose live handles can be listed, to prove a refused payload never drops a planned reminder. */
function trackedTimers(): Timers & { live: Set<unknown> } {
  const live = new Set<unknown>();
  return {
    live,
    setTimeout(fn, ms) {
      const h = setTimeout(() => {
        live.delete(h);
        fn();
      }, Math.min(ms, 2 ** 31 - 1));
      live.add(h);
      return h;
    },
    clearTimeout(h) {
      live.delete(h);
      clearTimeout(h as NodeJS.Timeout);
    },
  };
}

const now = Date.now();
/** A valid rota that puts "alice" on call now, so reminders are planned. */
const validSync = {
  sources: [],
  schedules: [
    {
      id: 's1',
      name: 'Platform',
      timeZone: 'Europe/Berlin',
      layers: [{ id: 'l1', name: '', participants: ['alice', 'bob'], rotation: 'FREQ=WEEKLY', start: '2026-01-05', handoff: '09:00', restrictions: [] }],
      overrides: [],
      fixedShifts: [],
    },
  ],
  me: 'alice',
  timeZone: 'Europe/Berlin',
  language: 'en',
  reminderLeadMinutes: 15,
};

/** Hostile values a renderer (or an attacker in it) might send in any field. */
const hostile = fc.constantFrom<unknown>(
  'Not/AZone',
  'data:text/calendar,BEGIN:VCALENDAR',
  'http://10.0.0.1/feed.ics',
  'file:///etc/passwd',
  'javascript:alert(1)',
  'FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30',
  'FREQ=HOURLY;BYHOUR=25',
  '__proto__',
  'x'.repeat(100_000),
  -1,
  1e308,
  Number.NaN,
  null,
  [],
  {},
  { __proto__: { polluted: true } },
);

/** A sample valid payload per channel where one exists; fuzzing mutates it field by field. */
const samples: Partial<Record<InvokeChannel, unknown>> = {
  'rota:sync': validSync,
  'rota:refresh': { sourceId: 'nope' },
  'deliveries:confirm': { ids: ['x'] },
  'pages:acknowledge': { ids: ['alertmanager:none'] },
  'pager:seed': { pages: [], done: true },
  'settings:set-severity-fallback': { fallback: 'P3' },
  'shell:open-external': { url: 'https://runbooks.example.com/x' },
};

/** Replaces one value somewhere inside `value` with `replacement`. */
function mutate(value: unknown, path: number[], replacement: unknown): unknown {
  if (typeof value !== 'object' || value === null || path.length === 0) return replacement;
  const entries = Object.entries(value);
  if (entries.length === 0) return replacement;
  const [key, inner] = entries[path[0]! % entries.length]!;
  const copy: Record<string, unknown> = Array.isArray(value) ? ([...value] as unknown as Record<string, unknown>) : { ...value };
  copy[key] = mutate(inner, path.slice(1), replacement);
  return copy;
}

describe('IPC fuzz: every channel, 10,000 generated payloads each', () => {
  let services: MainServices;
  const timers = trackedTimers();
  const dataDir = testDataDir();
  const opened: string[] = [];

  beforeAll(async () => {
    services = await startMainServices({
      dataDir,
      notifier: { notify: () => undefined },
      tray: { setAttention: () => undefined },
      events: { emit: () => undefined },
      clock: { now: () => now },
      logger: { info: () => undefined, error: () => undefined },
      isTrustedSender: (url) => url === SENDER,
      openExternal: (url) => void opened.push(url),
      timers,
      pickFolder: async () => null,
    });
    const r = await services.router.handle('rota:sync', validSync, SENDER);
    expect(r).toEqual({ ok: true, value: undefined });
  });
  afterAll(async () => {
    await services.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const channels = Object.keys(invokeContract) as InvokeChannel[];

  it.each(channels)('%s: refused with a typed error or applied; planned reminders never lost', async (channel) => {
    const sample = samples[channel];
    const payload = sample === undefined ? fc.oneof(fc.anything(), hostile) : fc.oneof(fc.anything(), hostile, fc.tuple(fc.array(fc.nat(), { maxLength: 6 }), fc.oneof(fc.anything(), hostile)).map(([path, v]) => mutate(sample, path, v)));
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(payload, async (p) => {
        // a valid payload may re-plan (that is applying it); a refused one must leave every timer
        const reminders = new Set(timers.live);
        const result = await services.router.handle(channel, p, SENDER);
        expect(typeof result.ok).toBe('boolean');
        if (!result.ok) {
          refused++;
          expect(result.error.code).toMatch(/^[a-zA-Z][\w.]*$/);
          expect(typeof result.error.params).toBe('object');
          // nothing already planned is dropped by a refused payload
          if (channel === 'rota:sync') for (const h of reminders) expect(timers.live.has(h)).toBe(true);
        }
      }),
      { numRuns: 10_000 },
    );
    expect(refused).toBeGreaterThan(0);
    expect(opened.every((u) => /^https?:\/\//.test(u))).toBe(true);
  }, 120_000);

  it('a rota:sync with an unknown zone, a plain-http feed or an impossible RRULE is refused whole, reminders kept', async () => {
    const planned = new Set(timers.live);
    expect(planned.size).toBeGreaterThan(0);
    const bad = [
      { ...validSync, timeZone: 'Not/AZone' },
      { ...validSync, sources: [{ id: 'f', kind: 'ical', location: 'http://203.0.113.7/rota.ics', etag: null, lastModified: null }] },
      { ...validSync, sources: [{ id: 'f', kind: 'ical', location: 'data:text/calendar,BEGIN:VCALENDAR', etag: null, lastModified: null }] },
      { ...validSync, schedules: [{ ...validSync.schedules[0]!, layers: [{ ...validSync.schedules[0]!.layers[0]!, rotation: 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30' }] }] },
      { ...validSync, language: 'xx' },
    ];
    for (const payload of bad) {
      const r = await services.router.handle('rota:sync', payload, SENDER);
      expect(r.ok, JSON.stringify(payload).slice(0, 120)).toBe(false);
      if (!r.ok) expect(r.error.code).toBe('ipc.invalidPayload');
    }
    for (const h of planned) expect(timers.live.has(h)).toBe(true);
    // plain http on this machine stays allowed (a feed served locally, as in tests)
    const local = { ...validSync, sources: [{ id: 'f', kind: 'ical', location: 'http://127.0.0.1:1/rota.ics', etag: null, lastModified: null }] };
    expect((await services.router.handle('rota:sync', local, SENDER)).ok).toBe(true);
    void DAY;
  });
});
