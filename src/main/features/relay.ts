import * as path from 'node:path';
import { z } from 'zod';
import type { RelayEnvelope, RelayGap } from '../../core/relay/envelope';
import { relaySourceSettingsSchema } from '../../core/relay/source-settings';
import { createRelayClient, type CursorStore, type RelayClient, type RelayClientStatus } from '../relay/relay-client';
import { fileCursorStore, memoryCursorStore } from '../relay/cursor-store';
import type { Timers } from '../sources/http';

/** One relay as config.json keeps it; the subscriber token lives in the secret store (`relayTokenSecret`). */
export const relayEntrySchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, { message: 'lower-case letters, digits and dashes' }),
    name: z.string().min(1).max(80),
    enabled: z.boolean().default(true),
    mode: z.enum(['relay', 'smee']),
    url: z.string().min(1).max(2048),
    /** relay mode: the channel; its events name their source, which must be a configured source id. */
    channel: z.string().optional(),
    fallbackUrls: z.array(z.string()).max(8).optional(),
    /** smee mode: the configured source the channel's events are for. */
    source: z.string().optional(),
  })
  .strict();
/** A relay entry of config.json. */
export type RelayEntry = z.infer<typeof relayEntrySchema>;

/** The secret-store name of a relay's subscriber token. */
export const relayTokenSecret = (relayId: string) => `relay.${relayId}.token`;

/** A typed refusal of a relay entry, for Settings. */
export interface RelayEntryError {
  code: 'wrongShape';
  params: Record<string, string | number>;
}

/** Checks a relay entry together with its token, with the relay core's own settings schema. */
export function checkRelayEntry(raw: unknown, token: string | null): { ok: true; entry: RelayEntry; settings: z.infer<typeof relaySourceSettingsSchema> } | { ok: false; error: RelayEntryError } {
  const entry = relayEntrySchema.safeParse(raw);
  const fail = (issues: z.core.$ZodIssue[]) => {
    const first = issues[0];
    const field = first?.path.join('.') || '(entry)';
    return { ok: false as const, error: { code: 'wrongShape' as const, params: { what: 'relay', field, detail: `${field}: ${first?.message ?? 'invalid'}` } } };
  };
  if (!entry.success) return fail(entry.error.issues);
  const e = entry.data;
  const settings = relaySourceSettingsSchema.safeParse(
    e.mode === 'relay' ? { mode: 'relay', url: e.url, channel: e.channel, token: token ?? '', ...(e.fallbackUrls ? { fallbackUrls: e.fallbackUrls } : {}) } : { mode: 'smee', url: e.url, source: e.source },
  );
  if (!settings.success) return fail(settings.error.issues);
  return { ok: true, entry: e, settings: settings.data };
}

/** How long a new cursor may wait before it is written: one file write per burst, not per event. */
export const CURSOR_WRITE_MS = 250;

/** What the window has stored, by the outbox's marks (see Outbox.mark): what may move a relay cursor. */
export interface StoredMarks {
  mark(): number;
  confirmedThrough(): number;
  whenConfirmed(mark: number, signal?: AbortSignal): Promise<void>;
}

/** Ids waiting to be written beyond this are thinned (every other one goes): a window that stores nothing for days must not grow main's memory. */
const CURSOR_QUEUE_MAX = 1_000;

/**
 * A cursor written at most every `everyMs` (and at stop), not after every event. At 100 events/s a
 * write each (fsync and rename on main's thread) delays the next notification. If the app dies
 * before a write, the relay replays up to `everyMs` of events again; the pager ignores a signal that
 * changes nothing, so that costs a little work, not a page.
 *
 * The file moves only once the pages are on disk (`durable`) and, with `inWindow`, stored in the
 * window's Dexie: each id is kept with the outbox's mark at the time it was saved (its pages were
 * handed over by then), and the newest id whose mark the window has confirmed is written. `close`
 * gives up a write still waiting for the window (none is storing at quit): the file keeps an older
 * id, and the next start replays the difference, which the pager takes as no change.
 */
