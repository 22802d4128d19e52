import { createServer, type Server } from 'node:http';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchFeed, MAX_REDIRECTS } from '../../../src/main/import/bounded-fetch';
import { checkFeedUrl, isPrivateAddress } from '../../../src/main/import/feed-url';
import { refusal } from './refusal';

const MiB = 1024 * 1024;


/** A fetch that answers from a table and records what was asked, for hosts that do not exist here. */
function scripted(table: Record<string, { status: number; location?: string; body?: string }>) {
  const asked: string[] = [];
  const fake = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = String(input);
    asked.push(url);
    expect(init?.redirect).toBe('manual');
    const r = table[url];
    if (!r) throw new TypeError('fetch failed', { cause: { code: 'ENOTFOUND' } });
    return new Response(r.body ?? null, { status: r.status, headers: r.location ? { location: r.location } : {} });
  }) as typeof fetch;
  return { fetch: fake, asked };
}

describe('feed addresses', () => {
  it('takes https, and plain http only for this machine', () => {
    expect(checkFeedUrl('https://calendar.example.com/oncall.ics').href).toBe('https://calendar.example.com/oncall.ics');
    expect(checkFeedUrl('http://127.0.0.1:8080/f.ics').hostname).toBe('127.0.0.1');
    expect(checkFeedUrl('http://localhost/f.ics').hostname).toBe('localhost');
    expect(checkFeedUrl('http://[::1]:8080/f.ics').hostname).toBe('[::1]');
    expect(() => checkFeedUrl('http://calendar.example.com/oncall.ics')).toThrow(expect.objectContaining({ code: 'imports.notHttps' }));
    expect(() => checkFeedUrl('http://192.168.1.10/oncall.ics')).toThrow(expect.objectContaining({ code: 'imports.notHttps' }));
  });

  it('refuses data:, file: and things that are no URL, without fetching', async () => {
    const { fetch, asked } = scripted({});
    expect((await refusal(fetchFeed('data:text/calendar,BEGIN:VCALENDAR', { fetch, maxBytes: MiB }))).code).toBe('imports.dataUrl');
    expect((await refusal(fetchFeed(' DATA:text/calendar;base64,QkVHSU4=', { fetch, maxBytes: MiB }))).code).toBe('imports.dataUrl');
    expect((await refusal(fetchFeed('file:///etc/passwd', { fetch, maxBytes: MiB }))).code).toBe('imports.badUrl');
    expect((await refusal(fetchFeed('not a url', { fetch, maxBytes: MiB }))).code).toBe('imports.badUrl');
    expect(asked).toEqual([]);
  });

  it('knows private and loopback addresses, v4, v6 and v4-mapped', () => {
    for (const ip of ['127.0.0.1', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.0.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', '::', 'fd00::1', 'fe80::1', '::ffff:10.0.0.1'])
      expect(isPrivateAddress(ip), ip).toBe(true);
    for (const ip of ['8.8.8.8', '172.32.0.1', '100.128.0.1', '2001:db8::1', '::ffff:8.8.8.8', 'example.com']) expect(isPrivateAddress(ip), ip).toBe(false);
  });
});

describe('feed redirects', () => {
  const lookup = async (host: string) => (host === 'intranet.example.com' ? ['192.168.1.20'] : ['93.184.215.14']);

  it('follows up to five redirects and refuses a sixth', async () => {
    const table: Record<string, { status: number; location?: string; body?: string }> = {};
    for (let i = 0; i < MAX_REDIRECTS + 1; i++) table[`https://feeds.example.com/${i}`] = { status: 302, location: `/${i + 1}` };
    table[`https://feeds.example.com/${MAX_REDIRECTS}`] = { status: 200, body: 'BEGIN:VCALENDAR' };
    const five = await fetchFeed('https://feeds.example.com/0', { ...scripted(table), maxBytes: MiB, lookup });
    expect(five).toMatchObject({ status: 'ok', url: `https://feeds.example.com/${MAX_REDIRECTS}` });

    table[`https://feeds.example.com/${MAX_REDIRECTS}`] = { status: 301, location: '/6' };
    table['https://feeds.example.com/6'] = { status: 200, body: 'BEGIN:VCALENDAR' };
    const six = scripted(table);
    const err = await refusal(fetchFeed('https://feeds.example.com/0', { ...six, maxBytes: MiB, lookup }));
    expect(err).toMatchObject({ code: 'imports.tooManyRedirects', params: { max: 5 } });
    expect(six.asked).not.toContain('https://feeds.example.com/6');
  });

  it('never goes from https to http, not even to this machine', async () => {
    const s = scripted({ 'https://feeds.example.com/a.ics': { status: 307, location: 'http://127.0.0.1:9/a.ics' } });
    expect(await refusal(fetchFeed('https://feeds.example.com/a.ics', { ...s, maxBytes: MiB, lookup }))).toMatchObject({ code: 'imports.redirectDowngrade' });
    expect(s.asked).toEqual(['https://feeds.example.com/a.ics']);
  });

  it('never from a public host to a loopback or private one, by address or by name', async () => {
    const s = scripted({
      'https://feeds.example.com/a.ics': { status: 302, location: 'https://169.254.169.254/latest/meta-data' },
      'https://feeds.example.com/b.ics': { status: 302, location: 'https://intranet.example.com/b.ics' },
      'https://feeds.example.com/c.ics': { status: 302, location: 'https://[::1]/c.ics' },
    });
    for (const f of ['a', 'b', 'c']) expect(await refusal(fetchFeed(`https://feeds.example.com/${f}.ics`, { ...s, maxBytes: MiB, lookup }))).toMatchObject({ code: 'imports.redirectPrivate' });
    expect(s.asked).toEqual(['https://feeds.example.com/a.ics', 'https://feeds.example.com/b.ics', 'https://feeds.example.com/c.ics']);
  });

  it('a feed on the private network may redirect within it or out, but not to this machine', async () => {
    const s = scripted({
      'https://intranet.example.com/a.ics': { status: 302, location: 'https://10.0.0.7/a.ics' },
      'https://10.0.0.7/a.ics': { status: 200, body: 'BEGIN:VCALENDAR' },
      'https://intranet.example.com/b.ics': { status: 302, location: 'https://feeds.example.com/b.ics' },
      'https://feeds.example.com/b.ics': { status: 200, body: 'BEGIN:VCALENDAR' },
      'https://intranet.example.com/c.ics': { status: 302, location: 'https://localhost/c.ics' },
    });
    expect(await fetchFeed('https://intranet.example.com/a.ics', { ...s, maxBytes: MiB, lookup })).toMatchObject({ status: 'ok', url: 'https://10.0.0.7/a.ics' });
    expect(await fetchFeed('https://intranet.example.com/b.ics', { ...s, maxBytes: MiB, lookup })).toMatchObject({ status: 'ok', url: 'https://feeds.example.com/b.ics' });
    expect(await refusal(fetchFeed('https://intranet.example.com/c.ics', { ...s, maxBytes: MiB, lookup }))).toMatchObject({ code: 'imports.redirectPrivate' });
  });
});

describe('feed bodies', () => {
  let server: Server;
  let base: string;
  let sent = 0;
  let closed: Promise<void> = Promise.resolve();
  beforeAll(async () => {
    const chunk = Buffer.alloc(64 * 1024, 'X');
    const bomb = gzipSync(Buffer.alloc(64 * MiB));
    const sized = Buffer.from(Array.from({ length: 3 * MiB }, (_, i) => (i * 7) % 251));
    server = createServer((req, res) => {
      if (req.url === '/endless') {
        sent = 0;
        closed = new Promise((r) => res.on('close', () => r()));
        res.writeHead(200, { 'content-type': 'text/calendar' });
        const pump = () => {
          while (!res.destroyed && sent < 512 * MiB) {
            sent += chunk.length;
            if (!res.write(chunk)) return void res.once('drain', pump);
          }
          res.end();
        };
        return pump();
      }
      if (req.url === '/sized') {
        res.writeHead(200, { 'content-length': String(sized.length) });
        for (let at = 0; at < sized.length; at += 64 * 1024) res.write(sized.subarray(at, at + 64 * 1024));
        return void res.end();
      }
      if (req.url === '/declared') return void res.writeHead(200, { 'content-length': String(8 * MiB) }).end(Buffer.alloc(8 * MiB));
      if (req.url === '/bomb') return void res.writeHead(200, { 'content-encoding': 'gzip' }).end(bomb);
      if (req.url === '/small.gz') return void res.writeHead(200, { 'content-encoding': 'gzip', etag: '"e1"' }).end(gzipSync('BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n'));
      if (req.url === '/same') return void res.writeHead(304).end();
      if (req.url === '/hop') return void res.writeHead(302, { location: '/small.gz' }).end();
      res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => new Promise((r) => server.close(r)));

  it('stops reading an endless body at the limit and hangs up', async () => {
    const err = await refusal(fetchFeed(`${base}/endless`, { fetch, maxBytes: MiB }));
    expect(err).toMatchObject({ code: 'imports.tooLarge', params: { megabytes: 1 } });
    await closed;
    expect(sent).toBeLessThan(32 * MiB); // what was in flight, not the 512 MiB on offer
  });

  it('a body cut off by the timeout is a network error naming the feed, not a crash', async () => {
    const err = await refusal(fetchFeed(`${base}/endless`, { fetch, maxBytes: 1024 * MiB, signal: AbortSignal.timeout(50) }));
    expect(err).toMatchObject({ code: 'imports.network', params: { url: `${base}/endless`, reason: 'timeout' } });
  });

  it('refuses a body whose declared length is over the limit before reading it', async () => {
    expect(await refusal(fetchFeed(`${base}/declared`, { fetch, maxBytes: MiB }))).toMatchObject({ code: 'imports.tooLarge' });
  });

  it('refuses a gzip body that inflates past the limit', async () => {
    const before = process.memoryUsage().rss;
    expect(await refusal(fetchFeed(`${base}/bomb`, { fetch, maxBytes: MiB }))).toMatchObject({ code: 'imports.inflatesTooLarge' });
    expect(process.memoryUsage().rss - before).toBeLessThan(48 * MiB); // not the 64 MiB it inflates to
  });

  it('reads a body of declared length, sent in pieces, byte for byte', async () => {
    const ok = await fetchFeed(`${base}/sized`, { fetch, maxBytes: 4 * MiB });
    if (ok.status !== 'ok') throw new Error('expected a body');
    expect(ok.bytes.length).toBe(3 * MiB);
    expect(ok.bytes.every((b, i) => b === (i * 7) % 251)).toBe(true);
    expect(await refusal(fetchFeed(`${base}/sized`, { fetch, maxBytes: 2 * MiB }))).toMatchObject({ code: 'imports.tooLarge' });
  });

  it('inflates a small gzip feed, follows a local redirect, and passes 304 and HTTP errors on', async () => {
    const ok = await fetchFeed(`${base}/hop`, { fetch, maxBytes: MiB });
    expect(ok.status === 'ok' && new TextDecoder().decode(ok.bytes)).toBe('BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n');
    expect(ok).toMatchObject({ etag: '"e1"', url: `${base}/small.gz` });
    expect(await fetchFeed(`${base}/same`, { fetch, maxBytes: MiB })).toEqual({ status: 'unchanged' });
    expect(await refusal(fetchFeed(`${base}/nothing`, { fetch, maxBytes: MiB }))).toMatchObject({ code: 'imports.httpStatus', params: { status: 404 } });
  });
});
