import type { PageSignal } from '../page';
import type { SeverityMapping } from '../severity';
import type { SourceKind } from './kinds';

/** A webhook as the listener received it: the exact bytes (as UTF-8 text) are needed for signatures. */
export interface WebhookInput {
  rawBody: string;
  /** Header names in lower case. */
  headers: Record<string, string>;
  receivedAt: number;
}

/** Why a source's input was refused; the catalog `sources.errors.<code>` holds the text. */
export type SourceErrorCode = 'bodyTooLarge' | 'malformedJson' | 'wrongShape' | 'missingSignature' | 'badSignature' | 'unknownSource';

/** A typed refusal: a code plus the values its message needs. */
export interface SourceError {
  code: SourceErrorCode;
  params: Record<string, string | number>;
}

/** The HTTP status the listener answers for each refusal. */
export const SOURCE_ERROR_STATUS: Record<SourceErrorCode, number> = {
  bodyTooLarge: 413,
  malformedJson: 400,
  wrongShape: 422,
  missingSignature: 401,
  badSignature: 401,
  unknownSource: 404,
};

/** One notification group touched by an input, with how many alerts the sender left out. */
export interface SignalGroup {
  groupKey: string;
  truncatedAlerts?: number;
}

/** What an adapter makes of one input: signals and groups, or a typed refusal. */
export type AdapterResult =
  | { ok: true; signals: PageSignal[]; groups: SignalGroup[]; ignored?: string }
  | { ok: false; error: SourceError };

/** Everything an adapter needs besides the input; `sourceId` names the configured instance. */
export interface AdapterContext {
  sourceId: string;
  severityMapping: SeverityMapping;
}

/**
 * How a kind signs its webhooks. Core only describes the scheme; main computes the HMAC, because
 * core cannot import crypto.
 * - `header`: where the signature(s) arrive;
 * - `prefix`: each listed value starts with it (PagerDuty `v1=`), values without it are ignored;
 * - `separator`: several values in one header during secret rotation;
 * - `timestampHeader`: when present, the signed text is `${timestamp}${timestampJoin}${body}`.
 */
export interface HmacScheme {
  type: 'hmac-sha256';
  header: string;
  prefix: string;
  separator: string | null;
  encoding: 'hex';
  timestampHeader?: string;
  timestampJoin?: string;
}

/** A pure adapter for one kind of source; webhook and/or poll parsing. */
export interface SourceAdapter<Options = unknown> {
  kind: SourceKind;
  /** The scheme when the kind signs its webhooks and a secret is configured; null when the kind cannot sign. */
  signature(options: Options): HmacScheme | null;
  /** Checks the per-source options the user configured, naming the bad field. */
  parseOptions(raw: unknown): { ok: true; options: Options } | { ok: false; error: SourceError };
  parseWebhook?(input: WebhookInput, ctx: AdapterContext, options: Options): AdapterResult;
}

/** The default limit for one webhook body: large Alertmanager groups run to several MiB. */
export const DEFAULT_MAX_BODY_BYTES = 32 * 1024 * 1024;
