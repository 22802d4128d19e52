import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSseParser, type SseEvent } from '../../../src/core/relay/sse-parser';

function parseAll(chunks: string[], initialId = '') {
  const events: SseEvent[] = [];
  const comments: string[] = [];
  const retries: number[] = [];
  const p = createSseParser({ onEvent: (e) => events.push(e), onComment: (c) => comments.push(c), onRetry: (r) => retries.push(r) }, initialId);
  for (const c of chunks) p.push(c);
  return { events, comments, retries, lastEventId: p.lastEventId() };
}

describe('SSE parser', () => {
  it('reads id, event, multi-line data, retry and comments', () => {
    const r = parseAll([': ping\n\nid: 5-0\nevent: hook\ndata: line one\ndata:line two\ndata\nretry: 2500\n\n']);
    expect(r.events).toEqual([{ id: '5-0', event: 'hook', data: 'line one\nline two\n' }]);
    expect(r.comments).toEqual(['ping']);
    expect(r.retries).toEqual([2500]);
  });

  it('keeps the last id across events, defaults the type to "message", and skips events without data', () => {
    const r = parseAll(['id: 1-0\ndata: a\n\nevent: x\n\ndata: b\n\nid\ndata: c\n\n']);
    expect(r.events).toEqual([
      { id: '1-0', event: 'message', data: 'a' },
      { id: '1-0', event: 'message', data: 'b' },
      { id: '', event: 'message', data: 'c' },
    ]);
  });

  it('reports an id-only frame as a position, not an event, and moves the last id with it', () => {
    const bare: string[] = [];
    const events: SseEvent[] = [];
    const p = createSseParser({ onEvent: (e) => events.push(e), onBareId: (id) => bare.push(id) });
    p.push(': connected\n\nid: 42-0\n\nid: 43-0\nevent: hook\ndata: x\n\nevent: y\n\n');
    expect(bare).toEqual(['42-0']);
    expect(events).toEqual([{ id: '43-0', event: 'hook', data: 'x' }]);
    expect(p.lastEventId()).toBe('43-0');
  });

  it('accepts CR, LF and CRLF line ends, a BOM, and ignores ids with NUL, bad retry values and unknown fields', () => {
    const r = parseAll(['\uFEFFid: 7-1\rdata: a\r\n\r\nid: bad\u0000id\nretry: 1s\nfoo: bar\ndata: b\n\n'], '0-0');
    expect(r.events).toEqual([
      { id: '7-1', event: 'message', data: 'a' },
      { id: '7-1', event: 'message', data: 'b' },
    ]);
    expect(r.retries).toEqual([]);
  });

  it('does not dispatch an event whose blank line has not arrived yet', () => {
    const r = parseAll(['data: half']);
    expect(r.events).toEqual([]);
  });

  it('gives the same events however the stream is split into chunks (CR LF split across chunks included)', () => {
    const line = fc.oneof(
      fc.string({ unit: fc.constantFrom('a', 'b', ' ', ':', '1', 'é', '-'), maxLength: 12 }).map((v) => `data: ${v}`),
      fc.constantFrom('id: 1-0', 'id: 2-5', 'event: hook', 'retry: 100', ': ping', '', 'data', 'id'),
    );
    const ending = fc.constantFrom('\n', '\r', '\r\n');
    const stream = fc.array(fc.tuple(line, ending), { maxLength: 30 }).map((ls) => ls.map(([l, e]) => l + e).join(''));
    fc.assert(
      fc.property(stream, fc.array(fc.nat(), { maxLength: 10 }), (text, cuts) => {
        const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
        const chunks: string[] = [];
        let prev = 0;
        for (const p of points) {
          chunks.push(text.slice(prev, p));
          prev = p;
        }
        chunks.push(text.slice(prev));
        expect(parseAll(chunks)).toEqual(parseAll([text]));
        // One character at a time is the harshest chunking.
        expect(parseAll([...text])).toEqual(parseAll([text]));
      }),
      { numRuns: 2000 },
    );
  });
});
