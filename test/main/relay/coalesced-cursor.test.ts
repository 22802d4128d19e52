import { describe, expect, it, vi } from 'vitest';
import { coalescedCursor, CURSOR_WRITE_MS } from '../../../src/main/features/relay';
import { memoryCursorStore } from '../../../src/main/relay';

function manualTimers() {
  const due: Array<() => void> = [];
  return {
    setTimeout: (fn: () => void) => due.push(fn),
    clearTimeout: (h: unknown) => void (due[(h as number) - 1] = () => undefined),
    fireAll: () => due.splice(0).forEach((f) => f()),
    count: () => due.length,
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
});
