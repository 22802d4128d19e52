import type * as http from 'node:http';
import { compareEventIds, EMPTY_CHANNEL_ID, parseEventId, RELAY_GAP_EVENT, RELAY_SSE_EVENT, relayGapSchema, type RelayEnvelope, type RelayGap } from '../../src/core/relay/envelope';
import { bearerToken, secretMatches } from './auth';
import type { ChannelConfig } from './config';
import { refuse } from './http-util';
import type { EventStore, StoredEvent } from './store/types';

/** What subscriptions need from the relay. */
export interface SubscribeDeps {
  channels: Record<string, ChannelConfig>;
  store: EventStore;
  maxSubscribersPerChannel: number;
  slowClientMs: number;
  /** The ping interval, also the TCP keep-alive delay of SSE sockets. */
  pingMs?: number;
  maxBufferedBytes: number;
  onReplayed: (channel: string, n: number) => void;
  onRefused: (channel: string, code: string) => void;
  /** A subscriber was told that part of what it asked for is gone. */
  onGap?: (channel: string, reason: RelayGap['reason']) => void;
}

/** One connected SSE client. */
export interface Subscriber {
  channel: string;
  /** The id of the last event written to this client. */
  cursor(): string | null;
  /**
   * Writes a comment; disconnects the client when its socket is backed up past the limit, or when
   * bytes wait in it and none went out since the ping before last (a half-open connection).
   */
  ping(): void;
  close(): void;
}

const READ_BATCH = 500;

/**
 * Events sent in one write during a replay. A write per event sent 10,000 small TCP segments for a
 * 10,000-event replay, and the app, reading whatever had arrived, took them in batches of a few
 * events, each with its own journal write and alarm evaluation. Live events come one at a time anyway.
 */
const FRAMES_PER_WRITE = 100;

/** One SSE frame for a stored event. */
export function sseFrame(ev: StoredEvent): string {
  const envelope: RelayEnvelope = { id: ev.id, channel: ev.channel, source: ev.source, receivedAt: ev.receivedAt, headers: ev.headers, body: ev.body.toString('base64'), bodyExact: true };
  return `id: ${ev.id}\nevent: ${RELAY_SSE_EVENT}\ndata: ${JSON.stringify(envelope)}\n\n`;
}

/**
 * The `gap` frame. No `id:` line: it must not move the client's cursor, which stays at its own
 * Last-Event-ID until a real event arrives. The data is checked against the shared schema, the one
 * the app parses it with.
 */
export function gapFrame(gap: RelayGap): string {
  return `event: ${RELAY_GAP_EVENT}\ndata: ${JSON.stringify(relayGapSchema.parse(gap))}\n\n`;
}

/**
 * What a subscriber coming back from `after` has lost, if anything: `newest` is the newest id the
 * channel ever held (null: none) and `trimmed` the newest id retention dropped (null: none).
 * A relay with nothing as new as `after` was reset; otherwise events up to `trimmed` went by retention.
 */
export function findGap(after: string, newest: string | null, trimmed: string | null): RelayGap | null {
  if (newest === null ? after !== EMPTY_CHANNEL_ID : compareEventIds(newest, after) < 0) return { after, reason: 'reset', lostThrough: newest ?? EMPTY_CHANNEL_ID };
  if (trimmed !== null && compareEventIds(after, trimmed) < 0) return { after, reason: 'retention', lostThrough: trimmed };
  return null;
}

/**
 * GET /channels/:channel/events. Replays everything after Last-Event-ID, then goes live. A subscriber
 * pulls from the store from its own cursor whenever the store signals an append, so the switch from
 * replay to live can neither skip nor repeat an event.
 */
