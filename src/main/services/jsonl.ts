import * as fs from 'node:fs';
import { promises as fsp } from 'node:fs';

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

/**
 * Group commit for one journal file. Lines are written at once (into the page cache: microseconds)
 * and fsynced on libuv's thread pool, one fsync at a time, each covering every write made before it
 * began. So main's event loop never waits on the disk: with the window storing pages in IndexedDB,
 * an fsync on the loop took up to tens of milliseconds, and the next page's notification waited
 * behind it. Whoever answers "stored" to the outside (a webhook's 200, the relay cursor) first awaits
 * `durable()`, so a page is acknowledged only once it is on disk, as before.
 */
export interface GroupSync {
  /** Call after each write to the file: an fsync is then under way or queued. */
  wrote(): void;
  /**
   * Resolves once every write made before the call is on disk; rejects if its fsync failed, and
   * from then on until `rewritten()`: after a failed fsync the kernel may have dropped those lines,
   * so no later fsync proves them stored.
   */
  durable(): Promise<void>;
  /** A write to the file failed: durable() rejects until `rewritten()`. */
  broke(err: Error): void;
  /** The owner rewrote the whole file and fsynced it (writeFileAtomic): what it holds is on disk. */
  rewritten(): void;
  /** True from a failed write or fsync until `rewritten()`: the owner must rewrite the file. */
  broken(): boolean;
}

/**
 * A GroupSync for `file`; `onError` hears a failed fsync (its writes' durable() calls reject too).
 * `repair` rewrites the whole file (and calls `rewritten()` if that worked): durable() tries it while
 * broken, so a disk that recovers is used again even if nothing new is written.
 */
export function groupSync(file: string, onError: (err: Error) => void, repair: () => void = () => undefined): GroupSync {
  let written = 0;
  let synced = 0;
  let running = false;
  let failure: Error | null = null;
  let waiters: Array<{ upTo: number; resolve: () => void; reject: (err: Error) => void }> = [];

  function settle(upTo: number, err: Error | null): void {
    const due = waiters.filter((w) => w.upTo <= upTo);
    waiters = waiters.filter((w) => w.upTo > upTo);
    for (const w of due) {
      if (err) w.reject(err);
      else w.resolve();
    }
  }

  function run(): void {
    if (running || synced >= written) return;
    running = true;
    const upTo = written;
    fsyncFile(file).then(
      () => {
        // a rewrite meanwhile may have moved it further already
        synced = Math.max(synced, upTo);
        settle(upTo, null);
      },
      (err: Error) => {
        // not retried: a second fsync could succeed without the lines the first one lost
        synced = Math.max(synced, upTo);
        failure = err;
        settle(upTo, err);
        onError(err);
      },
    ).finally(() => {
      running = false;
      run();
    });
  }

  return {
    wrote() {
      written++;
      run();
    },
    durable() {
      if (failure) repair();
      if (failure) return Promise.reject(failure);
      if (synced >= written) return Promise.resolve();
      const upTo = written;
      return new Promise<void>((resolve, reject) => {
        waiters.push({ upTo, resolve, reject });
        run();
      });
    },
    broke(err) {
      failure = err;
    },
    rewritten() {
      failure = null;
      // the rewrite holds every line written so far, fsynced: waiters for them may go
      synced = written;
      settle(written, null);
    },
    broken: () => failure !== null,
  };
}

/**
 * fsyncs a file through a descriptor of its own: fsync covers every write to the file, by any
 * descriptor. A file that is gone (a restore removed it) has nothing left to sync, and is not created.
 */
async function fsyncFile(file: string): Promise<void> {
  let handle: fsp.FileHandle;
  try {
    // 'r+' rather than 'r': Windows flushes only a handle opened for writing
    handle = await fsp.open(file, 'r+');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
