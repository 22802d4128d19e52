import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RelayEnvelope } from '../../../src/core/relay/envelope';
import { createRelayClient, memoryCursorStore, type ClientTimers } from '../../../src/main/relay';

/**
 * A fake relay in memory: serves the events after Last-Event-ID and cuts each connection after a
 * scripted number of events, in random chunk sizes. Together with random storage failures, the app
 * must still end up with every event exactly once and in order.
 */
describe('relay client under random disconnects and storage failures', () => {
  it('stores every event exactly once, in order (300 generated scenarios)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 40 }),
        fc.array(fc.integer({ min: 0, max: 8 }), { minLength: 1, maxLength: 20 }),
        fc.array(fc.integer({ min: 1, max: 200 }), { minLength: 1, maxLength: 5 }),
        fc.array(fc.boolean(), { maxLength: 60 }),
        async (total, cuts, chunkSizes, failures) => {
          const events: RelayEnvelope[] = Array.from({ length: total }, (_, i) => ({ id: `${1000 + Math.floor(i / 3)}-${i % 3}`, channel: 'ops', source: 'am', receivedAt: i, headers: {}, body: Buffer.from(`{"n":${i}}`).toString('base64'), bodyExact: true }));
          let connection = 0;
          const fetchFn = async (_url: string, init?: RequestInit) => {
            const last = (init?.headers as Record<string, string>)['last-event-id'];
            const from = last ? events.findIndex((e) => e.id === last) + 1 : 0;
            // After the scripted cuts run out, connections stay up until everything is sent.
            const limit = connection < cuts.length ? cuts[connection]! : total;
            connection++;
            const text = events
              .slice(from, from + limit)
              .map((e) => `id: ${e.id}\nevent: hook\ndata: ${JSON.stringify(e)}\n\n`)
              .join('');
            const size = chunkSizes[connection % chunkSizes.length]!;
            const bytes = new TextEncoder().encode(`: connected\n\n${text}`);
            let at = 0;
            const body = new ReadableStream<Uint8Array>({
              pull(ctl) {
                if (at >= bytes.length) {
                  // Stay open while there is nothing more to send and nothing was cut, like a live stream.
                  if (from + limit >= total) return new Promise(() => undefined);
                  ctl.close();
                  return;
                }
                ctl.enqueue(bytes.slice(at, at + size));
                at += size;
              },
            });
            return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } });
          };
          const retries: (() => void)[] = [];
          const timers: ClientTimers = {
            setTimeout: (fn, ms) => {
              if (ms !== 45_000) retries.push(fn); // back-off timers; the silence timer never fires here
              return retries.length;
            },
            clearTimeout: () => undefined,
          };
          const stored: string[] = [];
          let attempt = 0;
          let done: () => void = () => undefined;
          const finished = new Promise<void>((resolve) => (done = resolve));
          const c = createRelayClient({
            source: { mode: 'relay', url: 'http://relay.test', channel: 'ops', token: 't' },
            fetch: fetchFn as typeof fetch,
            now: () => 0,
            timers,
            cursor: memoryCursorStore(),
            onEvent: async (e) => {
              if (failures[attempt++ % Math.max(1, failures.length)] && attempt < 100) throw new Error('disk busy');
              stored.push(e.id);
              if (stored.length === total) done();
            },
            onStatus: (s) => {
              if (s.state === 'waiting') queueMicrotask(() => retries.shift()?.());
            },
          });
          c.start();
          await finished;
          await c.stop();
          expect(stored).toEqual(events.map((e) => e.id));
        },
      ),
      { numRuns: 300 },
    );
    // ~2 s alone; room for a loaded CI machine running other suites beside it
  }, 30_000);
});
