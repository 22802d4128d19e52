import { EventEmitter } from 'node:events';
import { ClassicLevel } from 'classic-level';
import { compareEventIds, formatEventId, nextEventId, parseEventId, type ParsedEventId } from '../../../src/core/relay/envelope';
import type { EventStore, NewEvent, StoredEvent } from './types';

// Keys sort as bytes, so both numbers are zero-padded: e!<channel>!<ms:15>-<seq:15>.
const pad = (n: number) => String(n).padStart(15, '0');
const eventKey = (channel: string, id: ParsedEventId) => `e!${channel}!${pad(id.ms)}-${pad(id.seq)}`;
const lastKey = (channel: string) => `l!${channel}`;
const trimmedKey = (channel: string) => `t!${channel}`;

/** The id inside an event key (`e!<channel>!<ms:15>-<seq:15>`), without the padding. */
function idOfKey(key: string): string {
  const [ms, seq] = key.slice(key.lastIndexOf('!') + 1).split('-');
  return formatEventId({ ms: Number(ms), seq: Number(seq) });
}

interface Pending {
  event: NewEvent;
  resolve: (e: StoredEvent) => void;
  reject: (e: unknown) => void;
}

function encode(event: NewEvent): Buffer {
  const meta = Buffer.from(JSON.stringify({ s: event.source, t: event.receivedAt, h: event.headers }), 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32BE(meta.length);
  return Buffer.concat([len, meta, event.body]);
}

function decode(channel: string, key: string, value: Buffer): StoredEvent {
  const metaLen = value.readUInt32BE(0);
  const meta = JSON.parse(value.subarray(4, 4 + metaLen).toString('utf8')) as { s: string; t: number; h: Record<string, string> };
  return { id: idOfKey(key), channel, source: meta.s, receivedAt: meta.t, headers: meta.h, body: Buffer.from(value.subarray(4 + metaLen)) };
}

/**
 * The embedded backend: LevelDB through classic-level, whose prebuilt binaries ship inside the npm
 * package (works with ignore-scripts). Writes are fsync'ed; appends that arrive while a write is in
 * flight are committed together in the next batch (group commit), so durability stays cheap under load.
 */
export async function openEmbeddedStore(dir: string, clock: () => number = Date.now): Promise<EventStore> {
  const db = new ClassicLevel<string, Buffer>(dir, { keyEncoding: 'utf8', valueEncoding: 'buffer' });
  await db.open();
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  const last = new Map<string, ParsedEventId | null>();
  let queue: Pending[] = [];
  let writing = false;
  let inflight: Promise<void> = Promise.resolve();
  let closed = false;

  async function lastOf(channel: string): Promise<ParsedEventId | null> {
    if (last.has(channel)) return last.get(channel) ?? null;
    const stored = await db.get(lastKey(channel));
    const parsed = stored ? parseEventId(stored.toString('utf8')) : null;
    last.set(channel, parsed);
    return parsed;
  }

  async function trimmedThrough(channel: string): Promise<string | null> {
    const stored = await db.get(trimmedKey(channel));
    return stored ? stored.toString('utf8') : null;
  }

  let trims: Promise<unknown> = Promise.resolve();

  async function trimNow(channel: string, beforeMs: number): Promise<number> {
    // Drops old events but keeps l!<channel>, so ids keep increasing even when everything expired.
    const keys: string[] = [];
    for await (const key of db.keys({ gte: `e!${channel}!`, lt: eventKey(channel, { ms: Math.max(0, Math.floor(beforeMs)), seq: 0 }) })) keys.push(key);
    if (keys.length === 0) return 0;
    // The newest dropped id is recorded in the same batch as the deletions: a crash can never drop
    // events without the record that tells a returning subscriber they are gone.
    const dropped = idOfKey(keys.at(-1)!);
    const before = await trimmedThrough(channel);
    const through = before && compareEventIds(before, dropped) > 0 ? before : dropped;
    const ops = [...keys.map((key) => ({ type: 'del' as const, key })), { type: 'put' as const, key: trimmedKey(channel), value: Buffer.from(through) }];
    await db.batch(ops, { sync: true });
    return keys.length;
  }

  async function flush(): Promise<void> {
    if (writing) return;
    writing = true;
    try {
      while (queue.length > 0) {
        const batch = queue;
        queue = [];
        try {
          const ops: { type: 'put'; key: string; value: Buffer }[] = [];
          const done: StoredEvent[] = [];
          const next = new Map<string, ParsedEventId | null>();
          for (const p of batch) {
            const ch = p.event.channel;
            const prev = next.has(ch) ? (next.get(ch) ?? null) : await lastOf(ch);
            const id = nextEventId(prev, clock());
            next.set(ch, id);
            ops.push({ type: 'put', key: eventKey(ch, id), value: encode(p.event) });
            done.push({ ...p.event, id: formatEventId(id) });
          }
          for (const [ch, id] of next) ops.push({ type: 'put', key: lastKey(ch), value: Buffer.from(formatEventId(id!)) });
          await db.batch(ops, { sync: true });
          for (const [ch, id] of next) last.set(ch, id);
          batch.forEach((p, i) => p.resolve(done[i]!));
          for (const ch of next.keys()) emitter.emit(ch);
        } catch (err) {
          for (const p of batch) p.reject(err);
        }
      }
    } finally {
      writing = false;
    }
  }

  return {
    kind: 'embedded',
    append(event) {
      if (closed) return Promise.reject(new Error('store closed'));
      return new Promise<StoredEvent>((resolve, reject) => {
        queue.push({ event, resolve, reject });
        if (!writing) inflight = flush();
      });
    },
    async readAfter(channel, afterId, limit) {
      const after = afterId ? parseEventId(afterId) : null;
      const range = after ? { gt: eventKey(channel, after) } : { gte: `e!${channel}!` };
      const out: StoredEvent[] = [];
      for await (const [key, value] of db.iterator({ ...range, lt: `e!${channel}!~`, limit })) out.push(decode(channel, key, value));
      return out;
    },
    async lastId(channel) {
      const id = await lastOf(channel);
      return id ? formatEventId(id) : null;
    },
    watch(channel, onAppend) {
      emitter.on(channel, onAppend);
      return () => emitter.off(channel, onAppend);
    },
    trim(channel, beforeMs) {
      // One trim at a time: two overlapping ones could write their records out of order, the smaller last.
      const run = trims.then(() => trimNow(channel, beforeMs));
      trims = run.catch(() => undefined);
      return run;
    },
    trimmedThrough,
    async ping() {
      if (db.status !== 'open') throw new Error(`embedded store is ${db.status}`);
    },
    async close() {
      closed = true;
      await inflight;
      await db.close();
    },
  };
}
