import * as fs from 'node:fs';
import * as path from 'node:path';
import { deliverySchema, PULL_MAX_SIGNALS, type Delivery } from '../../core/ipc-contract';
import { writeFileAtomic } from './atomic-file';
import { splitDelivery } from '../../core/pager/split-delivery';
import { appendJsonLines, groupSync, readJsonLines } from './jsonl';

/** Deliveries handed out per pull at most; signals are bounded by PULL_MAX_SIGNALS (ipc-contract). */
export const PULL_MAX_DELIVERIES = 500;

/** Durable hand-off from main to the renderer: a delivery stays here until the renderer confirms it stored it. */
export interface Outbox {
  add(delivery: Delivery): void;
  /**
   * The oldest pending deliveries, bounded by PULL_MAX_DELIVERIES and PULL_MAX_SIGNALS (at least one);
   * with `after`, those queued after that delivery (all of them if it is no longer pending). Each
   * one handed out for the first time since start-up is marked `neverPulled`.
   */
  pending(after?: string | null): Delivery[];
  size(): number;
  confirm(ids: readonly string[]): number;
  /** Why the journal cannot be written (deliveries are then kept in memory only), or null. */
  storageError(): string | null;
  /** Resolves once every delivery added so far is on disk (adds are fsynced off main's loop, together). */
  durable(): Promise<void>;
  /** How many deliveries have been added so far: a mark to wait on with `whenConfirmed`. */
  mark(): number;
  /** The highest mark through which every delivery is confirmed, i.e. stored in a window's Dexie. */
  confirmedThrough(): number;
  /** Resolves once every delivery up to `mark` is confirmed; rejects with an AbortError if `signal` aborts first. */
  whenConfirmed(mark: number, signal?: AbortSignal): Promise<void>;
}

