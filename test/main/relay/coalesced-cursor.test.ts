import { describe, expect, it, vi } from 'vitest';
import { coalescedCursor, CURSOR_WRITE_MS } from '../../../src/main/features/relay';
import { memoryCursorStore } from '../../../src/main/relay';

function manualTimers() {
  // by handle, so clearing a timer that already fired does nothing
  const due = new Map<number, () => void>();
  let next = 0;
  return {
    setTimeout: (fn: () => void) => {
      due.set(++next, fn);
      return next;
    },
    clearTimeout: (h: unknown) => void due.delete(h as number),
    fireAll: () => {
      const now = [...due.values()];
      due.clear();
      now.forEach((f) => f());
    },
    count: () => due.size,
  };
}

describe('the relay cursor is written once per burst', () => {
  it('a burst of events writes the file once, with the last id; a reconnect meanwhile asks from the newest id', async () => {
    const file = memoryCursorStore('1-0');
    const writes: string[] = [];
    const timers = manualTimers();
    const cursor = coalescedCursor({ load: file.load, save: async (id) => void writes.push(id) }, timers);
    for (let i = 2; i <= 100; i++) await cursor.save(`${i}-0`);
    expect(writes).toEqual([]);
    expect(timers.count()).toBe(1);
    expect(await cursor.load()).toBe('100-0');
    timers.fireAll();
    await vi.waitFor(() => expect(writes).toEqual(['100-0']));
    expect(CURSOR_WRITE_MS).toBeLessThanOrEqual(1_000);
  });

  it('the file moves only once the pages up to that id are on disk (the journals are fsynced off the loop)', async () => {
    const writes: string[] = [];
    let onDisk: () => void = () => undefined;
    const fsynced = new Promise<void>((r) => (onDisk = r));
    const timers = manualTimers();
    const cursor = coalescedCursor({ load: async () => null, save: async (id) => void writes.push(id) }, timers, CURSOR_WRITE_MS, () => undefined, () => fsynced);
    await cursor.save('9-0');
    timers.fireAll();
    const flushed = cursor.flush();
    // a reconnect meanwhile still asks from the newest id: those pages are in main's journal
    expect(await cursor.load()).toBe('9-0');
    await new Promise((r) => setImmediate(r));
    expect(writes).toEqual([]);
    onDisk();
    await flushed;
    expect(writes).toEqual(['9-0']);
  });

  it('stopping writes what is waiting at once, so a restart replays nothing twice', async () => {
    const file = memoryCursorStore(null);
    const timers = manualTimers();
    const cursor = coalescedCursor(file, timers);
    await cursor.save('7-0');
    await cursor.flush();
    expect(file.value()).toBe('7-0');
    // the timer that was waiting no longer writes
    await cursor.save('8-0');
    await cursor.flush();
    timers.fireAll();
    expect(file.value()).toBe('8-0');
    expect(await coalescedCursor(file, timers).load()).toBe('8-0');
  });

  it('a failed write (disk full) is reported and kept for the next, and never rejects a stop', async () => {
    const timers = manualTimers();
    const errors: string[] = [];
    let full = true;
    const saved: string[] = [];
    const cursor = coalescedCursor({ load: async () => null, save: async (id) => (full ? Promise.reject(new Error('ENOSPC: no space left on device')) : void saved.push(id)) }, timers, CURSOR_WRITE_MS, (err) => errors.push(err.message));
    await cursor.save('5-0');
    await expect(cursor.flush()).resolves.toBeUndefined();
    expect(errors).toEqual(['ENOSPC: no space left on device']);
    expect(await cursor.load()).toBe('5-0');
    full = false;
    await cursor.flush();
    expect(saved).toEqual(['5-0']);
  });

  it('a reconnect while the file is being written asks from the id being written, and a stop waits for that write', async () => {
    const timers = manualTimers();
    let finish: () => void = () => undefined;
    const saved: string[] = [];
    const cursor = coalescedCursor(
      {
        load: async () => saved.at(-1) ?? null,
        save: (id) =>
          new Promise<void>((resolve) => {
            finish = () => {
              saved.push(id);
              resolve();
            };
          }),
      },
      timers,
    );
    await cursor.save('9-0');
    timers.fireAll();
    await Promise.resolve();
    await Promise.resolve();
    // the disk is slow: the write has begun and not landed
    expect(saved).toEqual([]);
    expect(await cursor.load()).toBe('9-0');
    let stopped = false;
    const stop = cursor.flush().then(() => void (stopped = true));
    await Promise.resolve();
    expect(stopped).toBe(false);
    finish();
    await stop;
    expect(saved).toEqual(['9-0']);
    expect(await cursor.load()).toBe('9-0');
  });

  it('with a window: the file moves to the newest id whose pages the window has stored, and the rest follow without a new event', async () => {
    const timers = manualTimers();
    const saved: string[] = [];
    let added = 0;
    let through = 0;
    const waits: Array<{ mark: number; done(): void }> = [];
    const inWindow = {
      mark: () => added,
      confirmedThrough: () => through,
      whenConfirmed: (mark: number) => new Promise<void>((done) => waits.push({ mark, done })),
    };
    const cursor = coalescedCursor({ load: async () => null, save: async (id) => void saved.push(id) }, timers, CURSOR_WRITE_MS, () => undefined, () => Promise.resolve(), inWindow);
    added = 1;
    await cursor.save('1-0');
    // a repeat that changed nothing adds no delivery
    await cursor.save('2-0');
    added = 2;
    await cursor.save('3-0');
    timers.fireAll();
    await vi.waitFor(() => expect(waits.map((w) => w.mark)).toEqual([1]));
    expect(saved).toEqual([]);
    // the window stored the first delivery only
    through = 1;
    waits[0]!.done();
    await vi.waitFor(() => expect(saved).toEqual(['2-0']));
    // 3-0 waits on: its round comes by itself
    await vi.waitFor(() => expect(timers.count()).toBe(1));
    through = 2;
    timers.fireAll();
    await vi.waitFor(() => expect(saved).toEqual(['2-0', '3-0']));
  });

  it('with a window that stores nothing at quit: close gives up the wait, keeps the older id, and reports no error', async () => {
    const timers = manualTimers();
    const file = memoryCursorStore('1-0');
    const errors: string[] = [];
    const inWindow = {
      mark: () => 5,
      confirmedThrough: () => 4,
      whenConfirmed: (_mark: number, signal?: AbortSignal) => new Promise<void>((_, reject) => signal?.addEventListener('abort', () => reject(new DOMException('stop', 'AbortError')))),
    };
    const cursor = coalescedCursor(file, timers, CURSOR_WRITE_MS, (err) => errors.push(err.message), () => Promise.resolve(), inWindow);
    await cursor.save('9-0');
    timers.fireAll();
    await cursor.close();
    expect(file.value()).toBe('1-0');
    expect(errors).toEqual([]);
  });

  it('a window that stores nothing for days keeps at most a thousand ids waiting, still only ones it could write', async () => {
    const timers = manualTimers();
    let added = 0;
    let through = 0;
    const saved: string[] = [];
    const inWindow = { mark: () => added, confirmedThrough: () => through, whenConfirmed: () => new Promise<void>(() => undefined) };
    const cursor = coalescedCursor({ load: async () => null, save: async (id) => void saved.push(id) }, timers, CURSOR_WRITE_MS, () => undefined, () => Promise.resolve(), inWindow);
    for (let i = 1; i <= 5_000; i++) {
      added = i;
      await cursor.save(`${i}-0`);
    }
    expect(await cursor.load()).toBe('5000-0');
    through = 2_500;
    await cursor.flush();
    // the newest id at or below what the window has, never one above it
    expect(saved).toHaveLength(1);
    expect(Number(saved[0]!.split('-')[0])).toBeLessThanOrEqual(2_500);
    expect(Number(saved[0]!.split('-')[0])).toBeGreaterThan(2_490);
  });
});
