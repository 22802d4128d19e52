import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as net from 'node:net';
import { removeDir, startRedis, SUBSCRIBE, tempDir, waitForLine } from './support';

const CLI = path.resolve(import.meta.dirname, '../src/cli.ts');
const dir = tempDir('relay-cli-');
afterAll(() => removeDir(dir));

const CHANNEL_ENV = { RELAY_CHANNEL_OPS_INGEST_TOKEN: 'i'.repeat(20), RELAY_CHANNEL_OPS_SUBSCRIBER_TOKEN: SUBSCRIBE };

function run(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { env: { ...process.env, RELAY_CONFIG: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, stderr: () => stderr };
}

describe('relay CLI', () => {
  it('refuses a broken config with exit code 2 and a message naming the field', async () => {
    const file = path.join(dir, 'bad.yaml');
    writeFileSync(file, 'retentionDays: -1\nchannels:\n  ops:\n    ingestToken: iiiiiiiiiiiiiiiiiiii\n    subscriberToken: ssssssssssssssssssss\n');
    const r = run(['--config', file, '--data', path.join(dir, 'data')]);
    expect(await r.exited).toBe(2);
    expect(r.stderr()).toMatch(/relay config: retentionDays: /);
    expect(r.stderr()).not.toContain('usage:');
  }, 30_000);

  it('prints the usage text after a usage error only: an unknown flag, or a malformed port', async () => {
    const unknown = run(['--prot', '8080']);
    expect(await unknown.exited).toBe(2);
    expect(unknown.stderr()).toMatch(/--prot/);
    expect(unknown.stderr()).toContain('usage: occ-relay');
    const empty = run(['--port', '', '--data', path.join(dir, 'data')], CHANNEL_ENV);
    expect(await empty.exited).toBe(2);
    expect(empty.stderr()).toMatch(/--port: not a whole decimal number 0–65535: ""/);
    expect(empty.stderr()).toContain('usage: occ-relay');
  }, 30_000);

  it('says that the data folder is in use by another relay, with the cause underneath', async () => {
    const data = path.join(dir, 'locked');
    const first = run(['--port', '0', '--data', data], CHANNEL_ENV);
    await waitForLine(first.child, /relay listening on/);
    const second = run(['--port', '0', '--data', data], CHANNEL_ENV);
    expect(await second.exited).toBe(2);
    expect(second.stderr()).toContain(`relay: data folder ${data} is in use by another relay (LOCK)`);
    expect(second.stderr()).toMatch(/because: .*lock/i);
    expect(second.stderr()).not.toContain('usage:');
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
  }, 30_000);

  it('names an unreachable Redis without its password', async () => {
    const redis = await startRedis();
    await redis.stop();
    const r = run(['--port', '0', '--backend', 'redis', '--redis-url', `redis://:hunter2-secret@127.0.0.1:${redis.port}`], CHANNEL_ENV);
    expect(await r.exited).toBe(2);
    expect(r.stderr()).toContain(`relay: cannot reach Redis at redis://:***@127.0.0.1:${redis.port}: ECONNREFUSED`);
    expect(r.stderr()).not.toContain('hunter2');
    expect(r.stderr()).not.toContain('usage:');
  }, 30_000);

  it('stops on SIGTERM although a subscriber has stopped reading', async () => {
    const r = run(['--port', '0', '--data', path.join(dir, 'stuck')], CHANNEL_ENV);
    const [, port] = await waitForLine(r.child, /relay listening on http:\/\/127\.0\.0\.1:(\d+)/);
    const socket = net.connect(Number(port), '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.write(`GET /channels/ops/events HTTP/1.1\r\nHost: relay\r\nAuthorization: Bearer ${SUBSCRIBE}\r\n\r\n`);
    socket.pause();
    const body = Buffer.alloc(1024 * 1024, 0x61);
    for (let i = 0; i < 12; i++) {
      const res = await fetch(`http://127.0.0.1:${port}/hooks/ops/am`, { method: 'POST', headers: { authorization: `Bearer ${'i'.repeat(20)}` }, body });
      expect(res.status).toBe(202);
    }
    r.child.kill('SIGTERM');
    expect(await r.exited).toBe(0);
    socket.destroy();
  }, 30_000);

  it('starts from the environment alone, answers /healthz, and stops cleanly on SIGTERM', async () => {
    const r = run(['--port', '0', '--data', path.join(dir, 'data')], CHANNEL_ENV);
    const [, base] = await waitForLine(r.child, /relay listening on (http:\/\/127\.0\.0\.1:\d+) \(backend embedded, channels ops\)/);
    const health = await fetch(`${base}/healthz`);
    expect(await health.json()).toMatchObject({ status: 'ok', backend: 'embedded' });
    r.child.kill('SIGTERM');
    expect(await r.exited).toBe(0);
  }, 30_000);
});
