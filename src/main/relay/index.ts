// The app's side of the webhook relay: an SSE client with replay, and smee.io as a degraded mode.
export { createRelayClient, backoffDelay, RELAY_CLIENT_ERROR_CODES, type RelayClient, type RelayClientDeps, type RelayClientStatus, type RelayClientError, type RelaySourceConfig, type CursorStore, type ClientTimers } from './relay-client';
export { isSmeeUrl, smeeToEnvelope } from './smee';
export { fileCursorStore, memoryCursorStore } from './cursor-store';
export { envelopeToWebhookInput } from './to-webhook';
