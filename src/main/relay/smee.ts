import { isKeptHeader, relayNameSchema, type RelayEnvelope } from '../../core/relay/envelope';
import type { SseEvent } from '../../core/relay/sse-parser';
import { isSmeeChannelUrl } from '../../core/relay/source-settings';

/** Whether a URL is a smee.io channel (degraded mode: no replay, bodies re-serialized). */
export const isSmeeUrl = isSmeeChannelUrl;

/**
 * Turns one smee.io message into an envelope. smee puts the request headers at the top level of
 * `data`, next to `body` (already parsed JSON), `query` and `timestamp`; the body is re-serialized
 * here, so it is marked inexact and signatures cannot be checked. Returns null for smee's own
 * `ready` and `ping` events and for data that is not such an object.
 */
export function smeeToEnvelope(ev: SseEvent, opts: { channel: string; source: string; seq: number; now: number }): RelayEnvelope | null {
  if (ev.event !== 'message') return null;
  let data: unknown;
  try {
    data = JSON.parse(ev.data);
  } catch {
    return null;
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data) || !('body' in data)) return null;
  const record = data as Record<string, unknown>;
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(record)) if (typeof v === 'string' && isKeptHeader(k)) headers[k.toLowerCase()] = v;
  const ts = typeof record.timestamp === 'number' && Number.isFinite(record.timestamp) ? Math.floor(record.timestamp) : opts.now;
  const channel = relayNameSchema.safeParse(opts.channel).success ? opts.channel : 'smee';
  return {
    id: `${ts}-${opts.seq}`,
    channel,
    source: opts.source,
    receivedAt: ts,
    headers,
    body: Buffer.from(JSON.stringify(record.body), 'utf8').toString('base64'),
    bodyExact: false,
  };
}