export function coalescedCursor(
  inner: CursorStore,
  timers: Timers,
  everyMs = CURSOR_WRITE_MS,
  onError: (err: Error) => void = () => undefined,
  durable: () => Promise<void> = () => Promise.resolve(),
  inWindow: StoredMarks | null = null,
): CursorStore & { flush(): Promise<void>; close(): Promise<void> } {
  // saved ids not yet written, oldest first, each with the outbox's mark when it was saved
  let queue: Array<{ id: string; mark: number }> = [];
  // being written now: newer than the file until the write lands
  let writing: string | null = null;
  let timer: unknown = null;
  // the write under way: a flush (at stop) waits for it, so nothing is still being written after
  let inflight: Promise<void> = Promise.resolve();
  const closing = new AbortController();
  const arm = () => {
    timer ??= timers.setTimeout(() => void flush(), everyMs);
  };
  // a failed write (disk full) is reported and kept for the next one; it never rejects, so a stop or
  // a settings rebuild that flushes is not cut short by it (the relay then replays a little more)
  const write = async () => {
    if (queue.length === 0) return;
    let entry: { id: string; mark: number } | null = null;
    try {
      // the pages up to these ids are journaled; the file says so only once they are on disk too
      await durable();
      if (inWindow) {
        if (inWindow.confirmedThrough() < queue[0]!.mark) {
          // quitting: what the window has not stored by now is replayed at the next start
          if (closing.signal.aborted) return;
          await inWindow.whenConfirmed(queue[0]!.mark, closing.signal);
        }
        const reached = inWindow.confirmedThrough();
        const last = queue.findLastIndex((e) => e.mark <= reached);
        entry = queue[last]!;
        queue = queue.slice(last + 1);
      } else {
        entry = queue.at(-1)!;
        queue = [];
      }
      writing = entry.id;
      await inner.save(entry.id);
    } catch (err) {
      if (entry) queue.unshift(entry);
      if ((err as Error).name !== 'AbortError') onError(err as Error);
    } finally {
      if (entry && writing === entry.id) writing = null;
    }
    // ids the window had not stored yet wait for the next round, even if no event comes
    if (queue.length > 0 && !closing.signal.aborted) arm();
  };
  const flush = () => {
    if (timer !== null) timers.clearTimeout(timer);
    timer = null;
    inflight = inflight.then(write);
    return inflight;
  };
  return {
    // what is waiting to be written is newer than the file
    load: async () => queue.at(-1)?.id ?? writing ?? inner.load(),
    async save(id) {
      const mark = inWindow?.mark() ?? 0;
      // an event that changed nothing adds no delivery: it shares the mark of the one before
      if (queue.at(-1)?.mark === mark) queue[queue.length - 1] = { id, mark };
      else queue.push({ id, mark });
      if (queue.length > CURSOR_QUEUE_MAX) queue = queue.filter((_, i) => i % 2 === 1 || i === queue.length - 1);
      arm();
    },
    flush,
    close() {
      closing.abort();
      return flush();
    },
  };
}

/** How often deliveries alone (a newer last event id and time) tell Settings; state changes tell it at once. */
export const DELIVERY_STATUS_MS = 1_000;

/**
 * Passes a client's status changes on to `notify`: a change of state, error or retry time at once,
 * a delivery alone at most once per `everyMs`. At 100 events/s every event moves "last delivery",
 * and telling the window each time (Settings' whole view, read and sent) is main's time taken from
 * the next page; Settings shows the time to the second anyway.
 */
export function statusRelay(notify: () => void, timers: Timers, everyMs = DELIVERY_STATUS_MS): { onStatus(status: RelayClientStatus): void; stop(): void } {
  let shown: RelayClientStatus | null = null;
  let timer: unknown = null;
  const cancel = () => {
    if (timer !== null) timers.clearTimeout(timer);
    timer = null;
  };
  return {
    onStatus(status) {
      const deliveryOnly = shown !== null && status.state === shown.state && status.lastError === shown.lastError && status.retryAt === shown.retryAt && status.replay === shown.replay;
      shown = status;
      if (!deliveryOnly) {
        cancel();
        notify();
        return;
      }
      timer ??= timers.setTimeout(() => {
        timer = null;
        notify();
      }, everyMs);
    },
    stop: cancel,
  };
}

/** What the relay feature needs from main. */
export interface RelayFeatureDeps {
  dataDir: string;
  fetch: typeof fetch;
  now: () => number;
  timers: Timers;
  random?: () => number;
  /**
   * Runs events, in order, through their sources' adapters into the pages; resolves once the
   * pages are journaled. A replay hands over hundreds at once, so the journal is written once for them.
   */
  deliver(envelopes: RelayEnvelope[]): Promise<void>;
  /** Resolves once what `deliver` journaled is on disk: the cursor file moves only after it. */
  durable?: () => Promise<void>;
  /** What the window has stored in Dexie: the cursor file moves only past ids whose pages it has (see coalescedCursor). */
  inWindow?: StoredMarks;
  onStatus(): void;
  /** A relay said events after the app's cursor are gone (see RelayGap). */
  onGap?(relay: RelayEntry, gap: RelayGap): void;
  /** A relay's connection is open again after being lost since `downSince` (see RelayClientDeps.onReconnected). */
  onReconnected?(relay: RelayEntry, downSince: number): void;
  /** Where a failed cursor write is reported. */
  logError?: (message: string) => void;
  backoff?: { initialMs?: number; maxMs?: number };
}

