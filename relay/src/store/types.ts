/** One stored webhook: the raw body bytes and the kept headers, verbatim. */
export interface StoredEvent {
  id: string;
  channel: string;
  source: string;
  receivedAt: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** What ingest hands to the store; the store assigns the id. */
export type NewEvent = Omit<StoredEvent, 'id'>;

/**
 * The one storage interface, with an embedded (classic-level) and a Redis Streams backend.
 * Ids are `<ms>-<seq>`, strictly increasing per channel, also across restarts.
 */
export interface EventStore {
  readonly kind: 'embedded' | 'redis';
  /** Resolves only once the event is durable; the answer to the webhook waits for it. */
  append(event: NewEvent): Promise<StoredEvent>;
  /** Up to `limit` events with an id greater than `afterId` (all from the start when null), oldest first. */
  readAfter(channel: string, afterId: string | null, limit: number): Promise<StoredEvent[]>;
  /** The newest id the channel ever held (even if retention has dropped it since), or null when it never held one. */
  lastId(channel: string): Promise<string | null>;
  /** Calls `onAppend` whenever the channel may have new events (possibly written by another instance). */
  watch(channel: string, onAppend: () => void): () => void;
  /** Drops events received before `beforeMs`; returns how many went. */
  trim(channel: string, beforeMs: number): Promise<number>;
  /**
   * The newest id ever dropped from the channel by retention (age or length), or null when nothing was.
   * Kept durably next to the events, so a subscriber coming back from before it learns of the gap.
   */
  trimmedThrough(channel: string): Promise<string | null>;
  /** Throws when the storage cannot be used (for /healthz). */
  ping(): Promise<void>;
  close(): Promise<void>;
}
