// occ-relay: `npm run relay -- --port 8080 --data ./relay-data --config relay.yaml`
import { parseArgs } from 'node:util';
import * as path from 'node:path';
import { loadRelayConfig, RelayConfigError, retentionMs, type RelayConfig } from './config';
import { createRelay } from './server';
import { openEmbeddedStore } from './store/embedded';
import { openRedisStore } from './store/redis';
import type { EventStore } from './store/types';

const USAGE = `usage: occ-relay [--config relay.yaml] [--port 8080] [--bind 127.0.0.1] [--data ./relay-data] [--backend embedded|redis] [--redis-url redis://…]`;

/** Opens the configured backend. */
export async function openStore(config: RelayConfig): Promise<EventStore> {
  if (config.backend === 'redis') return openRedisStore({ url: config.redis.url, keyPrefix: config.redis.keyPrefix, retentionMs: retentionMs(config), maxLen: config.redis.maxLen });
  return openEmbeddedStore(path.resolve(config.dataDir));
}

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      config: { type: 'string', short: 'c' },
      port: { type: 'string', short: 'p' },
      bind: { type: 'string' },
      data: { type: 'string' },
      backend: { type: 'string' },
      'redis-url': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const cli: Record<string, unknown> = {};
  if (values.port !== undefined) {
    const port = Number(values.port);
    if (!Number.isInteger(port)) throw new RelayConfigError('--port', `not a port number: ${values.port}`);
    cli.port = port;
  }
  if (values.bind !== undefined) cli.bind = values.bind;
  if (values.data !== undefined) cli.dataDir = values.data;
  if (values.backend !== undefined) cli.backend = values.backend;
  const config = loadRelayConfig({ file: values.config ?? process.env.RELAY_CONFIG, env: process.env, cli });
  if (values['redis-url']) config.redis.url = values['redis-url'];
  const store = await openStore(config);
  const relay = createRelay({ config, store, log: (l) => console.error(l) });
  const port = await relay.listen();
  // The test harness and scripts wait for this exact line.
  console.log(`relay listening on http://${config.bind}:${port} (backend ${store.kind}, channels ${Object.keys(config.channels).join(', ')})`);
  const stop = async () => {
    await relay.close();
    await store.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(err instanceof RelayConfigError ? err.message : `relay: ${(err as Error).message}\n${USAGE}`);
  process.exit(2);
});
