import { z } from 'zod';
/**
 * The event envelope the relay stores and serves, and the app consumes. One definition for both
 * sides: the relay validates what it writes, the app validates what it reads.
 */
/** Headers kept byte for byte, so the app can verify a source's signature end to end. Authorization is never kept. */
export declare const RELAY_KEPT_HEADERS: readonly ["content-type", "user-agent", "x-pagerduty-signature", "x-opsgenie-signature", "x-goalert-signature"];
/** Headers with these prefixes are kept as well (Grafana's signature and timestamp headers). */
export declare const RELAY_KEPT_HEADER_PREFIXES: readonly ["x-grafana-"];
/** Whether a (lower-case) request header is stored with the event. */
export declare function isKeptHeader(name: string): boolean;
/** Channel and source names: URL-safe, short, no dots at the start (they end up in keys and paths). */
export declare const relayNameSchema: z.ZodString;
/** An event id: `<milliseconds>-<sequence>`, the Redis Streams format, used by both backends. */
export declare const relayEventIdSchema: z.ZodString;
/** One relayed webhook. `body` is the raw request body in base64; `headers` are the kept ones, verbatim. */
export declare const relayEnvelopeSchema: z.ZodObject<{
    id: z.ZodString;
    channel: z.ZodString;
    source: z.ZodString;
    receivedAt: z.ZodNumber;
    headers: z.ZodRecord<z.ZodString, z.ZodString>;
    body: z.ZodString;
    bodyExact: z.ZodDefault<z.ZodBoolean>;
}, z.core.$strip>;
/** One relayed webhook, as the app receives it. */
export type RelayEnvelope = z.infer<typeof relayEnvelopeSchema>;
/** The SSE event name the relay uses for webhooks. */
export declare const RELAY_SSE_EVENT = "hook";
/** An event id split into its two numbers. */
export interface ParsedEventId {
    ms: number;
    seq: number;
}
/** Parses `<ms>-<seq>`; null when malformed. */
export declare function parseEventId(id: string): ParsedEventId | null;
/** Orders two well-formed event ids: negative, zero or positive. */
export declare function compareEventIds(a: string, b: string): number;
/** The id that follows `last` when an event arrives at `now`: never smaller, even if the clock steps back. */
export declare function nextEventId(last: ParsedEventId | null, now: number): ParsedEventId;
/** Formats a parsed id back to `<ms>-<seq>`. */
export declare function formatEventId(id: ParsedEventId): string;
