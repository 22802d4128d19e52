import type { i18n } from 'i18next';
import { AppError } from '../../core/errors';
import type { RotaSourceRef, RotaSourceResult, RotaSync } from '../../core/ipc-contract';
import { formatShiftTime } from '../../core/rota/format';
import type { Schedule, Shift } from '../../core/rota/model';
import { myShifts, myStatus, successorOf } from '../../core/rota/status';
import type { Clock, Logger, RendererEvents, TrayAdapter } from '../adapters';
import { dnsLookup, fetchFeed, type HostLookup } from '../import/bounded-fetch';
import { createImportI18n, describeImportError } from '../import/describe';
import { ImportError } from '../import/errors';
import { createImportService, type ImportService } from '../import/import-service';
import type { Notifier } from '../services/notifier';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** Feeds are refetched this often; ETag makes an unchanged feed cost one small request. */
export const DEFAULT_POLL_MS = 5 * MINUTE;
/** Reminders are planned this far ahead and re-planned hourly (timers past ~24 days overflow anyway). */
const PLAN_AHEAD_MS = 2 * DAY;
/** A feed body is read up to this many bytes (after decompression), then refused. */
export const MAX_FEED_BYTES = 20 * 1024 * 1024;
/** The rota file looked for in a folder source, first found wins. */
export const ROTA_FILE_NAMES = ['rota.yaml', 'rota.yml', 'rota.json'];

/**
 * A rota:sync main could not apply (e.g. an unknown time zone); nothing of it was applied. Its
 * text is `errors.rotaSyncRefused` with the reason.
 */
export class RotaSyncRefused extends AppError {
  constructor(reason: string) {
    super('rotaSyncRefused', { reason }, `rota settings refused, the reminders already planned stay: ${reason}`);
    this.name = 'RotaSyncRefused';
  }
}

/** Timer functions, injected so tests can use fake timers. */
export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The file system as the rota folder source needs it; reads are bounded (see rota-fs.ts). */
export interface RotaFs {
  readFirst(folder: string, names: string[]): Promise<{ name: string; bytes: Uint8Array } | null>;
  watch(folder: string, onChange: () => void): () => void;
}

/** What the rota in main needs; everything injectable for tests. */
export interface RotaDeps {
  clock: Clock;
  timers: Timers;
  fetch: typeof fetch;
  fs: RotaFs;
  notifier: Notifier;
  tray: TrayAdapter;
  events: RendererEvents;
  logger: Logger;
  pollMs?: number;
  /** Runs the importers off main's event loop; one of its own (stopped with the rota) by default. */
  imports?: ImportService;
  /** Resolves feed host names for the redirect checks; DNS by default. */
  lookup?: HostLookup;
  maxFeedBytes?: number;
}

interface Running {
  ref: RotaSourceRef;
  stop: () => void;
}

