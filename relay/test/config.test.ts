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
});
