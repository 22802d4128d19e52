import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Delivery } from '../../../src/core/ipc-contract';
import { splitDelivery } from '../../../src/core/pager/split-delivery';
import { signal } from '../../helpers/fixtures';

const make = (signals: number, events: Array<[number, 'notified' | 'writeBack']>, commands = 1): Delivery => ({
  id: 'd',
  receivedAt: 10,
  notifiedAt: 11,
  signals: Array.from({ length: signals }, (_, i) => signal({ id: `am:${i}` })),
  // an event may name a page outside the signals (say, a write-back of an older page): index ≥ signals
  events: events.map(([i, kind]) => ({ pageId: `am:${i}`, kind, at: 12 })),
  commands: Array.from({ length: commands }, (_, i) => ({ type: 'acknowledge' as const, ids: [`am:${i}`], at: 13, by: 'me' })),
  groups: [{ groupKey: 'g', truncatedAlerts: 3 }],
  // every other signal's page is new to main
  newIds: Array.from({ length: signals }, (_, i) => `am:${i}`).filter((_, i) => i % 2 === 0),
});

describe('splitDelivery', () => {
  it('leaves a delivery within the limit whole', () => {
    const d = make(500, [[1, 'notified']]);
    expect(splitDelivery(d, 500)).toEqual([d]);
  });

  it('keeps every signal, event and command exactly once, in order, with each event beside its page', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 60 }), fc.array(fc.tuple(fc.nat(80), fc.constantFrom('notified' as const, 'writeBack' as const)), { maxLength: 40 }), fc.integer({ min: 1, max: 25 }), (n, events, max) => {
        const d = make(n, events);
        const parts = splitDelivery(d, max);
        expect(parts.flatMap((p) => p.signals)).toEqual(d.signals);
        expect(parts.flatMap((p) => p.events).sort((a, b) => a.pageId.localeCompare(b.pageId))).toEqual([...d.events].sort((a, b) => a.pageId.localeCompare(b.pageId)));
        expect(new Set(parts.map((p) => p.id)).size).toBe(parts.length);
        // each "new to main" hint travels with its own signal, so the window never skips reading a page it must read
        expect(parts.flatMap((p) => p.newIds)).toEqual(d.newIds);
        for (const p of parts) expect(p.newIds.every((id) => p.signals.some((s) => s.id === id))).toBe(true);
        for (const p of parts) {
          expect(p.signals.length).toBeLessThanOrEqual(max);
          expect(p).toMatchObject({ receivedAt: 10, notifiedAt: 11 });
        }
        if (parts.length > 1) {
          // events of a page travel with its signal; commands come after every signal; group facts first
          parts.forEach((p, k) => {
            for (const e of p.events) {
              const home = parts.findIndex((q) => q.signals.some((s) => s.id === e.pageId));
              expect(k).toBe(home === -1 ? parts.length - 1 : home);
            }
          });
          expect(parts.at(-1)!.commands).toEqual(d.commands);
          expect(parts.slice(0, -1).every((p) => p.commands.length === 0)).toBe(true);
          expect(parts[0]!.groups).toEqual(d.groups);
          expect(parts.slice(1).every((p) => p.groups.length === 0)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});
