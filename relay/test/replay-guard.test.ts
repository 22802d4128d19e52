import { describe, expect, it } from 'vitest';
import { ReplayGuard } from '../src/replay-guard';

describe('replay guard', () => {
  it('refuses a key within the window, accepts it after, and after a release', () => {
    const g = new ReplayGuard(1000, 10);
    expect(g.claim('a', 0)).toBe(true);
    expect(g.claim('a', 999)).toBe(false);
    expect(g.claim('a', 1000)).toBe(true);
    g.release('a');
    expect(g.claim('a', 1001)).toBe(true);
  });

  it('keeps at most the configured number of keys, forgetting the oldest', () => {
    const g = new ReplayGuard(60_000, 3);
    for (const k of ['a', 'b', 'c', 'd']) expect(g.claim(k, 0)).toBe(true);
    expect(g.claim('a', 1)).toBe(true); // forgotten: the cap bounds memory, not the window
    expect(g.claim('d', 1)).toBe(false);
  });

  it('keys differ by channel, signature and body', () => {
    const body = Buffer.from('{}');
    const keys = new Set([ReplayGuard.keyOf('a', 'v1=1', body), ReplayGuard.keyOf('b', 'v1=1', body), ReplayGuard.keyOf('a', 'v1=2', body), ReplayGuard.keyOf('a', 'v1=1', Buffer.from('{ }'))]);
    expect(keys.size).toBe(4);
  });
});
