import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RotaFs } from '../features/rota';
import { ImportError } from '../import/errors';

/** A rota file larger than this is refused unread: real ones are kilobytes. */
export const MAX_ROTA_FILE_BYTES = 8 * 1024 * 1024;

/**
 * Reads a file only if it is, after resolving symlinks, a regular file within the limit; a
 * rota.yaml linked to /dev/urandom or a FIFO is refused at once instead of read forever.
 */
export async function readRegularFile(file: string, maxBytes: number): Promise<Uint8Array> {
  const real = await fs.promises.realpath(file);
  const mb = Math.round((maxBytes / 1024 / 1024) * 10) / 10;
  const before = await fs.promises.stat(real);
  if (!before.isFile()) throw new ImportError('imports.notRegularFile', { file });
  if (before.size > maxBytes) throw new ImportError('imports.tooLarge', { megabytes: mb });
  // O_NONBLOCK: if the path was swapped for a FIFO since the stat, open must not hang
  const handle = await fs.promises.open(real, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new ImportError('imports.notRegularFile', { file });
    // read in chunks and stop one past the limit: a file growing while read is still bounded
    const chunks: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      const chunk = new Uint8Array(Math.min(64 * 1024, maxBytes + 1 - total));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      chunks.push(chunk.subarray(0, bytesRead));
      total += bytesRead;
      if (total > maxBytes) throw new ImportError('imports.tooLarge', { megabytes: mb });
    }
    const out = new Uint8Array(total);
    let at = 0;
    for (const c of chunks) {
      out.set(c, at);
      at += c.byteLength;
    }
    return out;
  } finally {
    await handle.close();
  }
}

/** The rota folder on disk: the first rota file found, and a watch on the folder. */
export function createNodeRotaFs(maxBytes = MAX_ROTA_FILE_BYTES): RotaFs {
  return {
    async readFirst(folder, names) {
      for (const name of names) {
        const file = path.join(folder, name);
        try {
          await fs.promises.lstat(file);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
          throw err;
        }
        return { name, bytes: await readRegularFile(file, maxBytes) };
      }
      return null;
    },
    watch(folder, onChange) {
      try {
        const watcher = fs.watch(folder, { persistent: false }, () => onChange());
        watcher.on('error', () => undefined);
        return () => watcher.close();
      } catch {
        // a folder that is not there yet: the read reports it; nothing to watch
        return () => undefined;
      }
    },
  };
}

/** The rota folder source with the default size limit. */
export const nodeRotaFs: RotaFs = createNodeRotaFs();
