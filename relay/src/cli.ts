// occ-relay: `npm run relay -- --port 8080 --data ./relay-data --config relay.yaml`
import { parseArgs } from 'node:util';
import * as path from 'node:path';
import { decimalSetting, loadRelayConfig, RelayConfigError, retentionMs, type RelayConfig, type RelayConfigIssue } from './config';
import { describeError, UsageError } from './errors';
import { createRelay } from './server';
import { openEmbeddedStore } from './store/embedded';
import { openRedisStore } from './store/redis';
import type { EventStore } from './store/types';

const USAGE = `usage: occ-relay [--config relay.yaml] [--port 8080] [--bind 127.0.0.1] [--data ./relay-data] [--backend embedded|redis] [--redis-url redis://…]`;

/** How long SIGTERM/SIGINT waits for subscribers to be cut and the store to close before exiting anyway. */
const STOP_TIMEOUT_MS = 5000;

/** The LevelDB lock error (classic-level wraps it: LEVEL_DATABASE_NOT_OPEN, cause LEVEL_LOCKED). */
function isLocked(err: unknown): boolean {
  for (let e = err as { code?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e) if (e.code === 'LEVEL_LOCKED') return true;
  return false;
}

/** Opens the configured backend; `log` gets Redis outage lines. */
export async function openStore(config: RelayConfig, log: (line: string) => void = () => undefined): Promise<EventStore> {
  if (config.backend === 'redis') return openRedisStore({ url: config.redis.url, keyPrefix: config.redis.keyPrefix, retentionMs: retentionMs(config), maxLen: config.redis.maxLen, log });
  const dir = path.resolve(config.dataDir);
  try {
    return await openEmbeddedStore(dir);
  } catch (err) {
    if (isLocked(err)) throw new Error(`data folder ${config.dataDir} is in use by another relay (LOCK)`, { cause: err });
    throw new Error(`cannot open the data folder ${config.dataDir}`, { cause: err });
  }
}

/** Reads the flags; a malformed or unknown flag is a UsageError. */
function readFlags(argv: string[]) {
  try {
    return parseArgs({
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
    }).values;
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

async function main(argv: string[]): Promise<void> {
  const values = readFlags(argv);
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const cli: Record<string, unknown> = {};
  const cliOrigins: Record<string, string> = {};
  const cliIssues: RelayConfigIssue[] = [];
  const flag = (key: string, name: string, value: unknown) => {
    if (value === undefined) return;
    cli[key] = value;
    cliOrigins[key] = name;
  };
  if (values.port !== undefined) flag('port', '--port', decimalSetting(values.port, '--port', cliIssues, { integer: true, max: 65535 }));
  flag('bind', '--bind', values.bind);
  flag('dataDir', '--data', values.data);
  flag('backend', '--backend', values.backend);
  if (cliIssues.length > 0) throw new UsageError(new RelayConfigError(cliIssues).message);
  const config = loadRelayConfig({ file: values.config ?? process.env.RELAY_CONFIG, env: process.env, cli, cliOrigins });
  if (values['redis-url']) config.redis.url = values['redis-url'];
  const log = (l: string) => console.error(l);
  const store = await openStore(config, log);
  const relay = createRelay({ config, store, log });
  let port: number;
  try {
    port = await relay.listen();
  } catch (err) {
    await store.close();
    throw new Error(`cannot listen on ${config.bind}:${config.port} (settings bind/RELAY_BIND, port/RELAY_PORT)`, { cause: err });
  }
  // The test harness and scripts wait for this exact line.
  console.log(`relay listening on http://${config.bind}:${port} (backend ${store.kind}, channels ${Object.keys(config.channels).join(', ')})`);
  let stopping = false;
  const stop = async () => {
    if (stopping) process.exit(1); // a second signal: the operator does not want to wait
    stopping = true;
    // A subscriber socket that hangs, or a store that does not close, must not keep the process alive.
    setTimeout(() => {
      console.error(`relay: did not stop within ${STOP_TIMEOUT_MS / 1000} s; exiting anyway`);
      process.exit(1);
    }, STOP_TIMEOUT_MS).unref();
    await relay.close();
    await store.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main(process.argv.slice(2)).catch((err: unknown) => {
  const usage = err instanceof UsageError || (err instanceof RelayConfigError && err.issues.some((i) => i.field.includes('(--')));
  console.error(`${describeError(err)}${usage ? `\n${USAGE}` : ''}`);
  process.exit(2);
});
