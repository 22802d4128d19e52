import type { Timers } from '../sources/http';

/** What the network watch needs: whether the OS says it is online, timers and the clock. */
export interface NetworkWatchDeps {
  isOnline(): boolean;
  timers: Timers;
  now(): number;
  /** How often to ask; 5 s by default. */
  everyMs?: number;
  /** The network is back; it was first seen gone at `offlineSince`. */
  onBack(offlineSince: number): void;
}

/** How often the OS is asked whether it is online: cheap, and a page's catch-up waits at most this long. */
export const NETWORK_CHECK_MS = 5_000;

/**
 * Watches the OS's online flag and says when the network comes back. Electron's main process has no
 * online/offline event (only the window does, and the window may not exist), so it asks. Timers stop
 * while the machine sleeps; the resume from sleep has its own catch-up.
 */
export function watchNetwork(deps: NetworkWatchDeps): { stop(): void } {
  const every = deps.everyMs ?? NETWORK_CHECK_MS;
  let offlineSince: number | null = deps.isOnline() ? null : deps.now();
  let timer: unknown = null;
  const check = () => {
    timer = deps.timers.setTimeout(check, every);
    const online = deps.isOnline();
    if (!online && offlineSince === null) offlineSince = deps.now();
    if (online && offlineSince !== null) {
      const since = offlineSince;
      offlineSince = null;
      deps.onBack(since);
    }
  };
  timer = deps.timers.setTimeout(check, every);
  return {
    stop() {
      if (timer !== null) deps.timers.clearTimeout(timer);
      timer = null;
    },
  };
}
