import { Redis } from 'ioredis';
import { redactUrl } from './redact';
import { RETAIN_AND_RECORD_LUA } from './redis-trim';
import type { EventStore, NewEvent, StoredEvent } from './types';

type Entry = [id: Buffer, fields: Buffer[]];

function toEvent(channel: string, [id, fields]: Entry): StoredEvent {
  const map = new Map<string, Buffer>();
  for (let i = 0; i + 1 < fields.length; i += 2) map.set(fields[i]!.toString('utf8'), fields[i + 1]!);
  return {
    id: id.toString('utf8'),
    channel,
    source: map.get('source')?.toString('utf8') ?? '',
    receivedAt: Number(map.get('at')?.toString('utf8') ?? '0'),
    headers: JSON.parse(map.get('headers')?.toString('utf8') ?? '{}') as Record<string, string>,
    body: map.get('body') ?? Buffer.alloc(0),
  };
}

/** Options of the Redis Streams backend. */
export interface RedisStoreOptions {
  url: string;
  keyPrefix: string;
  /** Retention, so each append trims with MINID (now - retention). */
  retentionMs: number;
  /** Optional cap on events per channel (MAXLEN), applied with each append. */
  maxLen?: number;
  clock?: () => number;
  /** One line when Redis becomes unreachable and one when it is back (not one per retry). */
  log?: (line: string) => void;
}

/** The store-level error for a Redis that cannot be reached at start; the URL in it has no password. */
export class RedisUnreachableError extends Error {
  constructor(url: string, cause: unknown) {
    const detail = (cause as NodeJS.ErrnoException | undefined)?.code ?? (cause as Error | undefined)?.message ?? 'no answer';
    super(`cannot reach Redis at ${redactUrl(url)}: ${detail}`, { cause });
    this.name = 'RedisUnreachableError';
  }
}

/** The script, registered on the connection as a command (EVALSHA, with EVAL as fallback). */
type RetainCommand = (stream: string, trimmedKey: string, minId: string, maxLen: string, ...fields: (string | Buffer)[]) => Promise<string | number>;

/**
 * The Redis Streams backend, for several relay instances sharing one Redis: XADD assigns the id (the
 * SSE event id), XRANGE replays, and one XREAD BLOCK loop per watched channel wakes local subscribers
 * when any instance appends. Appends and trims go through one Lua script that also records the newest
 * id it dropped (Redis 7.0's XTRIM does not update the stream's max-deleted-entry-id).
 */