/** The delivery as journaled: whether a window has seen it is known only to this run of main. */
function withoutMark(delivery: Delivery): Delivery {
  if (delivery.neverPulled === undefined) return delivery;
  const { neverPulled: _, ...rest } = delivery;
  return rest;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * An append-only journal (one JSON line per add/confirm; adds fsynced by group commit, see
 * `durable`) so that a page accepted from a source survives a crash before the renderer has it.
 * Lines that cannot be used (torn, garbage, `null`, a number) are skipped and reported; the journal
 * is compacted at start-up and emptied whenever everything is confirmed. If the data folder cannot
 * be written, deliveries stay in memory and `storageError` says so: a pager that keeps working
 * unsaved beats one that refuses pages.
 */
export function createOutbox(file: string, onProblem?: (message: string) => void): Outbox {
  const pending = new Map<string, Delivery>();
  // the order deliveries were added in (pending iterates in it too): "confirmed through n" is the oldest pending one's being above n
  const seqOf = new Map<string, number>();
  let added = 0;
  const waiters = new Set<{ through: number; resolve(): void }>();
  const oldestPending = () => {
    const first = pending.keys().next();
    return first.done ? Infinity : seqOf.get(first.value)!;
  };
  const track = (id: string) => void seqOf.set(id, ++added);
  // Pending deliveries a window may have stored: every one handed out since start-up, and every one
  // read back from the journal (a window may have stored it before a crash or a restart).
  const handedOut = new Set<string>();
  let storageError: string | null = null;
  const name = path.basename(file);
  const sync = groupSync(file, (err) => failed(err), () => compact());

  try {
    load();
  } catch (err) {
    onProblem?.(`cannot read ${file}: ${(err as Error).message}`);
  }
  compact();

  function load(): void {
    readJsonLines(
      file,
      (entry, line) => {
        if (isObject(entry) && 'add' in entry) {
          const parsed = deliverySchema.safeParse(entry['add']);
          if (parsed.success) {
            pending.set(parsed.data.id, withoutMark(parsed.data));
            handedOut.add(parsed.data.id);
            if (!seqOf.has(parsed.data.id)) track(parsed.data.id);
          } else {
            onProblem?.(`${name} line ${line}: invalid delivery skipped`);
          }
        } else if (isObject(entry) && Array.isArray(entry['confirm'])) {
          for (const id of entry['confirm']) {
            if (typeof id !== 'string') continue;
            pending.delete(id);
            handedOut.delete(id);
            seqOf.delete(id);
          }
        } else {
          onProblem?.(`${name} line ${line}: not a journal entry, skipped`);
        }
      },
      (bad) => onProblem?.(`${name} line ${bad.line}: unreadable entry skipped (${bad.reason})`),
    );
  }

  function failed(err: unknown): void {
    const message = `cannot write ${file}: ${(err as Error).message}; pages are kept in memory only until this is fixed`;
    if (storageError === null) onProblem?.(message);
    storageError = message;
  }

  /**
   * Appends entries (already applied to `pending`); `durably` ones are fsynced by the group commit
   * (confirmations need not be). After a failed write or fsync the journal is rewritten whole
   * instead, since lines before the failure may never reach the disk; until that works, durable()
   * rejects and webhooks are answered 500, so their senders try again.
   */
  function write(entries: unknown[], durably: boolean): void {
    if (sync.broken()) return compact();
    try {
      appendJsonLines(file, entries, false);
      if (durably) sync.wrote();
      storageError = null;
    } catch (err) {
      failed(err);
      sync.broke(err as Error);
    }
  }

  /**
   * Everything is confirmed: the journal is emptied in place. No fsync: should the truncation be lost
   * in a crash, the old lines replay to the same empty state (adds and their confirmations).
   */
  function empty(): void {
    if (sync.broken()) return compact();
    try {
      fs.truncateSync(file, 0);
      storageError = null;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') failed(err);
    }
  }

  function compact(): void {
    const body = [...pending.values()].map((d) => JSON.stringify({ add: d })).join('\n');
    try {
      writeFileAtomic(file, body ? `${body}\n` : '');
      storageError = null;
      sync.rewritten();
    } catch (err) {
      failed(err);
      sync.broke(err as Error);
    }
  }

  return {
    add(delivery) {
      // a big delivery goes out in slices, journaled together (one fsync) so none is lost alone
      const parts = splitDelivery(withoutMark(delivery));
      if (parts.some((p) => pending.has(p.id))) return;
      for (const p of parts) {
        pending.set(p.id, p);
        track(p.id);
      }
      write(
        parts.map((p) => ({ add: p })),
        true,
      );
    },
    pending(after = null) {
      const batch: Delivery[] = [];
      let signals = 0;
      // the window is still storing up to `after`: hand out what follows (a Map iterates in insertion order)
      let skipping = after !== null && pending.has(after);
      for (const d of pending.values()) {
        if (skipping) {
          skipping = d.id !== after;
          continue;
        }
        if (batch.length > 0 && (batch.length >= PULL_MAX_DELIVERIES || signals + d.signals.length > PULL_MAX_SIGNALS)) break;
        batch.push(handedOut.has(d.id) ? d : { ...d, neverPulled: true });
        handedOut.add(d.id);
        signals += d.signals.length;
      }
      return batch;
    },
    size: () => pending.size,
    confirm(ids) {
      const known = ids.filter((id) => pending.has(id));
      if (known.length === 0) return 0;
      for (const id of known) {
        pending.delete(id);
        handedOut.delete(id);
        seqOf.delete(id);
      }
      const oldest = oldestPending();
      for (const w of waiters) if (w.through < oldest) w.resolve();
      // A confirmation lost in a crash only means the window gets that delivery once more, and its
      // receipt makes the second store a no-op: so it is not fsynced (adds are).
      if (pending.size === 0) empty();
      else write([{ confirm: known }], false);
      return known.length;
    },
    storageError: () => storageError,
    durable: () => sync.durable(),
    mark: () => added,
    confirmedThrough: () => Math.min(added, oldestPending() - 1),
    whenConfirmed(through, signal) {
      if (through < oldestPending()) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const waiter = {
          through,
          resolve: () => {
            waiters.delete(waiter);
            signal?.removeEventListener('abort', abort);
            resolve();
          },
        };
        const abort = () => {
          waiters.delete(waiter);
          reject(new DOMException('no window stored the deliveries before the stop', 'AbortError'));
        };
        if (signal?.aborted) return abort();
        waiters.add(waiter);
        signal?.addEventListener('abort', abort, { once: true });
      });
    },
  };
}
