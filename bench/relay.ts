// Relay figures for `npm run bench`: POST → client onEvent latency at 100 events/s, and replay of 10,000 missed events.
import { performance } from 'node:perf_hooks';
import type { RelayEnvelope } from '../src/core/relay/envelope';
import { createRelayClient, memoryCursorStore, type CursorStore, type RelayClient } from '../src/main/relay';
import { postHook, RELAY_SUBSCRIBER_TOKEN, startRedis, startRelayProcess, tempDir } from '../test/main/relay/relay-process';

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
const ms = (v: number) => `${v.toFixed(2)} ms`;
const timers = { setTimeout: (fn: () => void, t: number) => setTimeout(fn, t), clearTimeout: (h: unknown) => clearTimeout(h as NodeJS.Timeout) };

function connect(base: string, cursor: CursorStore, onEvent: (e: RelayEnvelope) => void): Promise<RelayClient> {
  const client = createRelayClient({
    source: { mode: 'relay', url: base, channel: 'ops', token: RELAY_SUBSCRIBER_TOKEN },
    fetch,
    now: Date.now,
    timers,
    cursor,
    backoff: { initialMs: 50, maxMs: 500 },
    onEvent: async (e) => onEvent(e),
    onStatus: (s) => {
      if (s.state === 'connected') connected();
    },
  });
  let connected: () => void = () => undefined;
  const ready = new Promise<RelayClient>((resolve) => (connected = () => resolve(client)));
  client.start();
  return ready;
}

const seqOf = (e: RelayEnvelope) => (JSON.parse(Buffer.from(e.body, 'base64').toString('utf8')) as { seq: number }).seq;

async function latencyAt100PerSecond(base: string, n: number): Promise<number[]> {
  const sentAt = new Map<number, number>();
  const samples: number[] = [];
  let done: () => void = () => undefined;
  const all = new Promise<void>((resolve) => (done = resolve));
  const warmup = 50;
  const client = await connect(base, memoryCursorStore(), (e) => {
    const seq = seqOf(e);
    const t0 = sentAt.get(seq);
    if (t0 !== undefined && seq >= warmup) samples.push(performance.now() - t0);
    if (seq === n + warmup - 1) done();
  });
  const start = performance.now();
  for (let i = 0; i < n + warmup; i++) {
    // Open loop: each POST leaves on its 10 ms slot, whether or not the previous one was answered.
    const due = start + i * 10;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    sentAt.set(i, performance.now());
    void postHook(base, JSON.stringify({ seq: i, alert: 'BenchAlert' }));
  }
  await all;
  await client.stop();
  return samples.sort((a, b) => a - b);
}

async function replayOfMissed(base: string, n: number): Promise<{ postMs: number; replayMs: number }> {
  const cursor = memoryCursorStore();
  let got = 0;
  let done: () => void = () => undefined;
  let seen: () => void = () => undefined;
  const stored = new Promise<void>((resolve) => (seen = resolve));
  const first = await connect(base, cursor, () => seen());
  await postHook(base, JSON.stringify({ seq: -1 }));
  await stored;
  await first.stop(); // stop() waits for the in-flight delivery, so the cursor is saved by now
  const t0 = performance.now();
  for (let i = 0; i < n; i += 50) await Promise.all(Array.from({ length: Math.min(50, n - i) }, (_, j) => postHook(base, JSON.stringify({ seq: i + j }))));
  const postMs = performance.now() - t0;
  const all = new Promise<void>((resolve) => (done = resolve));
  const t1 = performance.now();
  const second = await connect(base, cursor, () => {
    if (++got === n) done();
  });
  await all;
  const replayMs = performance.now() - t1;
  await second.stop();
  return { postMs, replayMs };
}

/** Prints the relay's figures for both backends. */
export async function benchRelay(): Promise<void> {
  for (const backend of ['embedded', 'redis'] as const) {
    const tmp = tempDir('relay-bench-');
    const redis = backend === 'redis' ? await startRedis() : null;
    const relay = await startRelayProcess({ dataDir: tmp.dir, backend, redisUrl: redis?.url });
    try {
      const samples = await latencyAt100PerSecond(relay.base, 500);
      console.log(`Relay (${backend}): POST → client onEvent at 100 events/s, ${samples.length} events over loopback (relay in its own process):`);
      console.log(`  p50 ${ms(pct(samples, 50))}   p99 ${ms(pct(samples, 99))}   max ${ms(samples.at(-1)!)}   (goal p99 ≤ 20 ms)`);
      const { postMs, replayMs } = await replayOfMissed(relay.base, 10_000);
      console.log(`Relay (${backend}): 10,000 events missed while offline (posted in ${ms(postMs)}) → all delivered to onEvent after reconnect: ${ms(replayMs)}   (goal ≤ 2 s incl. Dexie)`);
    } finally {
      await relay.kill();
      await redis?.stop();
      tmp.remove();
    }
  }
}

if (import.meta.url === `file://${process.argv[1]}`) void benchRelay();
