import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

const digest = (s: string | Buffer) => createHash('sha256').update(s).digest();

/** Compares in constant time; hashing both sides first also hides the expected length. */
export function secretMatches(presented: string, expected: string): boolean {
  return timingSafeEqual(digest(presented), digest(expected)) && expected.length > 0;
}

/** The token of an `Authorization: Bearer <token>` header, or null. */
export function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const m = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  return m?.[1] ?? null;
}

/**
 * PagerDuty v3: `X-PagerDuty-Signature: v1=<hex>[,v1=<hex>…]`, HMAC-SHA256 of the raw body. Several values
 * (and several secrets) are allowed so a secret can be rotated without dropping events.
 */
export function pagerdutySignatureValid(header: string | undefined, body: Buffer, secrets: readonly string[]): boolean {
  if (!header || secrets.length === 0) return false;
  const presented = header
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.startsWith('v1='))
    .map((s) => s.slice(3).toLowerCase());
  let ok = false;
  for (const secret of secrets) {
    const expected = createHmac('sha256', secret).update(body).digest('hex');
    // No early exit: every comparison runs, so timing does not tell which value matched.
    for (const p of presented) ok = secretMatches(p, expected) || ok;
  }
  return ok;
}
