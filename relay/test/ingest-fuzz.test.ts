import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { relayNameSchema } from '../../src/core/relay/envelope';
import { createRelay, type Relay } from '../src/server';
import { openEmbeddedStore } from '../src/store/embedded';
import type { EventStore } from '../src/store/types';
import { INGEST, invoke, removeDir, SUBSCRIBE, tempDir, testConfig, type InProcessRequest } from './support';

const LIMIT = 256;
const printable = fc.string({ unit: fc.constantFrom(...'abcXYZ019-_.~ %!:/'.split('')), maxLength: 70 });

/** One generated ingest request: mostly near misses of a valid one. */
const ingestCase = fc.record({
  method: fc.constantFrom('POST', 'POST', 'POST', 'PUT', 'GET', 'DELETE', 'PATCH'),
  channel: fc.oneof(fc.constant('ops'), fc.constant('pd'), fc.constant('nope'), printable),
  source: fc.oneof(fc.constant('alertmanager'), fc.constant('pagerduty'), printable),
  auth: fc.oneof(fc.constant(`Bearer ${INGEST}`), fc.constant(`bearer   ${INGEST}`), fc.constant(`Bearer ${SUBSCRIBE}`), fc.constant(`Bearer ${INGEST}x`), fc.constant(undefined), printable),
  signature: fc.option(fc.string({ maxLength: 80 }).map((s) => `v1=${Buffer.from(s).toString('hex')}`), { nil: undefined }),
  body: fc.uint8Array({ minLength: 0, maxLength: LIMIT + 40 }),
});
type IngestCase = typeof ingestCase extends fc.Arbitrary<infer T> ? T : never;

function toRequest(c: IngestCase): InProcessRequest {
  const headers: Record<string, string> = {};
  if (c.auth !== undefined) headers.authorization = c.auth;
  if (c.signature !== undefined) headers['x-pagerduty-signature'] = c.signature;
  return { method: c.method, url: `/hooks/${encodeURIComponent(c.channel)}/${encodeURIComponent(c.source)}`, headers, body: c.method === 'GET' ? undefined : c.body };
}

/** Whether the relay must store this request: authorised for "ops" and well-formed. */
function mustStore(c: IngestCase): boolean {
  const authorised = c.channel === 'ops' && c.auth !== undefined && c.auth.toLowerCase().replace(/\s+/g, ' ') === `bearer ${INGEST}`.toLowerCase();
  const wellFormed = c.method === 'POST' && relayNameSchema.safeParse(c.source).success && c.body.length > 0 && c.body.length <= LIMIT;
  return authorised && wellFormed;
}

describe('ingest under fuzzing', () => {
  let dir: string;
  let store: EventStore;
  let relay: Relay;
  let base: string;
  let expectedStored = 0;

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

  const check = (status: number, text: string, c: IngestCase) => {
    expect(status).toBeLessThan(500);
    if (mustStore(c)) {
      expectedStored++;
      expect(status).toBe(202);
    } else {
      expect(status).toBeGreaterThanOrEqual(400);
      expect((JSON.parse(text) as { reason?: unknown }).reason).toBeTypeOf('string');
    }
  };

  it('in-process: never 5xx, and stores exactly the authorised, well-formed POSTs (10,000 cases)', async () => {
    await fc.assert(
      fc.asyncProperty(ingestCase, async (c) => {
        const res = await invoke(relay.handle, toRequest(c));
        check(res.status, res.body, c);
      }),
      { numRuns: 10_000 },
    );
    expect((await store.readAfter('ops', null, 50_000)).length).toBe(expectedStored);
    expect(await store.readAfter('pd', null, 10)).toEqual([]);
    expect(await store.readAfter('nope', null, 10)).toEqual([]);
  });

  it('over real sockets: the same property through the HTTP parser (200 cases)', async () => {
    await fc.assert(
      fc.asyncProperty(ingestCase, async (c) => {
        const r = toRequest(c);
        const res = await fetch(base + r.url, { method: r.method, headers: r.headers, body: r.body });
        check(res.status, await res.text(), c);
      }),
      { numRuns: 200 },
    );
    expect((await store.readAfter('ops', null, 50_000)).length).toBe(expectedStored);
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
    const before = (await store.readAfter('ops', null, 50_000)).length;
    const res = await fetch(`${base}/hooks/ops/alertmanager`, { method: 'POST', headers: { authorization: `Bearer ${INGEST}` }, body: stream, duplex: 'half' } as RequestInit);
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: string }).error).toBe('tooLarge');
    expect((await store.readAfter('ops', null, 50_000)).length).toBe(before);
  });
});
