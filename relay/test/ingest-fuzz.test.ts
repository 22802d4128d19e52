import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { relayNameSchema } from '../../src/core/relay/envelope';
import { createRelay, type Relay } from '../src/server';
import { openEmbeddedStore } from '../src/store/embedded';
import type { EventStore } from '../src/store/types';
import { INGEST, removeDir, SUBSCRIBE, tempDir, testConfig } from './support';

const LIMIT = 256;

describe('ingest under fuzzing', () => {
  let dir: string;
  let store: EventStore;
  let relay: Relay;
  let base: string;

  beforeAll(async () => {
    dir = tempDir('relay-fuzz-', true);
    store = await openEmbeddedStore(dir);
    relay = createRelay({ config: testConfig({ maxBodyBytes: LIMIT }), store });
    base = `http://127.0.0.1:${await relay.listen()}`;
  });
  afterAll(async () => {
    await relay.close();
    await store.close();
    removeDir(dir);
  });

  it('never answers 5xx, and stores exactly the authorised, well-formed POSTs (10,000 cases)', async () => {
    let expectedStored = 0;
    const printable = fc.string({ unit: fc.constantFrom(...'abcXYZ019-_.~ %!:/'.split('')), maxLength: 70 });
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('POST', 'POST', 'POST', 'PUT', 'GET', 'DELETE', 'PATCH'),
        fc.oneof(fc.constant('ops'), fc.constant('pd'), fc.constant('nope'), printable),
        fc.oneof(fc.constant('alertmanager'), fc.constant('pagerduty'), printable),
        fc.oneof(fc.constant(`Bearer ${INGEST}`), fc.constant(`bearer   ${INGEST}`), fc.constant(`Bearer ${SUBSCRIBE}`), fc.constant(`Bearer ${INGEST}x`), fc.constant(undefined), printable),
        fc.option(fc.string({ maxLength: 80 }).map((s) => `v1=${Buffer.from(s).toString('hex')}`), { nil: undefined }),
        fc.uint8Array({ minLength: 0, maxLength: LIMIT + 40 }),
        async (method, channel, source, auth, signature, body) => {
          const headers: Record<string, string> = {};
          if (auth !== undefined) headers.authorization = auth;
          if (signature !== undefined) headers['x-pagerduty-signature'] = signature;
          const sendsBody = method !== 'GET';
          const res = await fetch(`${base}/hooks/${encodeURIComponent(channel)}/${encodeURIComponent(source)}`, { method, headers, body: sendsBody ? body : undefined });
          const answer = (await res.json()) as { error?: string; reason?: string; id?: string };
          const authorised = channel === 'ops' && auth !== undefined && auth.toLowerCase().replace(/\s+/g, ' ') === `bearer ${INGEST}`.toLowerCase();
          const wellFormed = method === 'POST' && relayNameSchema.safeParse(source).success && body.length > 0 && body.length <= LIMIT;
          expect(res.status).toBeLessThan(500);
          if (authorised && wellFormed) {
            expectedStored++;
            expect(res.status).toBe(202);
          } else {
            expect(res.status).toBeGreaterThanOrEqual(400);
            expect(answer.reason).toBeTypeOf('string');
          }
        },
      ),
      { numRuns: 10_000 },
    );
    const stored = await store.readAfter('ops', null, 20_000);
    expect(stored.length).toBe(expectedStored);
    expect(await store.readAfter('pd', null, 10)).toEqual([]);
    expect(await store.readAfter('nope', null, 10)).toEqual([]);
  });

  it('stops reading a streamed body at the limit and stores nothing', async () => {
    const chunk = new Uint8Array(100).fill(65);
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent += chunk.length;
        if (sent > 64 * 1024) controller.close();
        else controller.enqueue(chunk);
      },
    });
    const before = (await store.readAfter('ops', null, 20_000)).length;
    const res = await fetch(`${base}/hooks/ops/alertmanager`, { method: 'POST', headers: { authorization: `Bearer ${INGEST}` }, body: stream, duplex: 'half' } as RequestInit);
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: string }).error).toBe('tooLarge');
    expect((await store.readAfter('ops', null, 20_000)).length).toBe(before);
  });
});