export async function handleSubscribe(deps: SubscribeDeps, subscribers: Set<Subscriber>, req: http.IncomingMessage, res: http.ServerResponse, url: URL, channel: string): Promise<void> {
  const ch = Object.hasOwn(deps.channels, channel) ? deps.channels[channel] : undefined;
  if (!ch) {
    deps.onRefused('', 'unknownChannel');
    refuse(res, 404, 'unknownChannel', `unknown channel "${channel.slice(0, 64)}"`);
    return;
  }
  const token = bearerToken(req.headers.authorization) ?? url.searchParams.get('token');
  if (!token || !secretMatches(token, ch.subscriberToken)) {
    deps.onRefused(channel, token ? 'wrongToken' : 'missingToken');
    refuse(res, 401, token ? 'wrongToken' : 'missingToken', token ? 'wrong subscriber token' : 'missing subscriber token (Authorization: Bearer or ?token=)');
    return;
  }
  const headerId = req.headers['last-event-id'];
  const lastEventId = (typeof headerId === 'string' && headerId.trim() !== '' ? headerId.trim() : null) ?? url.searchParams.get('lastEventId');
  if (lastEventId !== null && lastEventId !== '' && !parseEventId(lastEventId)) {
    deps.onRefused(channel, 'badLastEventId');
    refuse(res, 400, 'badLastEventId', 'Last-Event-ID must look like 1732190000000-0');
    return;
  }
  const full = () => {
    const current = [...subscribers].filter((s) => s.channel === channel).length;
    if (current < deps.maxSubscribersPerChannel) return false;
    deps.onRefused(channel, 'tooManySubscribers');
    refuse(res, 429, 'tooManySubscribers', `channel already has ${current} subscribers`, { 'retry-after': '30' });
    return true;
  };
  if (full()) return;

  let cursor: string | null = lastEventId || null;
  // Where "now" is, for a subscriber without Last-Event-ID. Read before the store is watched: an
  // append seen during this read would pump from no cursor at all, the channel's whole history (Redis
  // under steady ingest did so for most fresh subscriptions). Storage that is down is a 503 here, before
  // a 200 that would only end at once and look like a network failure to the client.
  let position: string | null = null;
  let gap: RelayGap | null = null;
  try {
    if (cursor === null) position = (await deps.store.lastId(channel)) ?? EMPTY_CHANNEL_ID;
    else gap = findGap(cursor, await deps.store.lastId(channel), null);
  } catch (err) {
    deps.onRefused(channel, 'storageUnavailable');
    refuse(res, 503, 'storageUnavailable', `storage unavailable: ${(err as Error).message}`, { 'retry-after': '5' });
    return;
  }
  // others may have subscribed while the store answered
  if (full()) return;
  if (position !== null) cursor = position;
  // After a reset all the relay holds is news to this client: replay from the start.
  if (gap?.reason === 'reset') cursor = null;
  // A gap by retention is looked for right after the first read of the replay: events trimmed between
  // this request and that read are then reported too, instead of silently missing from the replay.
  let retentionCheck = cursor !== null && position === null;
  let closed = false;
  let stalledPings = 0;
  let lastFlushed = -1;
  let pumping = false;
  let again = false;
  let replaying = true;

  const sub: Subscriber = {
    channel,
    cursor: () => cursor,
    ping() {
      if (closed) return;
      if (res.writableLength > deps.maxBufferedBytes) return sub.close();
      // A peer that vanished without a FIN or RST (laptop lid shut, NAT dropped) acknowledges nothing:
      // the kernel's send buffer fills, then ours, and nothing moves. TCP itself would give up only
      // after ~15 min of retransmissions, holding a subscriber slot all that time.
      const socket = res.socket;
      const flushed = socket ? socket.bytesWritten - socket.writableLength : 0;
      stalledPings = res.writableLength > 0 && flushed === lastFlushed ? stalledPings + 1 : 0;
      lastFlushed = flushed;
      if (stalledPings >= 2) return sub.close();
      res.write(': ping\n\n');
    },
    close() {
      if (closed) return;
      closed = true;
      unwatch();
      subscribers.delete(sub);
      res.destroy();
    },
  };

  function drained(): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => done(false), deps.slowClientMs);
      const done = (ok: boolean) => {
        clearTimeout(timer);
        res.off('drain', onDrain);
        res.off('close', onClose);
        resolve(ok);
      };
      const onDrain = () => done(true);
      const onClose = () => done(false);
      res.on('drain', onDrain);
      res.on('close', onClose);
    });
  }

  async function pump(): Promise<void> {
    if (pumping) {
      again = true;
      return;
    }
    pumping = true;
    try {
      do {
        again = false;
        for (;;) {
          if (closed) return;
          const batch = await deps.store.readAfter(channel, cursor, READ_BATCH);
          if (retentionCheck) {
            retentionCheck = false;
            // Trimming drops the oldest first: whatever went before this read is at or below this mark.
            const trimmed = await deps.store.trimmedThrough(channel);
            if (trimmed !== null && compareEventIds(cursor!, trimmed) < 0) sendGap({ after: cursor!, reason: 'retention', lostThrough: trimmed });
          }
          if (batch.length === 0) break;
          for (let i = 0; i < batch.length; i += FRAMES_PER_WRITE) {
            if (closed) return;
            const slice = batch.slice(i, i + FRAMES_PER_WRITE);
            const ok = res.write(slice.map(sseFrame).join(''));
            cursor = slice.at(-1)!.id;
            if (replaying) deps.onReplayed(channel, slice.length);
            if (!ok && !(await drained())) {
              sub.close(); // a client that does not read is cut off rather than buffered without bound
              return;
            }
          }
        }
        replaying = false;
      } while (again);
    } catch {
      sub.close(); // storage failed mid-stream: the client reconnects with its Last-Event-ID
    } finally {
      pumping = false;
    }
  }

  function sendGap(g: RelayGap): void {
    res.write(gapFrame(g));
    deps.onGap?.(channel, g.reason);
  }

  const unwatch = deps.store.watch(channel, () => void pump());
  subscribers.add(sub);
  res.on('close', () => sub.close());
  // Keep-alive probes find a dead idle peer; the ping check above covers one with data outstanding.
  res.socket?.setKeepAlive(true, deps.pingMs ?? 15_000);
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', 'x-accel-buffering': 'no', connection: 'keep-alive' });
  res.write(': connected\n\n');
  if (gap) sendGap(gap);
  if (position !== null) {
    replaying = false;
    // Says where "now" is (an id-only frame: no event, but it sets the stream's last event id), so
    // a client that quits before any event arrives still reconnects from here and misses nothing.
    // An empty channel is at 0-0: everything after it.
    res.write(`id: ${position}\n\n`);
  }
  // what was appended between reading the position and watching the store is read here
  await pump();
}