/** What Settings shows for one relay. */
export interface RelayInfo {
  id: string;
  name: string;
  mode: 'relay' | 'smee';
  url: string;
  channel: string | null;
  replay: boolean;
  state: RelayClientStatus['state'];
  lastDeliveryAt: number | null;
  lastError: { code: string; params: Record<string, string | number> } | null;
  retryAt: number | null;
  gap: RelayClientStatus['lastGap'];
}

/**
 * The relays the app subscribes to: one SSE client each, with a cursor file in the data folder so
 * a restart replays what was missed. Duplicate envelope ids (a replay overlapping a live stream)
 * are delivered once.
 */
export function setupRelays(deps: RelayFeatureDeps) {
  let clients: Array<{ entry: RelayEntry; client: RelayClient; cursor: ReturnType<typeof coalescedCursor>; status: ReturnType<typeof statusRelay> }> = [];
  const done = new Set<string>();
  const remember = (key: string) => {
    done.add(key);
    // enough to cover any overlap of replay and live stream; the oldest go first
    if (done.size > 20_000) done.delete(done.values().next().value!);
  };

  function start(entries: Array<{ entry: RelayEntry; settings: z.infer<typeof relaySourceSettingsSchema> }>): void {
    for (const { entry, settings } of entries) {
      if (!entry.enabled) continue;
      const cursor = coalescedCursor(
        settings.mode === 'smee' ? memoryCursorStore() : fileCursorStore(path.join(deps.dataDir, `relay-cursor-${entry.id}`)),
        deps.timers,
        CURSOR_WRITE_MS,
        (err) => deps.logError?.(`relay ${entry.id}: cannot save the last event id: ${err.message}`),
        deps.durable,
        deps.inWindow ?? null,
      );
      const deliverBatch = async (envelopes: RelayEnvelope[]): Promise<void> => {
        const keys = new Set<string>();
        const fresh = envelopes.filter((e) => {
          const key = `${entry.id}/${e.id}`;
          if (settings.mode === 'relay' && (done.has(key) || keys.has(key))) return false;
          keys.add(key);
          return true;
        });
        if (fresh.length === 0) return;
        await deps.deliver(settings.mode === 'smee' ? fresh.map((e) => ({ ...e, source: settings.source })) : fresh);
        for (const key of keys) remember(key);
      };
      const status = statusRelay(() => deps.onStatus(), deps.timers);
      const client = createRelayClient({
        source: settings,
        fetch: deps.fetch,
        now: deps.now,
        timers: deps.timers,
        ...(deps.random ? { random: deps.random } : {}),
        ...(deps.backoff ? { backoff: deps.backoff } : {}),
        cursor,
        onEvent: (envelope) => deliverBatch([envelope]),
        onEvents: deliverBatch,
        onStatus: status.onStatus,
        onGap: (gap) => deps.onGap?.(entry, gap),
        onReconnected: (downSince) => deps.onReconnected?.(entry, downSince),
      });
      clients.push({ entry, client, cursor, status });
      client.start();
    }
  }

  return {
    start,
    async stop(): Promise<void> {
      const old = clients;
      clients = [];
      await Promise.all(old.map((c) => c.client.stop()));
      for (const c of old) c.status.stop();
      // what the clients stored last is written now (if the window has it), so a restart replays nothing twice
      await Promise.all(old.map((c) => c.cursor.close()));
    },
    /** Resume or a network change: reconnect at once, replaying from the stored cursor. */
    reconnectAll(): void {
      for (const c of clients) c.client.reconnectNow();
    },
    /** Network back: relays waiting out a back-off connect now; open ones keep their stream. */
    reconnectWaiting(): void {
      for (const c of clients) if (c.client.status().state === 'waiting') c.client.reconnectNow();
    },
    /** True while some relay is still connecting, i.e. its replay has not started yet. */
    connecting: () => clients.some((c) => c.client.status().state === 'connecting'),
    infos(): RelayInfo[] {
      return clients.map(({ entry, client }) => {
        const s = client.status();
        const channel = entry.mode === 'relay' ? (entry.channel ?? null) : null;
        return { id: entry.id, name: entry.name, mode: entry.mode, url: entry.url, channel, replay: s.replay, state: s.state, lastDeliveryAt: s.lastDeliveryAt, lastError: s.lastError, retryAt: s.retryAt, gap: s.lastGap };
      });
    },
  };
}
/** The running relays. */
export type RelayFeature = ReturnType<typeof setupRelays>;
