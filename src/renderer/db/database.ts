import Dexie, { type Table } from 'dexie';
import type { Page, PageEvent } from '../../core/page';
import type { Override, Schedule } from '../../core/rota/model';

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

/** Where schedules come from: edited here, a rota file in a folder, or an iCal feed. */
export interface RotaSource {
  id: string;
  kind: 'app' | 'file' | 'ical';
  label: string;
  /** Feed URL or folder path; empty for 'app'. */
  location: string;
  status: 'pending' | 'ok' | 'error';
  error: string | null;
  etag: string | null;
  lastModified: string | null;
  /** Last successful check (updated or unchanged). */
  checkedAt: number | null;
  /** Last time the content changed. */
  updatedAt: number | null;
}

/** A schedule as stored: the core schedule (without overrides) and its source. */
export interface StoredSchedule extends Omit<Schedule, 'overrides'> {
  sourceId: string;
}

/** An override I added; kept apart so a feed or file refresh never drops it. */
export interface StoredOverride extends Override {
  scheduleId: string;
}

/** A user preference. */
export interface Pref {
  key: 'me' | 'reminderLeadMinutes' | 'timeZone' | 'language';
  value: string;
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
  rotaSources!: Table<RotaSource, string>;
  schedules!: Table<StoredSchedule, string>;
  overrides!: Table<StoredOverride, string>;
  prefs!: Table<Pref, string>;

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
    // v3: the rota, with the in-app source present from the start.
    this.version(3)
      .stores({
        rotaSources: 'id, kind',
        schedules: 'id, sourceId',
        overrides: 'id, scheduleId, start',
        prefs: 'key',
      })
      .upgrade((tx) =>
        tx.table<RotaSource, string>('rotaSources').put({
          id: 'app',
          kind: 'app',
          label: '',
          location: '',
          status: 'ok',
          error: null,
          etag: null,
          lastModified: null,
          checkedAt: null,
          updatedAt: null,
        }),
      );
    this.on('populate', (tx) => {
      void tx.table<RotaSource, string>('rotaSources').add({ id: 'app', kind: 'app', label: '', location: '', status: 'ok', error: null, etag: null, lastModified: null, checkedAt: null, updatedAt: null });
    });
  }
}
