import { createHash } from 'node:crypto';

/**
 * Remembers signed requests for a while, so a captured request re-sent by someone else is refused
 * rather than paged twice. In memory only: it guards one process, and forgets on restart.
 */
export class ReplayGuard {
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly windowMs: number,
    private readonly maxEntries: number,
  ) {}

  /** The key of a signed request: channel, signature header and body bytes. */
  static keyOf(channel: string, signature: string, body: Buffer): string {
    return createHash('sha256').update(channel).update('\0').update(signature).update('\0').update(body).digest('base64');
  }

  /** Records the key and returns true, or returns false when it was seen within the window. */
  claim(key: string, now: number): boolean {
    const until = this.seen.get(key);
    if (until !== undefined && until > now) return false;
    this.seen.delete(key);
    this.seen.set(key, now + this.windowMs);
    // Oldest first (insertion order): drop expired ones, and the oldest when over the cap.
    for (const [k, t] of this.seen) {
      if (t > now && this.seen.size <= this.maxEntries) break;
      this.seen.delete(k);
    }
    return true;
  }

  /** Forgets a key (the request was not stored after all, so a retry must be accepted). */
  release(key: string): void {
    this.seen.delete(key);
  }
}
