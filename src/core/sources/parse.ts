import type { z } from 'zod';
import { describeIssues } from '../validation';
import type { AdapterResult, SourceError } from './types';

/** UTF-8 length of a string without TextEncoder (core has no DOM or Node types). */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}

/** Refuses a body over the limit before anything parses it. */
export function checkSize(rawBody: string, maxBytes: number): SourceError | null {
  // Each UTF-16 unit is at most 3 bytes, so short bodies skip the count.
  if (rawBody.length * 3 <= maxBytes) return null;
  const size = utf8Length(rawBody);
  return size > maxBytes ? { code: 'bodyTooLarge', params: { size, limit: maxBytes } } : null;
}

/** JSON.parse that reports a typed error instead of throwing. */
export function parseJson(rawBody: string): { ok: true; value: unknown } | { ok: false; error: SourceError } {
  try {
    return { ok: true, value: JSON.parse(rawBody) as unknown };
  } catch (e) {
    return { ok: false, error: { code: 'malformedJson', params: { reason: e instanceof Error ? e.message : String(e) } } };
  }
}

/** Turns a zod failure into `wrongShape`, naming the first bad field and the whole description. */
export function shapeError(error: z.ZodError, what: string): SourceError {
  const first = error.issues[0];
  const field = first && first.path.length > 0 ? first.path.map((p) => (typeof p === 'number' ? `[${p}]` : String(p))).join('.').replace(/\.\[/g, '[') : '(body)';
  return { code: 'wrongShape', params: { what, field, detail: describeIssues(error) } };
}

/** A refusal as an adapter result. */
export function refuse(error: SourceError): AdapterResult {
  return { ok: false, error };
}

/** Parses an RFC 3339 time; null for absent, unparsable, or Go's zero time ("0001-01-01T00:00:00Z"). */
export function parseTime(value: string | null | undefined): number | null {
  if (value === undefined || value === null || value === '') return null;
  const t = Date.parse(value);
  if (Number.isNaN(t) || t <= ZERO_TIME) return null;
  return t;
}

const ZERO_TIME = Date.UTC(1, 0, 1);

/** A zod refinement target: strings that Date.parse understands. */
export function isDateString(value: string): boolean {
  return !Number.isNaN(Date.parse(value));
}

/** Keeps only string values of a record, turning numbers and booleans into text, so labels stay `Record<string,string>`. */
export function stringRecord(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return out;
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (typeof v === 'string') out[k] = v;
    else if (typeof v === 'number' || typeof v === 'boolean') out[k] = String(v);
  }
  return out;
}

/** Builds the page id from the configured source and the source's own dedup key. */
export function signalId(sourceId: string, dedupKey: string): string {
  return `${sourceId}:${dedupKey}`;
}
