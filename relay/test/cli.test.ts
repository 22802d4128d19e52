import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeDir, tempDir, waitForLine } from './support';

const CLI = path.resolve(import.meta.dirname, '../src/cli.ts');
const dir = tempDir('relay-cli-');
afterAll(() => removeDir(dir));

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
  }, 30_000);

  it('starts from the environment alone, answers /healthz, and stops cleanly on SIGTERM', async () => {
    const r = run(['--port', '0', '--data', path.join(dir, 'data')], { RELAY_CHANNEL_OPS_INGEST_TOKEN: 'i'.repeat(20), RELAY_CHANNEL_OPS_SUBSCRIBER_TOKEN: 's'.repeat(20) });
    const [, base] = await waitForLine(r.child, /relay listening on (http:\/\/127\.0\.0\.1:\d+) \(backend embedded, channels ops\)/);
    const health = await fetch(`${base}/healthz`);
    expect(await health.json()).toMatchObject({ status: 'ok', backend: 'embedded' });
    r.child.kill('SIGTERM');
    expect(await r.exited).toBe(0);
  }, 30_000);
});
