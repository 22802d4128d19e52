import * as fs from 'node:fs';
import * as path from 'node:path';
import { emptyState, reduce, type LiveState, type PagerInput, type PagerPolicy, type PagerResult } from '../../core/pager/live-state';
import { fromSnapshot, parseInput, snapshotSchema, toSnapshot } from '../../core/pager/snapshot';
import { describeIssues } from '../../core/validation';
import { writeFileAtomic } from './atomic-file';
import { appendJsonLines, groupSync, readJsonLines } from './jsonl';

/** After this many journal lines the state is written as a snapshot and the journal emptied. */
const COMPACT_AFTER_LINES = 2_000;

/** The live pager state, kept durable as a snapshot plus a journal of the inputs since. */
export interface PagerStore {
  state(): LiveState;
  /** Applies an input in memory and returns the effects due; `record` it once they are carried out. */
  apply(input: PagerInput): PagerResult;
  /**
   * Journals an applied input. Main records only after the notification went out: a crash in
   * between then rings twice after the source retries, which beats never ringing at all.
   * Never throws for storage trouble; `storageError` says so instead.
   */
  record(input: PagerInput): void;
  /** Writes a snapshot now and empties the journal (at quit, and when the journal grows). */
  compact(): void;
  /** Why the state cannot be written (it is then kept in memory only), or null. */
  storageError(): string | null;
  /** Resolves once every input recorded so far is on disk (the journal is fsynced off main's loop, by group commit). */
  durable(): Promise<void>;
  /** True when no state was on disk: main must be seeded from the renderer's store. */
  fresh(): boolean;
  /**
   * Stops every write for good (a restore is about to replace the files): record and compact
   * then do nothing, so the state in memory can never overwrite the restored files.
   */
  close(): void;
}

/**
 * Loads pager-state.json and replays pager-journal.jsonl. Unusable snapshot or journal lines are
 * reported and skipped; what can be read is kept, because forgetting what rang means ringing again.
 */
export function createPagerStore(dir: string, policy: () => PagerPolicy, onProblem: (message: string) => void): PagerStore {
  const snapshotFile = path.join(dir, 'pager-state.json');
  const journalFile = path.join(dir, 'pager-journal.jsonl');
  let storageError: string | null = null;
  let journalLines = 0;
  let fresh = false;
  let closed = false;
  const sync = groupSync(journalFile, (err) => failed(err), () => compact());

  let state = loadSnapshot();
  try {
    replayJournal();
  } catch (err) {
    onProblem(`cannot read ${journalFile}: ${(err as Error).message}`);
  }
  if (journalLines > 0) compact();

  function replayJournal(): void {
    readJsonLines(
      journalFile,
      (value, line) => {
        const input = parseInput(value);
        if (input === null) {
          onProblem(`pager-journal.jsonl line ${line}: not a pager input, skipped`);
          return;
        }
        state = reduce(state, input, policy()).state;
        journalLines++;
      },
      (bad) => onProblem(`pager-journal.jsonl line ${bad.line}: unreadable entry skipped (${bad.reason})`),
    );
  }

  function loadSnapshot(): LiveState {
    let text: string;
    try {
      text = fs.readFileSync(snapshotFile, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') onProblem(`cannot read ${snapshotFile}: ${(err as Error).message}`);
      fresh = !fs.existsSync(journalFile);
      return emptyState(!fresh);
    }
    try {
      const parsed = snapshotSchema.safeParse(JSON.parse(text));
      if (parsed.success) return fromSnapshot(parsed.data);
      onProblem(`${snapshotFile}: ${describeIssues(parsed.error)}; starting from the journal`);
    } catch (err) {
      onProblem(`${snapshotFile}: invalid JSON (${(err as Error).message}); starting from the journal`);
    }
    return emptyState(true);
  }

  function failed(err: unknown): void {
    const message = `cannot write the pager state in ${dir}: ${(err as Error).message}; it is kept in memory only until this is fixed`;
    if (storageError === null) onProblem(message);
    storageError = message;
  }

  function compact(): void {
    if (closed) return;
    try {
      writeFileAtomic(snapshotFile, JSON.stringify(toSnapshot(state)));
      writeFileAtomic(journalFile, '');
      journalLines = 0;
      storageError = null;
      sync.rewritten();
    } catch (err) {
      failed(err);
      sync.broke(err as Error);
    }
  }

  return {
    state: () => state,
    apply(input) {
      const result = reduce(state, input, policy());
      state = result.state;
      return result;
    },
    record(input) {
      if (closed) return;
      // after a failed write or fsync, lines before it may never reach the disk: the snapshot
      // (which already holds this input) replaces them, or durable() keeps rejecting
      if (sync.broken()) return compact();
      try {
        fs.mkdirSync(dir, { recursive: true });
        appendJsonLines(journalFile, [input], false);
        sync.wrote();
        journalLines++;
        storageError = null;
      } catch (err) {
        failed(err);
        sync.broke(err as Error);
      }
      if (journalLines >= COMPACT_AFTER_LINES) compact();
    },
    compact,
    storageError: () => storageError,
    durable: () => sync.durable(),
    fresh: () => fresh,
    close() {
      closed = true;
    },
  };
}
