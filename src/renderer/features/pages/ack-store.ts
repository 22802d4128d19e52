import { create } from 'zustand';
import { bridge } from '../../bridge';

/** How long Undo is offered before the acknowledgement is sent to main. */
export const UNDO_MS = 10_000;

/**
 * An acknowledgement the engineer gave that main has not confirmed yet. Main has no
 * "unacknowledge", so Undo works by holding the request back for UNDO_MS: `waiting` can be
 * undone, `sending` is with main, `failed` carries main's (translated) error.
 */
export interface PendingAck {
  key: string;
  ids: string[];
  at: number;
  phase: 'waiting' | 'sending' | 'failed';
  error: string | null;
}

/** Optimistic acknowledgements: UI state only, the pages themselves change through main's deliveries. */
interface AckState {
  acks: Record<string, PendingAck>;
  /** Rows acknowledged here that keep their place until the engineer moves on. */
  held: ReadonlySet<string>;
  acknowledge(key: string, ids: string[], now: number): void;
  undo(key: string): void;
  /** Sends a waiting acknowledgement now (the Undo window is given up). */
  sendNow(key: string): void;
  /** Drops acknowledgements whose pages all show as acknowledged (or gone) in the store. */
  settle(isOpen: (id: string) => boolean): void;
  /** The engineer moved to another row: rows held in place may now move. */
  release(exceptKey: string | null): void;
  dismiss(key: string): void;
}

const timers = new Map<string, ReturnType<typeof setTimeout>>();
const MAX_IDS = 10_000;

async function send(key: string): Promise<void> {
  timers.delete(key);
  const ack = useAckStore.getState().acks[key];
  if (!ack || ack.phase !== 'waiting') return;
  useAckStore.setState((s) => ({ acks: { ...s.acks, [key]: { ...ack, phase: 'sending' } } }));
  try {
    // main caps one request at 10,000 ids; a bigger group goes in slices
    for (let i = 0; i < ack.ids.length; i += MAX_IDS) await bridge().acknowledgePages({ ids: ack.ids.slice(i, i + MAX_IDS) });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    useAckStore.setState((s) => (s.acks[key] ? { acks: { ...s.acks, [key]: { ...s.acks[key]!, phase: 'failed', error: message } } } : s));
  }
}

/** The store of optimistic acknowledgements, keyed by row (group key or page id). */
export const useAckStore = create<AckState>()((set, get) => ({
  acks: {},
  held: new Set(),
  acknowledge(key, ids, now) {
    if (ids.length === 0) return;
    const existing = get().acks[key];
    if (existing && existing.phase !== 'failed') return;
    clearTimeout(timers.get(key));
    set((s) => ({ acks: { ...s.acks, [key]: { key, ids, at: now, phase: 'waiting', error: null } }, held: new Set([...s.held, key]) }));
    timers.set(
      key,
      setTimeout(() => void send(key), UNDO_MS),
    );
  },
  undo(key) {
    const ack = get().acks[key];
    if (!ack || ack.phase === 'sending') return;
    clearTimeout(timers.get(key));
    timers.delete(key);
    set((s) => {
      const acks = { ...s.acks };
      delete acks[key];
      return { acks };
    });
  },
  sendNow(key) {
    clearTimeout(timers.get(key));
    void send(key);
  },
  settle(isOpen) {
    const done = Object.values(get().acks).filter((a) => a.phase === 'sending' && !a.ids.some(isOpen));
    if (done.length === 0) return;
    set((s) => {
      const acks = { ...s.acks };
      for (const a of done) delete acks[a.key];
      return { acks };
    });
  },
  release(exceptKey) {
    const held = get().held;
    if (held.size === 0 || (held.size === 1 && exceptKey !== null && held.has(exceptKey))) return;
    set({ held: exceptKey !== null && held.has(exceptKey) ? new Set([exceptKey]) : new Set() });
  },
  dismiss(key) {
    set((s) => {
      const acks = { ...s.acks };
      delete acks[key];
      return { acks };
    });
  },
}));

/** Forgets every pending acknowledgement and its timer (tests, and a reload of the view). */
export function resetAcks(): void {
  timers.forEach((t) => clearTimeout(t));
  timers.clear();
  useAckStore.setState({ acks: {}, held: new Set() });
}
