import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';

/** Reads a fixture from test/fixtures/<vendor>/<name> as text. */
export function fixtureText(vendor: string, name: string): string {
  return readFileSync(path.resolve(process.cwd(), 'test/fixtures', vendor, name), 'utf8');
}

/** Reads a JSON fixture. */
export function fixtureJson<T = Record<string, unknown>>(vendor: string, name: string): T {
  return JSON.parse(fixtureText(vendor, name)) as T;
}

/** One request the fake received, for assertions. */
export interface RecordedRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A canned answer. `hold` keeps the answer back until `release()`, to act like a slow server. */
export interface FakeAnswer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

type Handler = (req: RecordedRequest, url: URL) => FakeAnswer | Promise<FakeAnswer>;

/**
 * A local stand-in for the vendors' APIs on 127.0.0.1 and a random port. Routes answer like the
 * documented APIs (paging, 202 + request status, 401 on a wrong key); tests can queue one-off
 * answers (429 with headers, 500) and hold answers to act slow.
 */
export async function startVendorFake() {
  const requests: RecordedRequest[] = [];
  const routes: Array<{ method: string; match: (p: string) => boolean; handler: Handler }> = [];
  const queued: Array<{ match: (r: RecordedRequest) => boolean; answer: FakeAnswer }> = [];
  const held: Array<() => void> = [];
  const heldWaiters: Array<() => void> = [];
  let holdNext = 0;
  const requestWaiters: Array<{ n: number; resolve: () => void }> = [];

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rec: RecordedRequest = { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      requests.push(rec);
      for (const w of requestWaiters.filter((x) => requests.length >= x.n)) {
        requestWaiters.splice(requestWaiters.indexOf(w), 1);
        w.resolve();
      }
      const url = new URL(rec.url, base);
      const send = (a: FakeAnswer) => {
        if (res.destroyed) return;
        res.writeHead(a.status, { 'content-type': 'application/json', ...a.headers });
        res.end(a.body === undefined ? '' : typeof a.body === 'string' ? a.body : JSON.stringify(a.body));
      };
      const answer = async (): Promise<FakeAnswer> => {
        const q = queued.findIndex((x) => x.match(rec));
        if (q >= 0) return queued.splice(q, 1)[0]!.answer;
        const route = routes.find((r) => r.method === rec.method && r.match(url.pathname));
        return route ? route.handler(rec, url) : { status: 404, body: { message: `no route ${rec.method} ${url.pathname}` } };
      };
      void answer().then((a) => {
        if (holdNext > 0) {
          holdNext--;
          held.push(() => send(a));
          heldWaiters.splice(0).forEach((w) => w());
        } else send(a);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    base,
    requests,
    /** Adds a route; later routes do not override earlier ones, so add specific ones first. */
    route(method: string, pathname: string | RegExp, handler: Handler) {
      routes.push({ method, match: (p) => (typeof pathname === 'string' ? p === pathname : pathname.test(p)), handler });
    },
    /** The next request matching `match` gets this answer instead of its route's. */
    queue(answer: FakeAnswer, match: (r: RecordedRequest) => boolean = () => true) {
      queued.push({ match, answer });
    },
    /** Holds back the next `n` answers until `release()`. */
    holdNext(n = 1) {
      holdNext += n;
    },
    /** Resolves once an answer is being held. */
    whenHeld: () => new Promise<void>((resolve) => (held.length > 0 ? resolve() : heldWaiters.push(resolve))),
    release() {
      held.splice(0).forEach((f) => f());
    },
    /** Resolves once `n` requests in total have arrived. */
    whenRequests: (n: number) => new Promise<void>((resolve) => (requests.length >= n ? resolve() : requestWaiters.push({ n, resolve }))),
    async stop() {
      held.splice(0);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A started fake. */
export type VendorFake = Awaited<ReturnType<typeof startVendorFake>>;

/** PagerDuty's REST API: `/incidents` with offset paging over `incidents`, `PUT /incidents` needing `From`; 401 on another key. */
export function servePagerDuty(fake: VendorFake, opts: { apiKey: string; incidents: unknown[] }) {
  const authorized = (r: RecordedRequest) => r.headers['authorization'] === `Token token=${opts.apiKey}`;
  const unauthorized: FakeAnswer = { status: 401, body: JSON.parse(fixtureText('pagerduty', 'error-401.json')) as unknown };
  fake.route('GET', '/incidents', (r, url) => {
    if (!authorized(r)) return unauthorized;
    const limit = Number(url.searchParams.get('limit') ?? 25);
    const offset = Number(url.searchParams.get('offset') ?? 0);
    const statuses = url.searchParams.getAll('statuses[]');
    const open = opts.incidents.filter((i) => statuses.length === 0 || statuses.includes((i as { status: string }).status));
    const page = open.slice(offset, offset + limit);
    return { status: 200, body: { incidents: page, limit, offset, total: null, more: offset + limit < open.length } };
  });
  fake.route('PUT', '/incidents', (r) => {
    if (!authorized(r)) return unauthorized;
    if (!r.headers['from']) return { status: 400, body: { error: { message: 'Requester User Not Found', code: 2100 } } };
    const body = JSON.parse(r.body) as { incidents: Array<{ id: string; status: string }> };
    for (const change of body.incidents) {
      const found = opts.incidents.find((i) => (i as { id: string }).id === change.id) as { status: string } | undefined;
      if (found) found.status = change.status;
    }
    return { status: 200, body: { incidents: body.incidents } };
  });
}

/** Opsgenie's Alert API: `/v2/alerts` paged through `X-Paging-Next` and `paging.next`, (un)acknowledge answered 202, request status 404 until processed. */
export function serveOpsgenie(fake: VendorFake, opts: { apiKey: string; alerts: unknown[]; pageSize: number; pendingPolls?: number; ackOutcome?: 'success' | 'failed' }) {
  const authorized = (r: RecordedRequest) => r.headers['authorization'] === `GenieKey ${opts.apiKey}`;
  const unauthorized: FakeAnswer = { status: 401, body: JSON.parse(fixtureText('opsgenie', 'error-401.json')) as unknown };
  let pending = opts.pendingPolls ?? 0;
  fake.route('GET', '/v2/alerts', (r, url) => {
    if (!authorized(r)) return unauthorized;
    const offset = Number(url.searchParams.get('offset') ?? 0);
    const data = opts.alerts.slice(offset, offset + opts.pageSize);
    const more = offset + opts.pageSize < opts.alerts.length;
    const next = `${fake.base}/v2/alerts?query=${encodeURIComponent(url.searchParams.get('query') ?? '')}&offset=${offset + opts.pageSize}&limit=${opts.pageSize}`;
    return { status: 200, body: { data, paging: more ? { next } : {}, took: 0.1, requestId: 'r' }, headers: more ? { 'x-paging-next': next } : {} };
  });
  // "Unacknowledge Alert" answers like acknowledge: 202 "Request will be processed" with a requestId
  fake.route('POST', /^\/v2\/alerts\/[^/]+\/(un)?acknowledge$/, (r) => (authorized(r) ? { status: 202, body: JSON.parse(fixtureText('opsgenie', 'acknowledge-202.json')) as unknown } : unauthorized));
  fake.route('GET', /^\/v2\/alerts\/requests\/[^/]+$/, (r) => {
    if (!authorized(r)) return unauthorized;
    if (pending > 0) {
      pending--;
      return { status: 404, body: JSON.parse(fixtureText('opsgenie', 'request-status-404.json')) as unknown };
    }
    const file = opts.ackOutcome === 'failed' ? 'request-status-failed.json' : 'request-status-success.json';
    return { status: 200, body: JSON.parse(fixtureText('opsgenie', file)) as unknown };
  });
}
