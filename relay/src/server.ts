import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseEventId } from '../../src/core/relay/envelope';
import { retentionMs, type RelayConfig } from './config';
import { pathSegments, refuse, replyJson } from './http-util';
import { handleIngest } from './ingest';
import { Metrics } from './metrics';
import { ReplayGuard } from './replay-guard';
import { handleSubscribe, type Subscriber } from './subscribe';
import type { EventStore } from './store/types';

/** How long a signed request is remembered to refuse a replay, and how many are kept at most. */
const REPLAY_WINDOW_MS = 24 * 60 * 60 * 1000;
const REPLAY_MAX_ENTRIES = 100_000;

/** What the relay needs from outside: its config, a store, and a clock. */
export interface RelayDeps {
  config: RelayConfig;
  store: EventStore;
  now?: () => number;
  log?: (line: string) => void;
  /** How long /healthz waits for the storage (default 2 s, under the Docker healthcheck's 3 s). */
  healthTimeoutMs?: number;
  /** How long close() waits for connections to end after cutting them (default 2 s). */
  closeTimeoutMs?: number;
}

/** Rejects with `message` if `work` has not settled within `ms`. */
function within<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/** A running relay. */
export interface Relay {
  /** The request handler, usable in-process without a socket listener. */
  handle: (req: http.IncomingMessage, res: http.ServerResponse) => void;
  listen(): Promise<number>;
  close(): Promise<void>;
  metrics: Metrics;
  subscriberCount(channel: string): number;
}

