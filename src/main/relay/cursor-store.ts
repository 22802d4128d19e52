import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { relayEventIdSchema } from '../../core/relay/envelope';
import type { CursorStore } from './relay-client';

/**
 * Writes `data` to a temporary file, fsyncs it and renames it over `file`, all on libuv's thread
 * pool: main's event loop keeps serving pages while the disk is slow. Readers see the old or the
 * new content, never half of it.
 */
async function writeFileAtomicAsync(file: string, data: string, tmp: string): Promise<void> {
  await fsp.mkdir(path.dirname(file), { recursive: true });
  const handle = await fsp.open(tmp, 'w', 0o600);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await fsp.rename(tmp, file);
  } catch (err) {
    await fsp.rm(tmp, { force: true }).catch(() => undefined);
    throw err;
  }
}

/**
 * Keeps the last stored event id in a small file, written atomically; a broken file means "from now".
 * Saves run one after another, so an older id never lands after a newer one.
 */
export function fileCursorStore(file: string): CursorStore {
  let queue: Promise<unknown> = Promise.resolve();
  let n = 0;
  return {
    async load() {
      try {
        const text = (await fsp.readFile(file, 'utf8')).trim();
        return relayEventIdSchema.safeParse(text).success ? text : null;
      } catch {
        return null;
      }
    },
    save(id) {
      const tmp = `${file}.${process.pid}.${n++}.tmp`;
      const write = queue.then(() => writeFileAtomicAsync(file, id, tmp));
      queue = write.catch(() => undefined);
      return write;
    },
  };
}

/** An in-memory cursor (tests, and smee sources that have nothing to resume). */
export function memoryCursorStore(initial: string | null = null): CursorStore & { value(): string | null } {
  let value = initial;
  return {
    load: async () => value,
    save: async (id) => {
      value = id;
    },
    value: () => value,
  };
}
