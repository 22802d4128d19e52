import { spawn } from 'node:child_process';
import * as net from 'node:net';
import { describe, expect, it } from 'vitest';
import { tempDir } from './relay-process';

/** Whether the port stops accepting connections (the relay process is gone) within `withinMs`. */
async function refused(port: number, withinMs: number): Promise<boolean> {
  const until = Date.now() + withinMs;
  while (Date.now() < until) {
    const open = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => {
        s.destroy();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (!open) return true;
    await new Promise((r) => setImmediate(r));
  }
  return false;
}

describe('npm run relay', () => {
  it('stops the relay itself on SIGTERM, not only npm: no orphaned relay keeps the port and the data folder', async () => {
    const data = tempDir('relay-npm-');
    const npm = spawn('npm', ['run', '--silent', 'relay', '--', '--port', '0', '--data', data.dir], {
      env: { ...process.env, RELAY_CHANNEL_OPS_INGEST_TOKEN: 'ingest-token-0123456789', RELAY_CHANNEL_OPS_SUBSCRIBER_TOKEN: 'subscriber-token-0123456789' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const port = await new Promise<number>((resolve, reject) => {
        let out = '';
        npm.stdout.on('data', (b: Buffer) => {
          out += b.toString();
          const m = /relay listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
          if (m) resolve(Number(m[1]));
        });
        npm.on('exit', (code) => reject(new Error(`npm run relay ended (${code}) before listening: ${out}`)));
      });
      const exited = new Promise((resolve) => npm.on('exit', resolve));
      npm.kill('SIGTERM');
      await exited;
      // the relay closes its store and exits within its 5 s bound
      expect(await refused(port, 15_000)).toBe(true);
    } finally {
      npm.kill('SIGKILL');
      data.remove();
    }
  }, 60_000);
});
