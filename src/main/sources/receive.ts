import { receiveWebhook, type ReceivingSource } from '../../core/sources/receive';
import { SOURCE_ERROR_STATUS, type AdapterResult, type WebhookInput } from '../../core/sources/types';
import { verifyHmac } from './signatures';

/** The listener's answer for one webhook: the status, and the adapter's result to apply when 2xx. */
export interface WebhookAnswer {
  status: number;
  result: AdapterResult;
}

/** Lower-cases header names, as the core receiving path expects; array values are joined as Node does. */
export function normalizeHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined) continue;
    out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

/** Runs a webhook through size, signature and adapter checks, and gives the HTTP status to answer. */
export function answerWebhook<Options>(source: ReceivingSource<Options>, input: WebhookInput, maxBytes: number): WebhookAnswer {
  const result = receiveWebhook(source, input, maxBytes, verifyHmac);
  return { status: result.ok ? 200 : SOURCE_ERROR_STATUS[result.error.code], result };
}
