import { create } from 'zustand';
import type { PageStatus } from '../../../core/page';
import { bridge } from '../../bridge';

/** How long Undo is offered after an acknowledgement. */
export const UNDO_MS = 10_000;

/**
 * An acknowledgement given here. It goes to main at once (nothing is lost if the window closes);
 * Undo asks main to take it back. `sending`: with main; `sent`: main took it; `undoing`: the
 * Undo is with main; `failed`: main refused `failedAction`, with its (translated) error.
 */
export interface PendingAck {
  key: string;
  ids: string[];
  at: number;
  phase: 'sending' | 'sent' | 'undoing' | 'failed';
  /** The store shows the pages acknowledged (the row shows main's state, not the optimistic one); while undoing: main took the Undo. */
  settled: boolean;
  /** Undo is still offered (the first UNDO_MS). */
  undoable: boolean;
  failedAction: 'acknowledge' | 'unacknowledge' | null;
  error: string | null;
  /** The pages main said this acknowledgement changed (null until it answered): Undo takes back only these. */
  changed: string[] | null;
}

/** Optimistic acknowledgements: UI state only, the pages themselves change through main's deliveries. */
interface AckState {
  acks: Record<string, PendingAck>;
  /** Rows acknowledged here that keep their place until the engineer moves on. */
  held: ReadonlySet<string>;
  acknowledge(key: string, ids: string[], now: number): void;
  /** Takes an acknowledgement back through main, while Undo is offered. */
  undo(key: string): void;
  /** Tries the failed request again. */
  retry(key: string): void;
  /** Follows the store: an acknowledgement is settled once its pages show acknowledged, an Undo once they no longer do. */
  settle(statusOf: (id: string) => PageStatus | undefined): void;
  /** The engineer moved to another row: rows held in place may now move. */
  release(exceptKey: string | null): void;
  dismiss(key: string): void;
}

const timers = new Map<string, ReturnType<typeof setTimeout>>();
const inflight = new Map<string, Promise<boolean>>();
/** Main caps one request at 10,000 ids; a bigger group goes in slices. */
const MAX_IDS = 10_000;

function patch(key: string, change: Partial<PendingAck>): void {
  useAckStore.setState((s) => (s.acks[key] ? { acks: { ...s.acks, [key]: { ...s.acks[key]!, ...change } } } : s));
}

function drop(key: string): void {
  clearTimeout(timers.get(key));
  timers.delete(key);
  useAckStore.setState((s) => {
    if (!s.acks[key]) return s;
    const acks = { ...s.acks };
    delete acks[key];
    return { acks };
  });
}

/** Sends the request in slices; resolves to the ids main changed, or null when it failed. */
async function request(key: string, action: 'acknowledge' | 'unacknowledge', ids: string[]): Promise<string[] | null> {
  const changed: string[] = [];
  try {
    for (let i = 0; i < ids.length; i += MAX_IDS) {
      const slice = ids.slice(i, i + MAX_IDS);
      if (action === 'acknowledge') changed.push(...(await bridge().acknowledgePages({ ids: slice })).ids);
      else await bridge().unacknowledgePages({ ids: slice });
    }
    return changed;
  } catch (err) {
    // slices main took before the failure stay acknowledged there: Undo must cover them too
    const partly = action === 'acknowledge' && changed.length > 0 ? { changed: mergeChanged(key, changed) } : {};
    patch(key, { phase: 'failed', failedAction: action, error: err instanceof Error ? err.message : String(err), ...partly });
    return null;
  }
}

/** The pages this row's acknowledgement changed so far, over a failed attempt and its retry. */
function mergeChanged(key: string, more: readonly string[]): string[] {
  return [...new Set([...(useAckStore.getState().acks[key]?.changed ?? []), ...more])];
}

function sendAck(key: string, ids: string[]): void {
  const sent = request(key, 'acknowledge', ids).then((result) => {
    if (result === null) return false;
    const changed = mergeChanged(key, result);
    patch(key, useAckStore.getState().acks[key]?.phase === 'sending' ? { phase: 'sent', changed } : { changed });
    return true;
  });
  inflight.set(key, sent);
  void sent.finally(() => inflight.get(key) === sent && inflight.delete(key));
}

async function sendUndo(key: string): Promise<void> {
  const ack = useAckStore.getState().acks[key];
  if (!ack) return;
  // an acknowledgement still on its way is taken back once main has it
  const pending = inflight.get(key);
  if (pending && !(await pending)) return;
  // only what this acknowledgement changed: a page the tray acknowledged a moment before stays acknowledged
  const ids = useAckStore.getState().acks[key]?.changed ?? ack.ids;
  if (ids.length === 0) return drop(key);
  if ((await request(key, 'unacknowledge', ids)) !== null) patch(key, { settled: true });
}

/** The store of optimistic acknowledgements, keyed by row (`g:<group>`, `p:<page>`, or `all`). */
export const useAckStore = create<AckState>()((set, get) => ({
  acks: {},
  held: new Set(),
  acknowledge(key, ids, now) {
    if (ids.length === 0) return;
    const existing = get().acks[key];
    if (existing && existing.phase !== 'failed') return;
    clearTimeout(timers.get(key));
    set((s) => ({
      // a retry keeps what the failed attempt changed already, so Undo takes that back too
      acks: { ...s.acks, [key]: { key, ids, at: now, phase: 'sending', settled: false, undoable: true, failedAction: null, error: null, changed: existing?.changed ?? null } },
      held: new Set([...s.held, key]),
    }));
    timers.set(
      key,
      setTimeout(() => {
        timers.delete(key);
        const ack = get().acks[key];
        if (!ack) return;
        if (ack.settled) drop(key);
        else patch(key, { undoable: false });
      }, UNDO_MS),
    );
    sendAck(key, ids);
  },
  undo(key) {
    const ack = get().acks[key];
    if (!ack || !ack.undoable || ack.phase === 'undoing' || ack.phase === 'failed') return;
    clearTimeout(timers.get(key));
    timers.delete(key);
    patch(key, { phase: 'undoing', undoable: false, settled: false });
    void sendUndo(key);
  },
  retry(key) {
    const ack = get().acks[key];
    if (!ack || ack.phase !== 'failed') return;
    if (ack.failedAction === 'unacknowledge') {
      patch(key, { phase: 'undoing', error: null, failedAction: null, settled: false });
      void sendUndo(key);
    } else {
      get().acknowledge(key, ack.ids, Date.now());
    }
  },
  settle(statusOf) {
    for (const ack of Object.values(get().acks)) {
      if (ack.phase === 'undoing') {
        // only what the Undo took back: a page acknowledged elsewhere before stays acknowledged
        if (ack.settled && !(ack.changed ?? ack.ids).some((id) => statusOf(id) === 'acknowledged')) drop(ack.key);
      } else if (ack.phase !== 'failed' && !ack.settled && !ack.ids.some((id) => statusOf(id) === 'firing')) {
        if (ack.undoable) patch(ack.key, { settled: true });
        else drop(ack.key);
      }
    }
  },
  release(exceptKey) {
    const held = get().held;
    if (held.size === 0 || (held.size === 1 && exceptKey !== null && held.has(exceptKey))) return;
    set({ held: exceptKey !== null && held.has(exceptKey) ? new Set([exceptKey]) : new Set() });
  },
  dismiss(key) {
    drop(key);
  },
}));

/** Forgets every pending acknowledgement and its timer (tests, and a reload of the view). */
export function resetAcks(): void {
  timers.forEach((t) => clearTimeout(t));
  timers.clear();
  inflight.clear();
  useAckStore.setState({ acks: {}, held: new Set() });
}
