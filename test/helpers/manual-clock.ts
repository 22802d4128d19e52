/** Timers fired by hand in due order, with the clock they move (catch-up, relays and the like). */
export function manualClock(start: number) {
  let now = start;
  let seq = 0;
  const due = new Map<number, { at: number; fn: () => void }>();
  return {
    now: () => now,
    setTimeout: (fn: () => void, ms: number) => {
      const id = ++seq;
      due.set(id, { at: now + ms, fn });
      return id;
    },
    clearTimeout: (h: unknown) => void due.delete(h as number),
    advance(ms: number) {
      const until = now + ms;
      for (;;) {
        const next = [...due.entries()].sort((a, b) => a[1].at - b[1].at)[0];
        if (!next || next[1].at > until) break;
        due.delete(next[0]);
        now = next[1].at;
        next[1].fn();
      }
      now = until;
    },
    /** A sleep: the wall clock jumps, timers do not run meanwhile (they were frozen). */
    sleep(ms: number) {
      now += ms;
      for (const d of due.values()) d.at += ms;
    },
    pending: () => due.size,
  };
}