/** The rota in main: polls feeds, watches the rota folder, fires shift reminders, fills the tray line. */
export function setupRota(deps: RotaDeps) {
  let state: RotaSync = { sources: [], schedules: [], me: '', timeZone: 'UTC', language: 'en', reminderLeadMinutes: 15 };
  let i18n: i18n = createImportI18n('en');
  let t: i18n['t'] = i18n.t;
  const imports = deps.imports ?? createImportService();
  const running = new Map<string, Running>();
  const fired = new Set<string>();
  let reminderTimers: unknown[] = [];
  let replanTimer: unknown = null;
  const syncListeners = new Set<() => void>();

  const emit = (result: RotaSourceResult) => deps.events.emit('rota:source-result', result);
  const fmt = (ms: number) => formatShiftTime(ms, state.timeZone, state.language, deps.clock.now());

  function refused(ref: RotaSourceRef, at: number, err: unknown): void {
    const error = describeImportError(err, ref.location, i18n);
    deps.logger.error(`rota ${ref.kind} ${ref.location}: ${err instanceof Error ? err.message : String(err)}`);
    emit({ status: 'error', sourceId: ref.id, at, error });
  }

  async function pollFeed(ref: RotaSourceRef): Promise<void> {
    const at = deps.clock.now();
    try {
      const headers: Record<string, string> = { accept: 'text/calendar' };
      if (ref.etag) headers['if-none-match'] = ref.etag;
      if (ref.lastModified) headers['if-modified-since'] = ref.lastModified;
      const res = await fetchFeed(ref.location, {
        fetch: deps.fetch,
        maxBytes: deps.maxFeedBytes ?? MAX_FEED_BYTES,
        headers,
        signal: AbortSignal.timeout(30_000),
        lookup: deps.lookup ?? dnsLookup,
      });
      if (res.status === 'unchanged') return emit({ status: 'unchanged', sourceId: ref.id, at });
      // parsed in the worker: a feed that spins ical.js costs its budget, not main's event loop
      const feed = await imports.run('ical', { bytes: res.bytes, from: at - 30 * DAY, to: at + 365 * DAY, ...(state.me ? { owner: state.me } : {}) });
      const schedule: Schedule = { id: ref.id, name: feed.name ?? ref.location, timeZone: feed.timeZone ?? state.timeZone, layers: [], overrides: [], fixedShifts: feed.shifts };
      emit({ status: 'updated', sourceId: ref.id, at, schedules: [schedule], etag: res.etag, lastModified: res.lastModified });
    } catch (err) {
      refused(ref, at, err);
    }
  }

  async function readFolder(ref: RotaSourceRef): Promise<void> {
    const at = deps.clock.now();
    try {
      const file = await deps.fs.readFirst(ref.location, ROTA_FILE_NAMES);
      if (!file) throw new ImportError('imports.noRotaFile', { names: ROTA_FILE_NAMES.join(' / ') });
      const parsed = await imports.run('rota-file', { bytes: file.bytes, fileName: file.name });
      const schedules = parsed.map((s) => ({ ...s, id: `${ref.id}:${s.id}` }));
      emit({ status: 'updated', sourceId: ref.id, at, schedules, etag: null, lastModified: null });
    } catch (err) {
      refused(ref, at, err);
    }
  }

  function start(ref: RotaSourceRef): Running {
    if (ref.kind === 'ical') {
      let timer: unknown = null;
      let stopped = false;
      const loop = () => {
        void pollFeed(running.get(ref.id)?.ref ?? ref).finally(() => {
          if (!stopped) timer = deps.timers.setTimeout(loop, deps.pollMs ?? DEFAULT_POLL_MS);
        });
      };
      loop();
      const stop = () => {
        stopped = true;
        deps.timers.clearTimeout(timer);
      };
      return { ref, stop };
    }
    void readFolder(ref);
    let debounce: unknown = null;
    const unwatch = deps.fs.watch(ref.location, () => {
      // editors write a file in several steps; read once they are done
      deps.timers.clearTimeout(debounce);
      debounce = deps.timers.setTimeout(() => void readFolder(ref), 250);
    });
    const stop = () => {
      unwatch();
      deps.timers.clearTimeout(debounce);
    };
    return { ref, stop };
  }

  function reconcile(sources: RotaSourceRef[]): void {
    const wanted = new Map(sources.map((s) => [s.id, s]));
    for (const [id, r] of running) {
      const next = wanted.get(id);
      if (!next || next.location !== r.ref.location || next.kind !== r.ref.kind) {
        r.stop();
        running.delete(id);
      } else r.ref = next; // keep polling, now with the etag the renderer has stored
    }
    for (const ref of sources) if (!running.has(ref.id)) running.set(ref.id, start(ref));
  }

  function trayLine(now: number): string | null {
    if (!state.me.trim()) return null;
    const { current, next } = myStatus(state.schedules, state.me, now);
    if (current) return t('rota.trayOnCall', { time: fmt(current.end) });
    if (next) return t('rota.trayOffCall', { time: fmt(next.start) });
    return t('rota.trayNoShift');
  }

  function remind(key: string, title: string, body: string, route?: string): void {
    if (fired.has(key)) return;
    fired.add(key);
    deps.notifier.notify({ title, body, urgency: 'normal', pageId: key, ...(route ? { route } : {}) });
  }

  function scheduleOf(shift: Shift): Schedule | undefined {
    return state.schedules.find((s) => s.id === shift.schedule);
  }

  /**
   * Plans reminders and the tray line for the next two days. Everything that can throw (a zone or
   * rule main has not seen before) runs before anything already planned is dropped.
   */
  function plan(): void {
    const now = deps.clock.now();
    fmt(now); // an unknown zone throws here, not later inside a timer
    const line = trayLine(now);
    const lead = state.reminderLeadMinutes * MINUTE;
    const due: Array<{ when: number; fn: () => void }> = [];
    const at = (when: number, fn: () => void) => {
      if (when >= now && when <= now + PLAN_AHEAD_MS) due.push({ when, fn });
    };
    for (const shift of myShifts(state.schedules, state.me, now - lead, now + PLAN_AHEAD_MS + lead)) {
      const schedule = scheduleOf(shift);
      const name = schedule?.name ?? shift.schedule;
      at(shift.start - lead, () => {
        remind(`start:${shift.schedule}:${shift.start}`, t('rota.reminderStartTitle', { minutes: state.reminderLeadMinutes }), t('rota.reminderStartBody', { schedule: name, start: fmt(shift.start), end: fmt(shift.end) }));
        deps.tray.setRotaLine?.(trayLine(deps.clock.now()));
      });
      // the tray flips to "On call until …" the moment the shift begins
      at(shift.start, () => deps.tray.setRotaLine?.(trayLine(deps.clock.now())));
      at(shift.end, () => {
        const successor = schedule ? successorOf(schedule, shift) : null;
        // a click opens the shift handover, prefilled from this shift
        remind(`end:${shift.schedule}:${shift.end}`, t('rota.reminderEndTitle'), successor ? t('rota.reminderEndBody', { schedule: name, next: successor }) : t('rota.reminderEndNobody', { schedule: name }), '#/incidents/handover');
        deps.tray.setRotaLine?.(trayLine(deps.clock.now()));
      });
    }
    reminderTimers.forEach((h) => deps.timers.clearTimeout(h));
    deps.timers.clearTimeout(replanTimer);
    reminderTimers = due.map(({ when, fn }) => deps.timers.setTimeout(fn, when - now));
    deps.tray.setRotaLine?.(line);
    replanTimer = deps.timers.setTimeout(replan, 60 * MINUTE);
  }

  /** Hourly and on wake-up: a failure is logged and the previous plan stays, never an uncaught throw. */
  function replan(): void {
    try {
      plan();
    } catch (err) {
      deps.logger.error(`rota: re-planning reminders failed, keeping the previous plan: ${(err as Error).message}`);
      replanTimer = deps.timers.setTimeout(replan, 60 * MINUTE);
    }
  }

  return {
    handlers: {
      'rota:sync': (next: RotaSync) => {
        const before = { state, i18n, t };
        if (next.language !== state.language) {
          i18n = createImportI18n(next.language);
          t = i18n.t;
        }
        state = next;
        try {
          plan();
        } catch (err) {
          // refused whole: the old settings, sources and planned reminders stay as they were
          ({ state, i18n, t } = before);
          throw new RotaSyncRefused((err as Error).message);
        }
        reconcile(next.sources);
        for (const l of syncListeners) l();
      },
      'rota:refresh': ({ sourceId }: { sourceId: string }) => {
        const r = running.get(sourceId);
        if (!r) throw new Error(`no rota source ${sourceId}`);
        void (r.ref.kind === 'ical' ? pollFeed(r.ref) : readFolder(r.ref));
      },
    },
    /** Am I on call at `now`, when that changes, and my zone: for the alarms' quiet hours and self-test offer. */
    mine(now: number): { view: { onCall: boolean; changesAt: number | null } | null; timeZone: string } {
      if (!state.me.trim()) return { view: null, timeZone: state.timeZone };
      const { current, next } = myStatus(state.schedules, state.me, now);
      return { view: current ? { onCall: true, changesAt: current.end } : { onCall: false, changesAt: next?.start ?? null }, timeZone: state.timeZone };
    },
    /** When my shifts start in [from, to): the shift-start checklist reminds before each. */
    myShiftStarts(from: number, to: number): number[] {
      if (!state.me.trim()) return [];
      return myShifts(state.schedules, state.me, from, to).map((s) => s.start).filter((t) => t >= from && t < to);
    },
    /** Called after every accepted rota sync (the alarms re-evaluate then). */
    onSynced(listener: () => void): () => void {
      syncListeners.add(listener);
      return () => void syncListeners.delete(listener);
    },
    /** After sleep the timers are stale: re-plan and re-poll (wired to powerMonitor 'resume'). */
    resume(): void {
      replan();
      for (const r of running.values()) void (r.ref.kind === 'ical' ? pollFeed(r.ref) : readFolder(r.ref));
    },
    stop(): void {
      for (const r of running.values()) r.stop();
      running.clear();
      reminderTimers.forEach((h) => deps.timers.clearTimeout(h));
      deps.timers.clearTimeout(replanTimer);
      if (!deps.imports) void imports.stop();
    },
  };
}
