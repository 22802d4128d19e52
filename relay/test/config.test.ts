import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadRelayConfig, parseRelayConfig, RelayConfigError } from '../src/config';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'relay-config-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const channels = { ops: { ingestToken: 'i'.repeat(20), subscriberToken: 's'.repeat(20) } };

describe('relay config', () => {
  it('fills defaults: loopback bind, 7 days, 32 MiB, embedded, 15 s pings', () => {
    expect(parseRelayConfig({ channels })).toMatchObject({ bind: '127.0.0.1', retentionDays: 7, maxBodyBytes: 32 * 1024 * 1024, backend: 'embedded', pingSeconds: 15 });
  });

  it('names the broken field', () => {
    const bad: [unknown, RegExp][] = [
      [{ channels, port: 'x' }, /^relay config: port: /],
      [{ channels, backend: 'sqlite' }, /^relay config: backend: /],
      [{ channels, colour: 'red' }, /^relay config: \(root\): .*colour/],
      [{ channels: {} }, /^relay config: channels: at least one channel/],
      [{ channels: { ops: { subscriberToken: 's'.repeat(20) } } }, /channels\.ops\.ingestToken: a channel needs/],
      [{ channels: { ops: { ingestToken: 'short', subscriberToken: 's'.repeat(20) } } }, /channels\.ops\.ingestToken: at least 16/],
      [{ channels: { ops: { ingestToken: 'x'.repeat(20), subscriberToken: 'x'.repeat(20) } } }, /channels\.ops\.subscriberToken: must differ/],
      [{ channels: { 'bad/name': channels.ops } }, /channels\.bad\/name/],
    ];
    for (const [raw, message] of bad) expect(() => parseRelayConfig(raw)).toThrow(message);
  });

  it('merges a YAML file, the environment and the command line, in that order', () => {
    const dir = tempDir();
    const file = path.join(dir, 'relay.yaml');
    writeFileSync(file, `port: 9000\nretentionDays: 3\nchannels:\n  team-a:\n    ingestToken: ${'i'.repeat(20)}\n    subscriberToken: ${'s'.repeat(20)}\n`);
    const cfg = loadRelayConfig({
      file,
      env: { RELAY_RETENTION_DAYS: '2', RELAY_BACKEND: 'redis', RELAY_REDIS_URL: 'redis://r:6379', RELAY_CHANNEL_TEAM_A_SUBSCRIBER_TOKEN: 't'.repeat(20), RELAY_CHANNEL_PD_PAGERDUTY_SECRETS: 'a, b', RELAY_CHANNEL_PD_SUBSCRIBER_TOKEN: 'u'.repeat(20) },
      cli: { port: 8081 },
    });
    expect(cfg).toMatchObject({ port: 8081, retentionDays: 2, backend: 'redis', redis: { url: 'redis://r:6379' } });
    expect(cfg.channels['team-a']).toEqual({ ingestToken: 'i'.repeat(20), subscriberToken: 't'.repeat(20), keepHeaders: [] });
    expect(cfg.channels.pd).toEqual({ pagerdutySecrets: ['a', 'b'], subscriberToken: 'u'.repeat(20), keepHeaders: [] });
  });

  it('says which file is broken and why', () => {
    const dir = tempDir();
    const file = path.join(dir, 'relay.json');
    writeFileSync(file, '{"port": 80,');
    expect(() => loadRelayConfig({ file, env: {}, cli: {} })).toThrow(/--config: .*relay\.json is not valid JSON/);
    expect(() => loadRelayConfig({ file: path.join(dir, 'missing.yaml'), env: {}, cli: {} })).toThrow(RelayConfigError);
    expect(() => loadRelayConfig({ env: { RELAY_PORT: 'eighty' }, cli: {} })).toThrow(/RELAY_PORT: not a whole decimal number 0–65535: "eighty"/);
  });

  it('reports every problem at once, each naming its setting', () => {
    let err: RelayConfigError | null = null;
    try {
      parseRelayConfig({ channels: { ops: { ingestToken: 'short', subscriberToken: 's'.repeat(20) } }, port: 'x', backend: 'sqlite', pingSeconds: 31 });
    } catch (e) {
      err = e as RelayConfigError;
    }
    expect(err).toBeInstanceOf(RelayConfigError);
    expect(err!.issues.map((i) => i.field).sort()).toEqual(['backend', 'channels.ops.ingestToken', 'pingSeconds', 'port']);
    expect(err!.message.split('\n')).toHaveLength(4);
    expect(err!.message).toContain('relay config: pingSeconds: at most 30');
  });

  it('takes numbers from the environment in plain decimal only, and says which variable is wrong', () => {
    const env = (e: Record<string, string>) => () => loadRelayConfig({ env: { RELAY_CHANNEL_OPS_INGEST_TOKEN: 'i'.repeat(20), RELAY_CHANNEL_OPS_SUBSCRIBER_TOKEN: 's'.repeat(20), ...e }, cli: {} });
    expect(env({ RELAY_PORT: '0x50' })).toThrow(/^relay config: RELAY_PORT: not a whole decimal number 0–65535: "0x50"$/);
    expect(env({ RELAY_PORT: '65536' })).toThrow(/RELAY_PORT: not a whole decimal number 0–65535/);
    expect(env({ RELAY_PORT: '1e3' })).toThrow(/RELAY_PORT/);
    expect(env({ RELAY_RETENTION_DAYS: '0x7' })).toThrow(/RELAY_RETENTION_DAYS: not a decimal number/);
    expect(env({ RELAY_PORT: '8081', RELAY_RETENTION_DAYS: '0.5', RELAY_PING_SECONDS: '20' })()).toMatchObject({ port: 8081, retentionDays: 0.5, pingSeconds: 20 });
    // a value of the right form but refused by the schema still names the variable it came from
    expect(env({ RELAY_BIND: '0.0.0.0.0' })).toThrow(/^relay config: bind \(RELAY_BIND\): not an IP address or host name: "0\.0\.0\.0\.0"$/);
    expect(env({ RELAY_BIND: 'relay host' })).toThrow(/bind \(RELAY_BIND\)/);
    expect(env({ RELAY_PING_SECONDS: '45' })).toThrow(/pingSeconds \(RELAY_PING_SECONDS\): at most 30/);
    expect(env({ RELAY_BIND: '::1' })().bind).toBe('::1');
    expect(env({ RELAY_BIND: 'localhost' })().bind).toBe('localhost');
  });

  it('names channels from the environment alone, "-" and capitals included, through _NAME', () => {
    const cfg = loadRelayConfig({
      env: {
        RELAY_CHANNEL_TEAM_A_NAME: 'team-A',
        RELAY_CHANNEL_TEAM_A_INGEST_TOKEN: 'i'.repeat(20),
        RELAY_CHANNEL_TEAM_A_SUBSCRIBER_TOKEN: 's'.repeat(20),
        RELAY_CHANNEL_ON_CALL_INGEST_TOKEN: 'j'.repeat(20),
        RELAY_CHANNEL_ON_CALL_SUBSCRIBER_TOKEN: 't'.repeat(20),
      },
      cli: {},
    });
    expect(Object.keys(cfg.channels).sort()).toEqual(['on_call', 'team-A']);
    expect(cfg.channels['team-A']).toMatchObject({ ingestToken: 'i'.repeat(20), subscriberToken: 's'.repeat(20) });
    expect(() => loadRelayConfig({ env: { RELAY_CHANNEL_X_NAME: 'bad.name', RELAY_CHANNEL_X_INGEST_TOKEN: 'i'.repeat(20), RELAY_CHANNEL_X_SUBSCRIBER_TOKEN: 's'.repeat(20) }, cli: {} })).toThrow(/channels\.bad\.name \(RELAY_CHANNEL_\*\)/);
  });
});
