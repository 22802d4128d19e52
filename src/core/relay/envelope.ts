import { z } from 'zod';

/**
 * The event envelope the relay stores and serves, and the app consumes. One definition for both
 * sides: the relay validates what it writes, the app validates what it reads.
 */

/** Headers kept byte for byte, so the app can verify a source's signature end to end. Authorization is never kept. */
export const RELAY_KEPT_HEADERS = ['content-type', 'user-agent', 'x-pagerduty-signature'] as const;
/** Headers with these prefixes are kept as well (Grafana's signature and timestamp headers). */
export const RELAY_KEPT_HEADER_PREFIXES = ['x-grafana-'] as const;

/**
 * Whether a request header is stored with the event: the fixed list, any header whose name says
 * "signature" (generic sources sign in a header of the user's choosing), and a channel's extra names.
 */
export function isKeptHeader(name: string, extra: readonly string[] = []): boolean {
  const lower = name.toLowerCase();
  if (lower === 'authorization' || lower === 'cookie' || lower === 'proxy-authorization') return false;
  return (
    (RELAY_KEPT_HEADERS as readonly string[]).includes(lower) ||
    RELAY_KEPT_HEADER_PREFIXES.some((p) => lower.startsWith(p)) ||
    lower.includes('signature') ||
    extra.includes(lower)
  );
}

/** Channel and source names: URL-safe, short, no dots at the start (they end up in keys and paths). */
export const relayNameSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'letters, digits, "-" or "_", at most 64, starting with a letter or digit');

/** An event id: `<milliseconds>-<sequence>`, the Redis Streams format, used by both backends. */
export const relayEventIdSchema = z.string().regex(/^\d{1,15}-\d{1,15}$/, 'an event id such as 1732190000000-0');

/** One relayed webhook. `body` is the raw request body in base64; `headers` are the kept ones, verbatim. */
export const relayEnvelopeSchema = z.object({
  id: relayEventIdSchema,
  channel: relayNameSchema,
  source: relayNameSchema,
  receivedAt: z.number().int().nonnegative(),
  headers: z.record(z.string(), z.string()),
  body: z.string(),
  /** False when the body was re-serialized on the way (smee.io): signatures cannot be checked then. */
  bodyExact: z.boolean().default(true),
});
/** One relayed webhook, as the app receives it. */
export type RelayEnvelope = z.infer<typeof relayEnvelopeSchema>;

/** The SSE event name the relay uses for webhooks. */
export const RELAY_SSE_EVENT = 'hook';

/**
 * The SSE event name for "some of what you asked for is gone". It carries no `id:` line, so it never
 * moves a client's cursor; the replay that follows it is the usual one.
 */
export const RELAY_GAP_EVENT = 'gap';

/**
 * Why a subscriber coming back with Last-Event-ID cannot have everything after it:
 * - `retention`: events after `after`, up to `lostThrough`, were dropped as older than the retention;
 * - `reset`: the relay has nothing as new as `after` (its data was lost or replaced). `lostThrough` is
 *   its newest id (`0-0` when empty), and it replays all it has, since all of it is news to the client.
 */
export const relayGapSchema = z.object({
  after: relayEventIdSchema,
  reason: z.enum(['retention', 'reset']),
  lostThrough: relayEventIdSchema,
});
/** A gap the relay reports before a replay. */
export type RelayGap = z.infer<typeof relayGapSchema>;

/** The position before a channel's first event: every event id sorts after it. */
export const EMPTY_CHANNEL_ID = '0-0';

/** An event id split into its two numbers. */
export interface ParsedEventId {
  ms: number;
  seq: number;
}

/** Parses `<ms>-<seq>`; null when malformed. */
export function parseEventId(id: string): ParsedEventId | null {
  if (!relayEventIdSchema.safeParse(id).success) return null;
  const [ms, seq] = id.split('-');
  return { ms: Number(ms), seq: Number(seq) };
}

/** Orders two well-formed event ids: negative, zero or positive. */
export function compareEventIds(a: string, b: string): number {
  const pa = parseEventId(a);
  const pb = parseEventId(b);
  if (!pa || !pb) throw new Error(`not an event id: ${pa ? b : a}`);
  return pa.ms - pb.ms || pa.seq - pb.seq;
}

/** The id that follows `last` when an event arrives at `now`: never smaller, even if the clock steps back. */
export function nextEventId(last: ParsedEventId | null, now: number): ParsedEventId {
  if (!last || now > last.ms) return { ms: Math.max(0, Math.floor(now)), seq: 0 };
  return { ms: last.ms, seq: last.seq + 1 };
}

/** Formats a parsed id back to `<ms>-<seq>`. */
export function formatEventId(id: ParsedEventId): string {
  return `${id.ms}-${id.seq}`;
}