export async function openRedisStore(opts: RedisStoreOptions): Promise<EventStore> {
  const clock = opts.clock ?? Date.now;
  const log = opts.log ?? (() => undefined);
  const redis = new Redis(opts.url, { lazyConnect: true, maxRetriesPerRequest: 2, enableOfflineQueue: true });
  redis.defineCommand('occRetain', { numberOfKeys: 2, lua: RETAIN_AND_RECORD_LUA });
  const retain = (redis as unknown as { occRetain: RetainCommand }).occRetain.bind(redis);
  // ioredis emits 'error' on every failed reconnect; without a listener Node prints "Unhandled error
  // event" each time. One line per outage: logged when the first connection fails, and "back" when
  // every failed connection is ready again.
  const failing = new Set<Redis>();
  const supervise = (conn: Redis) => {
    conn.on('error', (err: NodeJS.ErrnoException) => {
      if (failing.size === 0) log(`relay: Redis at ${redactUrl(opts.url)} is unreachable (${err.code ?? err.message}); retrying`);
      failing.add(conn);
    });
    conn.on('ready', () => {
      if (failing.delete(conn) && failing.size === 0) log(`relay: Redis at ${redactUrl(opts.url)} is back`);
    });
    conn.on('end', () => failing.delete(conn));
  };
  let startError: unknown = null;
  const onStartError = (err: unknown) => {
    startError = err;
  };
  redis.once('error', onStartError);
  try {
    await redis.connect();
  } catch (err) {
    redis.disconnect();
    throw new RedisUnreachableError(opts.url, startError ?? err);
  } finally {
    redis.off('error', onStartError);
  }
  supervise(redis);
  const key = (channel: string) => `${opts.keyPrefix}${channel}`;
  // Channel names cannot hold ':', so this never collides with another channel's stream.
  const trimmedKey = (channel: string) => `${opts.keyPrefix}${channel}:trimmed`;
  const maxLen = String(opts.maxLen ?? 0);
  const tailers = new Map<string, { listeners: Set<() => void>; stop: () => void }>();
  let closed = false;

  function startTailer(channel: string, listeners: Set<() => void>): () => void {
    // A blocking read holds its connection, so each tailer gets its own.
    const conn = redis.duplicate();
    supervise(conn);
    let stopped = false;
    // Queued on the shared connection now, so it runs before any read a subscriber issues after watch():
    // whatever arrives after that read has a greater id and wakes the subscriber.
    const start = redis.xrevrangeBuffer(key(channel), '+', '-', 'COUNT', 1) as Promise<Entry[]>;
    void (async () => {
      let cursor = '0-0';
      try {
        const newest = await start;
        if (newest[0]) cursor = newest[0][0].toString('utf8');
      } catch {
        cursor = '$';
      }
      while (!stopped) {
        try {
          const res = (await conn.xreadBuffer('BLOCK', 5000, 'STREAMS', key(channel), cursor)) as [Buffer, Entry[]][] | null;
          const entries = res?.[0]?.[1] ?? [];
          if (entries.length > 0) {
            cursor = entries.at(-1)![0].toString('utf8');
            for (const l of listeners) l();
          }
        } catch {
          if (stopped) return;
          // Redis went away: wake subscribers so they re-read from their own cursor once it is back.
          await new Promise((r) => setTimeout(r, 500));
          for (const l of listeners) l();
        }
      }
    })();
    return () => {
      stopped = true;
      failing.delete(conn);
      conn.disconnect();
    };
  }

  const minIdAt = (ms: number) => `${Math.max(0, Math.floor(ms))}-0`;

  return {
    kind: 'redis',
    async append(event: NewEvent) {
      if (closed) throw new Error('store closed');
      const id = await retain(
        key(event.channel), trimmedKey(event.channel), minIdAt(clock() - opts.retentionMs), maxLen,
        'source', event.source, 'at', String(event.receivedAt), 'headers', JSON.stringify(event.headers), 'body', event.body,
      );
      return { ...event, id: String(id) };
    },
    async readAfter(channel, afterId, limit) {
      const start = afterId ? `(${afterId}` : '-';
      const entries = (await redis.xrangeBuffer(key(channel), start, '+', 'COUNT', limit)) as Entry[];
      return entries.map((e) => toEvent(channel, e));
    },
    async lastId(channel) {
      // Once retention has emptied the stream, the newest id it held is the one recorded as trimmed.
      const [entries, trimmed] = await Promise.all([redis.xrevrangeBuffer(key(channel), '+', '-', 'COUNT', 1) as Promise<Entry[]>, redis.get(trimmedKey(channel))]);
      return entries[0] ? entries[0][0].toString('utf8') : trimmed;
    },
    watch(channel, onAppend) {
      let tailer = tailers.get(channel);
      if (!tailer) {
        const listeners = new Set<() => void>();
        tailer = { listeners, stop: startTailer(channel, listeners) };
        tailers.set(channel, tailer);
      }
      tailer.listeners.add(onAppend);
      const t = tailer;
      return () => {
        t.listeners.delete(onAppend);
        if (t.listeners.size === 0 && tailers.get(channel) === t) {
          t.stop();
          tailers.delete(channel);
        }
      };
    },
    async trim(channel, beforeMs) {
      return Number(await retain(key(channel), trimmedKey(channel), minIdAt(beforeMs), maxLen));
    },
    async trimmedThrough(channel) {
      return redis.get(trimmedKey(channel));
    },
    async ping() {
      await redis.ping();
    },
    async close() {
      closed = true;
      for (const t of tailers.values()) t.stop();
      tailers.clear();
      failing.clear();
      redis.disconnect();
    },
  };
}
