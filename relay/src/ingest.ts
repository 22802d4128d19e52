import type * as http from 'node:http';
import { isKeptHeader, relayNameSchema } from '../../src/core/relay/envelope';
import { bearerToken, pagerdutySignatureValid, secretMatches } from './auth';
import type { ChannelConfig } from './config';
import { readBodyLimited, refuse, replyJson } from './http-util';
import { ReplayGuard } from './replay-guard';
import type { EventStore } from './store/types';

/** What ingest needs from the relay. */
export interface IngestDeps {
  channels: Record<string, ChannelConfig>;
  store: EventStore;
  maxBodyBytes: number;
  now: () => number;
  onStored: (channel: string) => void;
  onRefused: (channel: string, code: string) => void;
  /** Refuses a signed request seen before (signatures carry no timestamp to check). */
  replays: ReplayGuard;
}

/** The headers kept with the event, verbatim (joined the way Node joins repeated headers). */
export function keptHeaders(req: http.IncomingMessage, extra: readonly string[] = []): Record<string, string> {
  const out: Record<string, string> = {};
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    if (!isKeptHeader(name, extra)) continue;
    out[name] = name in out ? `${out[name]}, ${raw[i + 1]!}` : raw[i + 1]!;
  }
  return out;
}

/** Small unread bodies are discarded by Node and the connection reused; anything else is cut off, not read. */
const SMALL_BODY_BYTES = 64 * 1024;

function closeUnlessSmall(req: http.IncomingMessage): Record<string, string> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  return Number.isFinite(declared) && declared <= SMALL_BODY_BYTES ? {} : { connection: 'close' };
}

/**
 * POST /hooks/:channel/:source. Checks the channel, the secret and the size, stores the raw body,
 * and answers 202 only once the store says the event is durable. Any refusal stores nothing.
 */
export async function handleIngest(deps: IngestDeps, req: http.IncomingMessage, res: http.ServerResponse, channel: string, source: string): Promise<void> {
  const ch = Object.hasOwn(deps.channels, channel) ? deps.channels[channel] : undefined;
  if (!ch) {
    deps.onRefused('', 'unknownChannel');
    refuse(res, 404, 'unknownChannel', `unknown channel "${channel.slice(0, 64)}"`, closeUnlessSmall(req));
    return;
  }
  const refused = (status: number, code: Parameters<typeof refuse>[2], reason: string) => {
    deps.onRefused(channel, code);
    refuse(res, status, code, reason, closeUnlessSmall(req));
  };
  if (!relayNameSchema.safeParse(source).success) {
    refused(400, 'badName', 'the source name must be letters, digits, "-" or "_", at most 64');
    return;
  }
  const token = bearerToken(req.headers.authorization);
  const signature = req.headers['x-pagerduty-signature'];
  const bySignature = !token && typeof signature === 'string' && (ch.pagerdutySecrets?.length ?? 0) > 0;
  // Name what this channel accepts, so a sender can tell a missing token from a missing signature.
  const bySigned = (ch.pagerdutySecrets?.length ?? 0) > 0;
  const expected = ch.ingestToken ? (bySigned ? 'Authorization: Bearer <ingest token> or X-PagerDuty-Signature' : 'Authorization: Bearer <ingest token>') : 'X-PagerDuty-Signature (this channel takes only PagerDuty-signed requests)';
  if (token === null && !bySignature) {
    const what = req.headers.authorization ? 'Authorization is not a Bearer token' : 'no credentials';
    refused(401, 'missingToken', ch.ingestToken ? `${what}; expected ${expected}` : `missing or wrong X-PagerDuty-Signature; expected ${expected}`);
    return;
  }
  if (token !== null && !(ch.ingestToken && secretMatches(token, ch.ingestToken))) {
    refused(401, 'wrongToken', ch.ingestToken ? 'wrong ingest token' : `a bearer token was sent; expected ${expected}`);
    return;
  }
  const body = await readBodyLimited(req, deps.maxBodyBytes);
  if (!body.ok) {
    if (body.tooLarge) refused(413, 'tooLarge', `body exceeds ${deps.maxBodyBytes} bytes`);
    return;
  }
  if (bySignature && !pagerdutySignatureValid(signature as string, body.body, ch.pagerdutySecrets ?? [])) {
    refused(401, 'badSignature', 'missing or wrong X-PagerDuty-Signature: no v1= value matches the body with any of the channel\'s secrets');
    return;
  }
  if (body.body.length === 0) {
    refused(400, 'emptyBody', 'empty body: nothing to relay');
    return;
  }
  const replayKey = bySignature ? ReplayGuard.keyOf(channel, signature as string, body.body) : null;
  if (replayKey && !deps.replays.claim(replayKey, deps.now())) {
    refused(409, 'replayed', 'this signed request was already received');
    return;
  }
  try {
    const stored = await deps.store.append({ channel, source, receivedAt: deps.now(), headers: keptHeaders(req, ch.keepHeaders), body: body.body });
    deps.onStored(channel);
    replyJson(res, 202, { id: stored.id });
  } catch (err) {
    if (replayKey) deps.replays.release(replayKey);
    deps.onRefused(channel, 'storageUnavailable');
    refuse(res, 503, 'storageUnavailable', `storage unavailable: ${(err as Error).message}`, { 'retry-after': '5' });
  }
}
