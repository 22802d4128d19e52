import { compareEventIds, EMPTY_CHANNEL_ID, relayEnvelopeSchema, relayEventIdSchema, relayGapSchema, RELAY_GAP_EVENT, RELAY_SSE_EVENT, type RelayEnvelope, type RelayGap } from '../../core/relay/envelope';
import { createSseParser, type SseEvent } from '../../core/relay/sse-parser';
import { smeeToEnvelope } from './smee';

/** A relay source: the team's relay (with replay) or a smee.io channel (degraded, no replay). */
export type RelaySourceConfig =
  | { mode: 'relay'; url: string; channel: string; token: string; /** Other instances of the same relay (Redis backend), tried in turn after a failure. */ fallbackUrls?: string[] }
  | { mode: 'smee'; url: string; source: string };

/** Where the client keeps the id of the last event the app has stored. */
export interface CursorStore {
  load(): Promise<string | null>;
  save(id: string): Promise<void>;
}

/** Timers, injected so tests can drive back-off with a fake clock. */
export interface ClientTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Why the client is not connected; the catalog (relay.client.errors.<code>) holds the texts. */
export const RELAY_CLIENT_ERROR_CODES = ['unauthorized', 'unknownChannel', 'tooManySubscribers', 'httpStatus', 'notEventStream', 'network', 'streamEnded', 'stalled', 'badEvent', 'handlerFailed'] as const;
/** One of RELAY_CLIENT_ERROR_CODES. */
export type RelayClientErrorCode = (typeof RELAY_CLIENT_ERROR_CODES)[number];

/** A typed error: a code plus parameters for the message. */
export interface RelayClientError {
  code: RelayClientErrorCode;
  params: Record<string, string | number>;
}

/** What the UI shows about a relay source. */
export interface RelayClientStatus {
  state: 'idle' | 'connecting' | 'connected' | 'waiting' | 'stopped';
  mode: 'relay' | 'smee';
  /** False for smee.io: "no replay: events sent while you are offline are lost" (relay.client.noReplay). */
  replay: boolean;
  lastEventId: string | null;
  lastDeliveryAt: number | null;
  lastError: RelayClientError | null;
  /** When the next attempt is due, while waiting. */
  retryAt: number | null;
  /** The last gap the relay reported (events it no longer had), with when it said so; null when none this run. */
  lastGap: (RelayGap & { at: number }) | null;
}

/** Everything the client needs from outside. */
export interface RelayClientDeps {
  source: RelaySourceConfig;
  fetch: typeof fetch;
  now: () => number;
  timers: ClientTimers;
  random?: () => number;
  cursor: CursorStore;
  /** Resolves only once the page is stored; the cursor moves only after that. A rejection redelivers. */
  onEvent(envelope: RelayEnvelope): Promise<void>;
  /**
   * Optional: takes the events one read of the stream brought, in order, in one call (a replay
   * comes in hundreds per read). Used instead of `onEvent`; the cursor moves once per batch, after
   * it resolves, so storing costs one journal write per batch rather than per event.
   */
  onEvents?(envelopes: RelayEnvelope[]): Promise<void>;
  onStatus?(status: RelayClientStatus): void;
  /**
   * The relay says events after our cursor are gone (older than its retention, or its data was
   * reset). Called before the replay that follows, once the cursor has moved past what is gone.
   */
  onGap?(gap: RelayGap): void;
  /**
   * A connection is open again after one was lost (not the first, and not one dropped by
   * `reconnectNow`, whose caller knows): `downSince` is when the last one ended. Called before any
   * replayed event is handed over, so the caller can treat the replay as a catch-up.
   */
  onReconnected?(downSince: number): void;
  /** Back-off: first delay, cap, and how long a silent stream is trusted (pings come every 15 s). */
  backoff?: { initialMs?: number; maxMs?: number };
  stallMs?: number;
}

/** A running subscription. */
export interface RelayClient {
  start(): void;
  /** Drops the current connection and connects at once (on resume from sleep, or a network change). */
  reconnectNow(): void;
  stop(): Promise<void>;
  status(): RelayClientStatus;
}

