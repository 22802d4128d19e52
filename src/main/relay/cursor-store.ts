import { promises as fsp } from 'node:fs';
import { relayEventIdSchema } from '../../core/relay/envelope';
import { writeFileAtomic } from '../services/atomic-file';
import type { CursorStore } from './relay-client';

/** Keeps the last stored event id in a small file, written atomically; a broken file means "from now". */
export function fileCursorStore(file: string): CursorStore {
  return {
    async load() {
      try {
        const text = (await fsp.readFile(file, 'utf8')).trim();
        return relayEventIdSchema.safeParse(text).success ? text : null;
      } catch {
        return null;
      }
    },
    async save(id) {
      writeFileAtomic(file, id);
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
