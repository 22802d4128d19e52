import { describe, expect, it } from 'vitest';
import { acknowledge, applySignal, shouldNotify } from '../../src/core/page';
import { notificationFor } from '../../src/core/notification';
import { signal } from '../helpers/fixtures';

describe('page state machine', () => {
  it('a new firing signal creates a firing page with a received event', () => {
    const r = applySignal(undefined, signal(), 5_000);
    expect(r.page).toMatchObject({ status: 'firing', receivedAt: 5_000, fireCount: 1, acknowledgedAt: null });
    expect(r.events.map((e) => e.kind)).toEqual(['received']);
  });

  it('firing → acknowledged → resolved', () => {
    const fired = applySignal(undefined, signal(), 5_000).page;
    const acked = acknowledge(fired, 6_000);
    expect(acked.page).toMatchObject({ status: 'acknowledged', acknowledgedAt: 6_000 });
    expect(acked.events.map((e) => e.kind)).toEqual(['acknowledged']);
    const resolved = applySignal(acked.page, signal({ status: 'resolved', endsAt: 6_500 }), 7_000);
    expect(resolved.page).toMatchObject({ status: 'resolved', resolvedAt: 6_500, acknowledgedAt: 6_000 });
    expect(resolved.events.map((e) => e.kind)).toEqual(['resolved']);
  });

  it('a repeat of a firing alert keeps the acknowledgement and adds no row or event', () => {
    const acked = acknowledge(applySignal(undefined, signal(), 5_000).page, 6_000).page;
    const r = applySignal(acked, signal(), 8_000);
    expect(r.page.status).toBe('acknowledged');
    expect(r.events).toEqual([]);
  });

  it('a changed summary on a firing page is an update', () => {
    const fired = applySignal(undefined, signal(), 5_000).page;
    const r = applySignal(fired, signal({ summary: 'worse now' }), 6_000);
    expect(r.page.summary).toBe('worse now');
    expect(r.events.map((e) => e.kind)).toEqual(['updated']);
  });

  it('a resolved page that fires again (new start) reopens, unacknowledged', () => {
    let p = applySignal(undefined, signal(), 5_000).page;
    p = acknowledge(p, 5_500).page;
    p = applySignal(p, signal({ status: 'resolved', endsAt: 6_000 }), 6_000).page;
    const r = applySignal(p, signal({ startsAt: 9_000 }), 9_100);
    expect(r.page).toMatchObject({ status: 'firing', acknowledgedAt: null, resolvedAt: null, fireCount: 2, startsAt: 9_000 });
    expect(r.events.map((e) => e.kind)).toEqual(['reopened']);
  });

  it('a stale firing re-send of the resolved instance does not reopen it', () => {
    let p = applySignal(undefined, signal({ startsAt: 1_000 }), 5_000).page;
    p = applySignal(p, signal({ status: 'resolved', endsAt: 6_000 }), 6_000).page;
    const r = applySignal(p, signal({ startsAt: 1_000 }), 7_000);
    expect(r.changed).toBe(false);
    expect(r.page.status).toBe('resolved');
  });

  it('a resolve of an older instance does not close the current one', () => {
    const p = applySignal(undefined, signal({ startsAt: 9_000 }), 9_000).page;
    const r = applySignal(p, signal({ status: 'resolved', startsAt: 1_000, endsAt: 2_000 }), 9_500);
    expect(r.page.status).toBe('firing');
  });

  it('acknowledge only acts on firing pages', () => {
    const resolved = applySignal(undefined, signal({ status: 'resolved', endsAt: 2_000 }), 3_000).page;
    expect(acknowledge(resolved, 4_000).changed).toBe(false);
  });

  it('notifies on first firing and on re-firing, not on repeats or resolves', () => {
    expect(shouldNotify(undefined, { status: 'firing' })).toBe(true);
    expect(shouldNotify('resolved', { status: 'firing' })).toBe(true);
    expect(shouldNotify('firing', { status: 'firing' })).toBe(false);
    expect(shouldNotify(undefined, { status: 'resolved' })).toBe(false);
  });

  it('notification: title = alertname and severity, body = summary and instance; P1 is critical', () => {
    expect(notificationFor(signal({ title: 'DiskAlmostFull', severity: 'P1', summary: 'Disk 97%', instance: 'db-1:9100' }))).toEqual({
      title: 'DiskAlmostFull · P1',
      body: 'Disk 97% — db-1:9100',
      urgency: 'critical',
      pageId: 'alertmanager:abc',
      route: '#/pages/%7B%7D%3A%7Balertname%3D%22X%22%7D',
    });
    expect(notificationFor(signal({ severity: 'P3' })).urgency).toBe('normal');
  });
});
