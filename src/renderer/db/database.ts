import Dexie, { type Table } from 'dexie';
import type { Page, PageEvent } from '../../core/page';

/** A timeline entry as stored: auto-increment key plus the core event. */
export interface StoredEvent extends PageEvent {
  seq?: number;
}

/** Proof that a delivery from main was stored, so a re-delivery after a reload is skipped. */
export interface DeliveryReceipt {
  id: string;
  storedAt: number;
  signals: number;
}

export const DATABASE_NAME = 'on-call-companion';

/**
 * The app's one IndexedDB database. Schema versions are append-only: never edit a shipped
 * version, add a new one with an upgrade and a test that upgrades from the previous one.
 */
export class OnCallDb extends Dexie {
  pages!: Table<Page, string>;
  events!: Table<StoredEvent, number>;
  deliveries!: Table<DeliveryReceipt, string>;

  constructor(name: string = DATABASE_NAME) {
    super(name);
    // v1: pages and their timeline.
    this.version(1).stores({
      pages: 'id, status, severity, receivedAt',
      events: '++seq, pageId, at',
    });
    // v2: delivery receipts for exactly-once storage; pages gain group and fire count.
    this.version(2)
      .stores({
        pages: 'id, status, severity, receivedAt, updatedAt, groupKey',
        deliveries: 'id, storedAt',
      })
      .upgrade((tx) =>
        tx
          .table<Page, string>('pages')
          .toCollection()
          .modify((page) => {
            page.fireCount ??= 1;
            page.groupKey ??= '';
          }),
      );
  }
}
