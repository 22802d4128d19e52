import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RotaFs } from '../features/rota';

/** The rota folder on disk: the first rota file found, and a watch on the folder. */
export const nodeRotaFs: RotaFs = {
  async readFirst(folder, names) {
    for (const name of names) {
      try {
        return { name, text: await fs.promises.readFile(path.join(folder, name), 'utf8') };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
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