/** The back-off delay before attempt `n` (0-based): exponential, capped, with "equal jitter". */
export function backoffDelay(attempt: number, initialMs: number, maxMs: number, random: () => number): number {
  const ceiling = Math.min(maxMs, initialMs * 2 ** Math.min(attempt, 30));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** The most events handed over in one batch: bounds memory and the size of one journal entry. */
const MAX_BATCH = 2_000;

/**
 * What went wrong on the network, in words that name it: fetch's own message is only "fetch failed",
 * and the reason (refused, no such host, timed out, and where) is in its cause.
 */
export function networkMessage(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const cause = err instanceof Error ? (err.cause as { message?: unknown; code?: unknown } | undefined) : undefined;
  const detail = typeof cause?.message === 'string' && cause.message !== '' ? cause.message : typeof cause?.code === 'string' ? cause.code : null;
  return detail === null || message.includes(detail) ? message : `${message} (${detail})`;
}

class StreamFailure extends Error {
  constructor(readonly detail: RelayClientError) {
    super(detail.code);
  }
}

/**
 * Subscribes to a relay channel (or a smee.io channel) and hands each event to `onEvent`, one at a time
 * and in order. It reconnects with exponential back-off plus jitter, sending the last stored id as
 * Last-Event-ID, so the relay replays what was missed.
 */
export function createRelayClient(deps: RelayClientDeps): RelayClient {
  const { source } = deps;
  const random = deps.random ?? Math.random;
  const initialMs = deps.backoff?.initialMs ?? 1000;
  const maxMs = deps.backoff?.maxMs ?? 60_000;
  const stallMs = deps.stallMs ?? 45_000;
  const smee = source.mode === 'smee';
  let status: RelayClientStatus = { state: 'idle', mode: source.mode, replay: !smee, lastEventId: null, lastDeliveryAt: null, lastError: null, retryAt: null, lastGap: null };
  let attempt = 0;
  let retryTimer: unknown = null;
  let abort: AbortController | null = null;
  let running: Promise<void> | null = null;
  let stopped = false;
  let serverRetryMs: number | null = null;
  let smeeSeq = 0;
  const urls = smee ? [source.url] : [source.url, ...(source.fallbackUrls ?? [])];
  let urlIndex = 0;
  let immediate = false;
  /** When an open connection was last lost (null: none lost since the last open one, or never opened). */
  let droppedAt: number | null = null;

  const update = (patch: Partial<RelayClientStatus>) => {
    status = { ...status, ...patch };
    deps.onStatus?.(status);
  };

  function streamUrl(): string {
    const base = urls[urlIndex % urls.length]!;
    if (smee) return base;
    return `${base.replace(/\/+$/, '')}/channels/${encodeURIComponent(source.channel)}/events`;
  }

  function toEnvelope(ev: SseEvent): RelayEnvelope | null {
    if (smee) {
      const envelope = smeeToEnvelope(ev, { channel: new URL(source.url).pathname.slice(1), source: source.source, seq: smeeSeq, now: deps.now() });
      if (envelope) smeeSeq++;
      return envelope;
    }
    if (ev.event !== RELAY_SSE_EVENT) return null;
    let json: unknown;
    try {
      json = JSON.parse(ev.data);
    } catch {
      throw new StreamFailure({ code: 'badEvent', params: { id: ev.id } });
    }
    const parsed = relayEnvelopeSchema.safeParse(json);
    if (!parsed.success || parsed.data.id !== ev.id) throw new StreamFailure({ code: 'badEvent', params: { id: ev.id } });
    return parsed.data;
  }

  /**
   * A gap frame from the relay: reported (a malformed one as a bad event), never stored. The cursor
   * moves past what is gone, so the next reconnect does not report the same gap again: to the last
   * dropped id (retention), or to the start (reset: all the relay has is news, and comes next).
   */
  async function gap(ev: SseEvent): Promise<void> {
    let json: unknown = null;
    try {
      json = JSON.parse(ev.data);
    } catch {
      // reported below as a bad event
    }
    const parsed = relayGapSchema.safeParse(json);
    if (!parsed.success) {
      update({ lastError: { code: 'badEvent', params: { id: ev.id } } });
      return;
    }
    const lost = parsed.data;
    const cursor = await deps.cursor.load();
    const past = lost.reason === 'reset' ? EMPTY_CHANNEL_ID : lost.lostThrough;
    if (lost.reason === 'reset' || cursor === null || compareEventIds(cursor, past) < 0) await deps.cursor.save(past);
    update({ lastGap: { ...lost, at: deps.now() } });
    deps.onGap?.(lost);
  }

  const isGap = (ev: SseEvent) => !smee && ev.event === RELAY_GAP_EVENT;

  async function deliver(ev: SseEvent): Promise<void> {
    if (isGap(ev)) {
      await gap(ev);
      return;
    }
    let envelope: RelayEnvelope | null;
    try {
      envelope = toEnvelope(ev);
    } catch (err) {
      if (!(err instanceof StreamFailure)) throw err;
      // Asking again would bring the same bytes and block every page behind them: report it and move on.
      if (!smee && relayEventIdSchema.safeParse(ev.id).success) await deps.cursor.save(ev.id);
      update({ lastError: err.detail });
      return;
    }
    if (!envelope) return;
    try {
      await deps.onEvent(envelope);
    } catch (err) {
      throw new StreamFailure({ code: 'handlerFailed', params: { id: envelope.id, message: (err as Error).message } });
    }
    // Only now is the page stored: from here on a reconnect must not ask for it again.
    if (!smee) await deps.cursor.save(envelope.id);
    update({ lastEventId: envelope.id, lastDeliveryAt: deps.now() });
  }

  /** Hands over the events of one read: as one batch when the handler takes batches, else one by one. */
  async function deliverAll(events: SseEvent[]): Promise<void> {
    const onEvents = deps.onEvents;
    if (!onEvents) {
      for (const ev of events) {
        if (stopped) return;
        await deliver(ev);
      }
      return;
    }
    let batch: RelayEnvelope[] = [];
    const flush = async () => {
      if (batch.length === 0 || stopped) return;
      const taken = batch;
      batch = [];
      try {
        await onEvents(taken);
      } catch (err) {
        throw new StreamFailure({ code: 'handlerFailed', params: { id: taken[0]!.id, message: (err as Error).message } });
      }
      const last = taken.at(-1)!;
      if (!smee) await deps.cursor.save(last.id);
      update({ lastEventId: last.id, lastDeliveryAt: deps.now() });
    };
    for (const ev of events) {
      if (isGap(ev)) {
        // said before the events that follow it, which it explains
        await flush();
        if (stopped) return;
        await gap(ev);
        continue;
      }
      let envelope: RelayEnvelope | null;
      try {
        envelope = toEnvelope(ev);
      } catch (err) {
        if (!(err instanceof StreamFailure)) throw err;
        // as in deliver(): the events before it are stored first, then the bad one is stepped over
        await flush();
        if (stopped) return;
        if (!smee && relayEventIdSchema.safeParse(ev.id).success) await deps.cursor.save(ev.id);
        update({ lastError: err.detail });
        continue;
      }
      if (envelope) batch.push(envelope);
    }
    await flush();
  }

  /** Whether the current attempt got as far as an open stream. */
  let opened = false;

  async function connectOnce(): Promise<void> {
    opened = false;
    const ac = new AbortController();
    abort = ac;
    const lastId = smee ? null : await deps.cursor.load();
    const headers: Record<string, string> = { accept: 'text/event-stream', 'cache-control': 'no-store' };
    if (!smee) headers.authorization = `Bearer ${source.token}`;
    if (lastId) headers['last-event-id'] = lastId;
    if (lastId) update({ lastEventId: lastId });
    let res: Response;
    try {
      res = await deps.fetch(streamUrl(), { headers, signal: ac.signal });
    } catch (err) {
      throw new StreamFailure({ code: 'network', params: { message: networkMessage(err) } });
    }
    if (res.status !== 200 || !res.body) {
      const code: RelayClientErrorCode = res.status === 401 ? 'unauthorized' : res.status === 404 ? 'unknownChannel' : res.status === 429 ? 'tooManySubscribers' : 'httpStatus';
      // The relay says why in {"error": "<code>"}; relay.errors.<code> has the text for the UI.
      const refusal = await res.text().then((t) => (JSON.parse(t) as { error?: unknown }).error, () => undefined).catch(() => undefined);
      throw new StreamFailure({ code, params: typeof refusal === 'string' && /^\w{1,40}$/.test(refusal) ? { status: res.status, refusal } : { status: res.status } });
    }
    const contentType = res.headers.get('content-type') ?? '';
    if (!/^text\/event-stream\b/i.test(contentType)) {
      // A hotel Wi-Fi login page answers 200 too; reading it as events would only look like silence.
      await res.body.cancel().catch(() => undefined);
      throw new StreamFailure({ code: 'notEventStream', params: { contentType: contentType.slice(0, 60) || '(none)' } });
    }
    attempt = 0;
    update({ state: 'connected', lastError: null });
    opened = true;
    if (droppedAt !== null) {
      const since = droppedAt;
      droppedAt = null;
      deps.onReconnected?.(since);
    }
    const pending: SseEvent[] = [];
    // Where the relay says "now" is, on a subscription without Last-Event-ID (see savePosition)
    let position: string | null = null;
    const parser = createSseParser(
      {
        onEvent: (e) => pending.push(e),
        onRetry: (ms) => (serverRetryMs = ms),
        onBareId: (id) => {
          if (!smee && lastId === null && relayEventIdSchema.safeParse(id).success) position = id;
        },
      },
      lastId ?? '',
    );
    /**
     * With no cursor yet (the first subscription), the relay streams from "now" and says which id
     * that is. It is kept at once: there is no page to store first, and without it an app that quits
     * before its first event would come back with no Last-Event-ID and miss what came meanwhile.
     */
    const savePosition = async () => {
      if (position === null) return;
      const id = position;
      position = null;
      await deps.cursor.save(id);
      update({ lastEventId: id });
    };
    const reader = res.body.getReader();
    // A fetch that ignores the signal would leave read() pending for ever; cancelling settles it.
    ac.signal.addEventListener('abort', () => void reader.cancel().catch(() => undefined), { once: true });
    const abortReason = () => (ac.signal.reason instanceof StreamFailure ? ac.signal.reason : null);
    const decoder = new TextDecoder();
    let stallTimer: unknown = null;
    const disarmStall = () => {
      if (stallTimer !== null) deps.timers.clearTimeout(stallTimer);
      stallTimer = null;
    };
    const armStall = () => {
      disarmStall();
      stallTimer = deps.timers.setTimeout(() => ac.abort(new StreamFailure({ code: 'stalled', params: { seconds: Math.round(stallMs / 1000) } })), stallMs);
    };
    // a read begun while looking for more, still to be awaited
    let ahead: ReturnType<typeof reader.read> | null = null;
    try {
      armStall();
      for (;;) {
        let chunk: Awaited<ReturnType<typeof reader.read>>;
        try {
          chunk = await (ahead ?? reader.read());
          ahead = null;
        } catch (err) {
          throw abortReason() ?? new StreamFailure({ code: 'network', params: { message: networkMessage(err) } });
        }
        if (chunk.done) throw abortReason() ?? new StreamFailure({ code: 'streamEnded', params: {} });
        // The silence clock runs only while waiting for the relay, not while the app stores pages.
        disarmStall();
        parser.push(decoder.decode(chunk.value, { stream: true }));
        // A replay arrives faster than it is stored: take what has arrived meanwhile too, so one
        // batch (one journal write) holds hundreds of events rather than one read's worth.
        while (deps.onEvents && pending.length < MAX_BATCH) {
          const next = reader.read();
          // awaited later (or never, when the stream is cancelled): its failure must not go unhandled meanwhile
          next.catch(() => undefined);
          let more: Awaited<typeof next> | null;
          try {
            more = await Promise.race([next, new Promise<null>((resolve) => setImmediate(() => resolve(null)))]);
          } catch (err) {
            throw abortReason() ?? new StreamFailure({ code: 'network', params: { message: networkMessage(err) } });
          }
          if (more === null || more.done) {
            ahead = next;
            break;
          }
          parser.push(decoder.decode(more.value, { stream: true }));
        }
        // the position frame comes before any event, so it is kept before any event's id
        await savePosition();
        // Reading waits while events are stored, so a slow store slows the stream, not memory.
        await deliverAll(pending.splice(0));
        if (stopped) return;
        armStall();
      }
    } finally {
      disarmStall();
      ac.abort();
      await reader.cancel().catch(() => undefined);
    }
  }

  function schedule(error: RelayClientError | null): void {
    if (stopped) return;
    // Another instance shares the same stream ids (Redis), so Last-Event-ID means the same thing there.
    if (error && error.code !== 'handlerFailed' && !immediate) urlIndex++;
    const delay = immediate ? 0 : backoffDelay(attempt, Math.max(initialMs, serverRetryMs ?? 0), maxMs, random);
    immediate = false;
    attempt++;
    update({ state: 'waiting', lastError: error, retryAt: deps.now() + delay });
    retryTimer = deps.timers.setTimeout(() => {
      retryTimer = null;
      run();
    }, delay);
  }

  function run(): void {
    if (stopped || running) return;
    update({ state: 'connecting', retryAt: null });
    running = connectOnce()
      .then(
        () => null,
        (err: unknown) => (err instanceof StreamFailure ? err.detail : { code: 'network' as const, params: { message: String((err as Error)?.message ?? err) } }),
      )
      .then((error) => {
        running = null;
        // a drop asked for by reconnectNow (resume, network back) is its caller's catch-up, not news
        if (opened && !immediate) droppedAt = deps.now();
        opened = false;
        if (!stopped) schedule(error);
      });
  }

  return {
    start() {
      stopped = false;
      run();
    },
    reconnectNow() {
      if (stopped) return;
      if (retryTimer !== null) {
        deps.timers.clearTimeout(retryTimer);
        retryTimer = null;
      }
      attempt = 0;
      immediate = true;
      if (running) abort?.abort(new StreamFailure({ code: 'network', params: { message: 'reconnect requested' } }));
      else {
        immediate = false;
        run();
      }
    },
    async stop() {
      stopped = true;
      if (retryTimer !== null) deps.timers.clearTimeout(retryTimer);
      retryTimer = null;
      abort?.abort();
      await running;
      update({ state: 'stopped', retryAt: null });
    },
    status: () => status,
  };
}
