import { checkSize, refuse } from './parse';
import type { AdapterContext, AdapterResult, HmacScheme, SourceAdapter, WebhookInput } from './types';

/** What main must compute for a signature check: the text that was signed and the values offered. */
export interface SignatureCheck {
  scheme: HmacScheme;
  signedText: string;
  /** Candidate signatures with the prefix removed; any one matching is enough (secret rotation). */
  offered: string[];
}

/** Constant-time HMAC comparison, supplied by main (core cannot import crypto). */
export type VerifyHmac = (check: SignatureCheck, secret: string) => boolean;

/**
 * Lists the signature values a header carries: split on the scheme's separator, trimmed, keeping
 * only values with the scheme's prefix (PagerDuty may add other versions later; those are skipped).
 */
export function offeredSignatures(scheme: HmacScheme, headerValue: string | undefined): string[] {
  if (headerValue === undefined) return [];
  const parts = scheme.separator === null ? [headerValue] : headerValue.split(scheme.separator);
  return parts
    .map((p) => p.trim())
    .filter((p) => p.startsWith(scheme.prefix) && p.length > scheme.prefix.length)
    .map((p) => p.slice(scheme.prefix.length));
}

/** The exact text a scheme signs: the raw body, or `timestamp + join + body`. */
export function signedText(scheme: HmacScheme, input: WebhookInput): string | null {
  if (!scheme.timestampHeader) return input.rawBody;
  const ts = input.headers[scheme.timestampHeader];
  return ts === undefined ? null : `${ts}${scheme.timestampJoin ?? ''}${input.rawBody}`;
}

/** One configured source as the receiving path needs it. */
export interface ReceivingSource<Options> {
  adapter: SourceAdapter<Options>;
  options: Options;
  ctx: AdapterContext;
  /** The signing secret; null when the user configured none (then nothing is checked). */
  secret: string | null;
}

/**
 * The whole receiving path for one webhook, in the order that keeps bad input cheap: size, then
 * signature (before any JSON is parsed), then the adapter. Nothing here stores anything.
 */
export function receiveWebhook<Options>(source: ReceivingSource<Options>, input: WebhookInput, maxBytes: number, verify: VerifyHmac): AdapterResult {
  const tooLarge = checkSize(input.rawBody, maxBytes);
  if (tooLarge) return refuse(tooLarge);
  const scheme = source.adapter.signature(source.options);
  if (scheme && source.secret !== null) {
    const offered = offeredSignatures(scheme, input.headers[scheme.header]);
    const text = signedText(scheme, input);
    if (offered.length === 0 || text === null) {
      return refuse({ code: 'missingSignature', params: { header: text === null ? scheme.timestampHeader! : scheme.header } });
    }
    if (!verify({ scheme, signedText: text, offered }, source.secret)) return refuse({ code: 'badSignature', params: { header: scheme.header } });
  }
  if (!source.adapter.parseWebhook) return refuse({ code: 'wrongShape', params: { what: source.adapter.kind, field: '(body)', detail: 'this kind takes no webhooks' } });
  return source.adapter.parseWebhook(input, source.ctx, source.options);
}
