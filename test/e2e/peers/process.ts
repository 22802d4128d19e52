import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { createServer } from 'node:net';

/** A child process whose output lines can be awaited; stopped by PID when the test ends. */
export interface Peer {
  proc: ChildProcess;
  output: string[];
  waitForLine(pattern: RegExp, what: string, timeoutMs?: number): Promise<RegExpMatchArray>;
  stop(): Promise<void>;
}

/** Starts a program and collects its stdout and stderr lines. */
export function startPeer(command: string, args: string[], options: SpawnOptions = {}): Peer {
  const proc = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
  const output: string[] = [];
  const watchers = new Set<(line: string) => void>();
  let exited: string | null = null;
  const onData = (buf: Buffer) => {
    for (const line of buf.toString('utf8').split('\n')) {
      if (!line) continue;
      output.push(line);
      watchers.forEach((w) => w(line));
    }
  };
  proc.stdout?.on('data', onData);
  proc.stderr?.on('data', onData);
  proc.on('exit', (code, signal) => {
    exited = `${command} exited (${code ?? signal})`;
    watchers.forEach((w) => w(''));
  });
  return {
    proc,
    output,
    waitForLine(pattern, what, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const done = (fn: () => void) => {
          clearTimeout(timer);
          watchers.delete(check);
          fn();
        };
        const check = (line: string) => {
          const m = line ? pattern.exec(line) : null;
          if (m) done(() => resolve(m));
          else if (exited) done(() => reject(new Error(`${what}: ${exited}\n${output.slice(-20).join('\n')}`)));
        };
        const timer = setTimeout(() => done(() => reject(new Error(`timed out waiting for ${what}\n${output.slice(-20).join('\n')}`))), timeoutMs);
        watchers.add(check);
        for (const line of output) check(line);
        if (exited) check('');
      });
    },
    stop() {
      if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
      return new Promise((resolve) => {
        proc.once('exit', () => resolve());
        proc.kill('SIGTERM');
      });
    },
  };
}

/** Asks the kernel for a free loopback port. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}
