import * as fs from 'node:fs';
import * as path from 'node:path';
import { deliverySchema, type Delivery } from '../../core/ipc-contract';
import { writeFileAtomic } from './atomic-file';

/** Durable hand-off from main to the renderer: a delivery stays here until the renderer confirms it stored it. */
export interface Outbox {
  add(delivery: Delivery): void;
  pending(): Delivery[];
  confirm(ids: readonly string[]): number;
}

type JournalLine = { add: Delivery } | { confirm: string[] };

/**
 * An append-only journal (one JSON line per add/confirm, fsynced) so that a page accepted from
 * Alertmanager survives a crash before the renderer has it. A torn last line from a crash mid-write
 * is skipped; the journal is compacted when everything is confirmed and at start-up.
 */
export function createOutbox(file: string, onCorrupt?: (message: string) => void): Outbox {
  const pending = new Map<string, Delivery>();
  load();
  compact();

  function load(): void {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    const lines = text.split('\n');
    lines.forEach((line, index) => {
      if (!line.trim()) return;
      let entry: JournalLine;
      try {
        entry = JSON.parse(line) as JournalLine;
      } catch {
        onCorrupt?.(`${path.basename(file)} line ${index + 1}: unreadable entry skipped`);
        return;
      }
      if ('add' in entry) {
        const parsed = deliverySchema.safeParse(entry.add);
        if (parsed.success) pending.set(parsed.data.id, parsed.data);
        else onCorrupt?.(`${path.basename(file)} line ${index + 1}: invalid delivery skipped`);
      } else if ('confirm' in entry && Array.isArray(entry.confirm)) {
        for (const id of entry.confirm) pending.delete(id);
      }
    });
  }

  function append(entry: JournalLine): void {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const fd = fs.openSync(file, 'a', 0o600);
    try {
      fs.writeSync(fd, `${JSON.stringify(entry)}\n`);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  }

  function compact(): void {
    const body = [...pending.values()].map((d) => JSON.stringify({ add: d })).join('\n');
    writeFileAtomic(file, body ? `${body}\n` : '');
  }

  return {
    add(delivery) {
      if (pending.has(delivery.id)) return;
      append({ add: delivery });
      pending.set(delivery.id, delivery);
    },
    pending() {
      return [...pending.values()];
    },
    confirm(ids) {
      const known = ids.filter((id) => pending.has(id));
      if (known.length === 0) return 0;
      for (const id of known) pending.delete(id);
      if (pending.size === 0) compact();
      else append({ confirm: known });
      return known.length;
    },
  };
}
