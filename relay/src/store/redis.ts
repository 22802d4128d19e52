import { Redis } from 'ioredis';
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
  /** Retention, so each XADD trims with MINID ~ (now - retention). */
  retentionMs: number;
  /** Optional cap on events per channel (MAXLEN ~), applied by XTRIM after each append. */
  maxLen?: number;
  clock?: () => number;
}

/**
 * The Redis Streams backend, for several relay instances sharing one Redis: XADD assigns the id (the
 * SSE event id), XRANGE replays, and one XREAD BLOCK loop per watched channel wakes local subscribers
 * when any instance appends.
 */
export async function openRedisStore(opts: RedisStoreOptions): Promise<EventStore> {
  const clock = opts.clock ?? Date.now;
  const redis = new Redis(opts.url, { lazyConnect: true, maxRetriesPerRequest: 2, enableOfflineQueue: true });
  await redis.connect();
  const key = (channel: string) => `${opts.keyPrefix}${channel}`;
  const tailers = new Map<string, { listeners: Set<() => void>; stop: () => void }>();
  let closed = false;

  function startTailer(channel: string, listeners: Set<() => void>): () => void {
    // A blocking read holds its connection, so each tailer gets its own.
    const conn = redis.duplicate();
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
      conn.disconnect();
    };
  }

  return {
    kind: 'redis',
    async append(event: NewEvent) {
      if (closed) throw new Error('store closed');
      const minId = `${Math.max(0, Math.floor(clock() - opts.retentionMs))}-0`;
      const id = (await redis.xadd(
        key(event.channel),
        'MINID', '~', minId, '*',
        'source', event.source, 'at', String(event.receivedAt), 'headers', JSON.stringify(event.headers), 'body', event.body,
      )) as string;
      if (opts.maxLen) await redis.xtrim(key(event.channel), 'MAXLEN', '~', opts.maxLen);
      return { ...event, id };
    },
    async readAfter(channel, afterId, limit) {
      const start = afterId ? `(${afterId}` : '-';
      const entries = (await redis.xrangeBuffer(key(channel), start, '+', 'COUNT', limit)) as Entry[];
      return entries.map((e) => toEvent(channel, e));
    },
    async lastId(channel) {
      const entries = (await redis.xrevrangeBuffer(key(channel), '+', '-', 'COUNT', 1)) as Entry[];
      return entries[0] ? entries[0][0].toString('utf8') : null;
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
      return (await redis.xtrim(key(channel), 'MINID', `${Math.max(0, Math.floor(beforeMs))}-0`)) as number;
    },
    async ping() {
      await redis.ping();
    },
    async close() {
      closed = true;
      for (const t of tailers.values()) t.stop();
      tailers.clear();
      redis.disconnect();
    },
  };
}
