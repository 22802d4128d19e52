import { RunbookError } from './errors';
import { contentHash } from './hash';

/** The last good copy of a runbook fetched over https, kept for offline use. */
export interface RemoteCopy {
  url: string;
  etag: string | null;
  lastModified: string | null;
  text: string;
  version: string;
  fetchedAt: number;
  /** Last time the server was asked, successful or not. */
  checkedAt: number;
}

/** What main's fetch returned, reduced to what matters here. */
export type FetchOutcome =
  | { kind: 'response'; status: number; etag: string | null; lastModified: string | null; contentType: string | null; body: string }
  | { kind: 'error'; message: string };

/** A fetch problem to show; the last good copy stays in use. */
export interface RemoteProblem {
  code: 'fetchFailed' | 'fetchStatus' | 'notMarkdown';
  params: Record<string, string | number>;
}

/** Result of one refresh. */
export interface RemoteRefresh {
  copy: RemoteCopy | null;
  changed: boolean;
  problem: RemoteProblem | null;
}

/** Refuses anything but https, before main fetches it. */
export function checkRunbookUrl(url: string): void {
  if (!/^https:\/\/[^/?#@\s]+/i.test(url.trim())) throw new RunbookError('urlNotHttps', { url });
}

/** Headers for a conditional GET, so an unchanged runbook costs a 304 and no parse. */
export function conditionalHeaders(copy: RemoteCopy | null): Record<string, string> {
  const h: Record<string, string> = { accept: 'text/markdown, text/plain;q=0.9, */*;q=0.1' };
  if (copy?.etag) h['if-none-match'] = copy.etag;
  if (copy?.lastModified) h['if-modified-since'] = copy.lastModified;
  return h;
}

/**
 * Folds a fetch outcome into the stored copy: 200 replaces it, 304 keeps it, anything else
 * (network error, 404, an HTML login page) is a problem and the last good copy stays.
 */
export function applyFetch(copy: RemoteCopy | null, url: string, outcome: FetchOutcome, now: number): RemoteRefresh {
  const keep = (problem: RemoteProblem | null): RemoteRefresh => ({ copy: copy ? { ...copy, checkedAt: now } : null, changed: false, problem });
  if (outcome.kind === 'error') return keep({ code: 'fetchFailed', params: { url, reason: outcome.message } });
  if (outcome.status === 304 && copy) return keep(null);
  if (outcome.status !== 200) return keep({ code: 'fetchStatus', params: { url, status: outcome.status } });
  // A wiki or SSO proxy answers 200 with an HTML page; that is not a runbook update.
  if (outcome.contentType && /text\/html/i.test(outcome.contentType) && /^\s*<(!doctype|html)/i.test(outcome.body)) {
    return keep({ code: 'notMarkdown', params: { url, contentType: outcome.contentType } });
  }
  const version = contentHash(outcome.body);
  const next: RemoteCopy = { url, etag: outcome.etag, lastModified: outcome.lastModified, text: outcome.body, version, fetchedAt: now, checkedAt: now };
  return { copy: next, changed: copy?.version !== version, problem: null };
}