/** Builds the relay's HTTP server around a store; `listen()` binds to the configured address. */
export function createRelay(deps: RelayDeps): Relay {
  const { config, store } = deps;
  const now = deps.now ?? Date.now;
  const subscribers = new Set<Subscriber>();
  const metrics = new Metrics();
  const newest = new Map<string, string>();
  metrics.counter('relay_events_ingested_total', 'Webhooks stored durably, per channel.');
  metrics.counter('relay_events_replayed_total', 'Events sent to a subscriber catching up after Last-Event-ID.');
  metrics.counter('relay_requests_refused_total', 'Requests refused, per channel and reason.');
  metrics.counter('relay_gaps_total', 'Subscribers told that events after their Last-Event-ID are gone, per channel and reason (retention or reset).');
  metrics.gauge('relay_subscribers', 'Connected SSE subscribers, per channel.', () => {
    const m = new Map<string, number>();
    for (const name of Object.keys(config.channels)) m.set(`{channel="${name}"}`, subscriberCount(name));
    return m;
  });
  metrics.gauge('relay_storage_lag_seconds', 'Per channel, over the subscribers of this instance that have not been sent the newest stored event: the largest time since the last event each was sent (by its id). 0 when all are caught up or none is connected.', () => {
    const m = new Map<string, number>();
    for (const name of Object.keys(config.channels)) {
      const head = parseEventId(newest.get(name) ?? '');
      let lag = 0;
      for (const s of subscribers) {
        if (s.channel !== name || !head) continue;
        const at = parseEventId(s.cursor() ?? '0-0');
        if (at && (at.ms < head.ms || (at.ms === head.ms && at.seq < head.seq))) lag = Math.max(lag, (now() - at.ms) / 1000);
      }
      m.set(`{channel="${name}"}`, lag);
    }
    return m;
  });

  function subscriberCount(channel: string): number {
    let n = 0;
    for (const s of subscribers) if (s.channel === channel) n++;
    return n;
  }

  const onRefused = (channel: string, code: string) => metrics.inc('relay_requests_refused_total', { channel, reason: code });
  const ingestDeps = {
    replays: new ReplayGuard(REPLAY_WINDOW_MS, REPLAY_MAX_ENTRIES),
    channels: config.channels,
    store,
    maxBodyBytes: config.maxBodyBytes,
    now,
    onStored: (channel: string) => metrics.inc('relay_events_ingested_total', { channel }),
    onRefused,
  };
  const subscribeDeps = {
    channels: config.channels,
    store,
    maxSubscribersPerChannel: config.maxSubscribersPerChannel,
    slowClientMs: config.slowClientSeconds * 1000,
    pingMs: config.pingSeconds * 1000,
    maxBufferedBytes: config.maxBufferedBytes,
    onReplayed: (channel: string, n: number) => metrics.inc('relay_events_replayed_total', { channel }, n),
    onRefused,
    onGap: (channel: string, reason: string) => metrics.inc('relay_gaps_total', { channel, reason }),
  };
  // Tracks each channel's newest id for the lag gauge, whichever instance wrote it.
  const unwatchers = Object.keys(config.channels).map((name) =>
    store.watch(name, () => {
      void store.lastId(name).then((id) => id && newest.set(name, id), () => undefined);
    }),
  );

  async function route(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://relay.invalid');
    const seg = pathSegments(url.pathname);
    const method = req.method ?? 'GET';
    if (!seg) return refuse(res, 400, 'badName', 'malformed percent-encoding in the path');
    if (seg.length === 1 && (seg[0] === 'healthz' || seg[0] === 'metrics')) {
      if (method !== 'GET' && method !== 'HEAD') return refuse(res, 405, 'methodNotAllowed', `${method} not allowed here; use GET`, { allow: 'GET, HEAD' });
      if (seg[0] === 'metrics') {
        const text = metrics.render();
        res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8', 'content-length': String(Buffer.byteLength(text)) });
        res.end(method === 'HEAD' ? undefined : text);
        return;
      }
      try {
        const ms = deps.healthTimeoutMs ?? 2000;
        await within(store.ping(), ms, `no answer from the ${store.kind} storage within ${ms / 1000} s`);
        return replyJson(res, 200, { status: 'ok', backend: store.kind, subscribers: subscribers.size });
      } catch (err) {
        return replyJson(res, 503, { status: 'storage unavailable', backend: store.kind, reason: (err as Error).message });
      }
    }
    if (seg.length === 3 && seg[0] === 'hooks') {
      if (method !== 'POST') return refuse(res, 405, 'methodNotAllowed', `${method} not allowed here; use POST`, { allow: 'POST' });
      return handleIngest(ingestDeps, req, res, seg[1]!, seg[2]!);
    }
    if (seg.length === 3 && seg[0] === 'channels' && seg[2] === 'events') {
      if (method !== 'GET') return refuse(res, 405, 'methodNotAllowed', `${method} not allowed here; use GET`, { allow: 'GET' });
      return handleSubscribe(subscribeDeps, subscribers, req, res, url, seg[1]!);
    }
    refuse(res, 404, 'notFound', 'no such route: POST /hooks/<channel>/<source> or GET /channels/<channel>/events');
  }

  const handle = (req: http.IncomingMessage, res: http.ServerResponse) => {
    route(req, res).catch((err: unknown) => {
      deps.log?.(`relay: request failed: ${(err as Error).message}`);
      if (!res.headersSent) refuse(res, 503, 'storageUnavailable', 'internal error');
      else res.destroy();
    });
  };

  const server = http.createServer({ keepAliveTimeout: 5000 }, handle);
  const pinger = setInterval(() => {
    for (const s of subscribers) s.ping();
  }, config.pingSeconds * 1000);
  pinger.unref();
  const trimmer = setInterval(() => {
    for (const name of Object.keys(config.channels)) void store.trim(name, now() - retentionMs(config)).catch(() => undefined);
  }, Math.min(60 * 60 * 1000, retentionMs(config)));
  trimmer.unref();

  return {
    handle,
    metrics,
    subscriberCount,
    listen() {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.port, config.bind, () => {
          server.off('error', reject);
          const port = (server.address() as AddressInfo).port;
          for (const name of Object.keys(config.channels)) void store.trim(name, now() - retentionMs(config)).catch(() => undefined);
          // The lag gauge knows the newest id from the start, not only from the first append after it.
          const seeds = Object.keys(config.channels).map((name) => store.lastId(name).then((id) => id && !newest.has(name) && newest.set(name, id), () => undefined));
          void Promise.all(seeds).then(() => resolve(port));
        });
      });
    },
    async close() {
      clearInterval(pinger);
      clearInterval(trimmer);
      for (const u of unwatchers) u();
      // SSE responses first: a stream never ends by itself, so server.close() would wait on it.
      for (const s of [...subscribers]) s.close();
      const ms = deps.closeTimeoutMs ?? 2000;
      const closed = new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await within(closed, ms, 'connections still open').catch(() => deps.log?.(`relay: connections still open after ${ms / 1000} s; closing anyway`));
    },
  };
}
