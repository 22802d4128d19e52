import { createHmac, timingSafeEqual } from 'node:crypto';
import type { SignatureCheck, VerifyHmac } from '../../core/sources/receive';

/** Hex HMAC-SHA256 of UTF-8 text; senders sign the raw body bytes, which is this text as UTF-8. */
export function hmacSha256Hex(secret: string, text: string): string {
  return createHmac('sha256', secret).update(text, 'utf8').digest('hex');
}

/**
 * Checks the offered signatures against the expected digest in constant time. Each offered value
 * is decoded to bytes first; values that are not 32 bytes of hex cannot match and are skipped
 * without comparing, so timingSafeEqual always sees equal lengths. All values are compared even
 * after a match, so timing does not tell which one matched.
 */
export const verifyHmac: VerifyHmac = (check: SignatureCheck, secret: string): boolean => {
  const expected = createHmac('sha256', secret).update(check.signedText, 'utf8').digest();
  let matched = false;
  for (const value of check.offered) {
    if (!/^[0-9a-fA-F]+$/.test(value) || value.length !== expected.length * 2) continue;
    const offered = Buffer.from(value, 'hex');
    if (timingSafeEqual(offered, expected)) matched = true;
  }
  return matched;
};
