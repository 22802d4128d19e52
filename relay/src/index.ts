// The relay as a library: build a relay around a store, in-process (tests) or from the CLI.
export { createRelay, type Relay, type RelayDeps } from './server';
export { loadRelayConfig, parseRelayConfig, configFromEnv, RelayConfigError, type RelayConfig, type ChannelConfig } from './config';
export { openEmbeddedStore } from './store/embedded';
export { openRedisStore, type RedisStoreOptions } from './store/redis';
export type { EventStore, StoredEvent, NewEvent } from './store/types';
export { pagerdutySignatureValid, secretMatches } from './auth';
