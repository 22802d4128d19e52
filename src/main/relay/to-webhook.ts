import type { RelayEnvelope } from '../../core/relay/envelope';
import type { WebhookInput } from '../../core/sources/types';

/**
 * Turns a relayed event into the input a source adapter takes, as if the webhook had reached the local
 * listener: the same bytes (decoded as UTF-8) and the kept headers, so signatures verify end to end.
 * `receivedAt` is when the relay received it, not when the app caught up.
 */
export function envelopeToWebhookInput(envelope: RelayEnvelope): WebhookInput {
  return { rawBody: Buffer.from(envelope.body, 'base64').toString('utf8'), headers: { ...envelope.headers }, receivedAt: envelope.receivedAt };
}
