import * as fs from 'node:fs';

/** Read this much at a time, so a journal of any size is read without one giant string. */
const CHUNK_BYTES = 4 * 1024 * 1024;
/** A longer line is skipped: a 32 MiB webhook makes a journal line of about 70 MiB at most. */
const MAX_LINE_BYTES = 128 * 1024 * 1024;

/** Where a journal line could not be used, and why; the caller reports it and goes on. */
export interface BadLine {
  line: number;
  reason: string;
}

/**
 * Calls `onValue` for every line of a JSON-lines file that parses as JSON, and `onBad` for every
 * line that does not (a torn last line after a crash, or garbage). A missing file is empty.
 * Reading is synchronous on purpose: it runs once at start-up, before anything listens.
 */
export function readJsonLines(file: string, onValue: (value: unknown, line: number) => void, onBad: (bad: BadLine) => void): void {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  try {
    const buf = Buffer.allocUnsafe(CHUNK_BYTES);
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    let skipping = false;
    let line = 0;
    const finish = (bytes: Buffer) => {
      line++;
      if (skipping) {
        skipping = false;
        onBad({ line, reason: `longer than ${MAX_LINE_BYTES} bytes` });
        return;
      }
      const text = bytes.toString('utf8').trim();
      if (!text) return;
      try {
        onValue(JSON.parse(text), line);
      } catch (err) {
        onBad({ line, reason: `not JSON (${(err as Error).message})` });
      }
    };
    for (;;) {
      const n = fs.readSync(fd, buf, 0, CHUNK_BYTES, null);
      if (n === 0) break;
      let start = 0;
      for (let i = buf.indexOf(10, 0); i !== -1 && i < n; i = buf.indexOf(10, i + 1)) {
        const part = buf.subarray(start, i);
        finish(pending.length ? Buffer.concat([...pending, part]) : part);
        pending = [];
        pendingBytes = 0;
        start = i + 1;
      }
      if (start < n && !skipping) {
        pending.push(Buffer.from(buf.subarray(start, n)));
        pendingBytes += n - start;
        if (pendingBytes > MAX_LINE_BYTES) {
          pending = [];
          pendingBytes = 0;
          skipping = true;
        }
      }
    }
    if (pending.length || skipping) finish(Buffer.concat(pending));
  } finally {
    fs.closeSync(fd);
  }
}

/** Appends one JSON line and fsyncs it, so an accepted page survives a crash. */
export function appendJsonLine(file: string, value: unknown): void {
  appendJsonLines(file, [value]);
}

/**
 * Appends several JSON lines with one write and, unless `sync` is false, one fsync: they become
 * durable together. Returns the bytes written.
 */
export function appendJsonLines(file: string, values: readonly unknown[], sync = true): number {
  const text = values.map((v) => `${JSON.stringify(v)}\n`).join('');
  const fd = fs.openSync(file, 'a', 0o600);
  try {
    fs.writeSync(fd, text);
    if (sync) fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  return Buffer.byteLength(text);
}
