import type { PageSignal } from './page';
import type { RingEffect } from './pager/live-state';

/** What the OS notification shows for a firing page or group. */
export interface NotificationContent {
  title: string;
  body: string;
  /** P1 and P2 page loudly (critical urgency stays on screen until dismissed). */
  urgency: 'critical' | 'normal';
  pageId: string;
  /** Where a click on the notification opens the app, e.g. `#/pages/<group>`. */
  route?: string;
}

const urgencyOf = (severity: string): NotificationContent['urgency'] => (severity === 'P1' || severity === 'P2' ? 'critical' : 'normal');

/** The deep link to a group in the Pages view. */
export function groupRoute(groupKey: string): string {
  return `#/pages/${encodeURIComponent(groupKey)}`;
}

/** Title = alertname and severity, body = summary and instance. */
export function notificationFor(signal: PageSignal): NotificationContent {
  const body = [signal.summary, signal.instance].filter((s) => s.length > 0).join(' — ');
  return { title: `${signal.title} · ${signal.severity}`, body, urgency: urgencyOf(signal.severity), pageId: signal.id, route: groupRoute(signal.groupKey) };
}

/**
 * One notification for a group: "KubePodCrashLooping +49 more · P1", with the most urgent alert's
 * summary. `more(n)` is the translated "+n more".
 */
export function notificationForRing(ring: RingEffect, more: (count: number) => string): NotificationContent {
  const body = [ring.summary, ring.instance].filter((s) => s.length > 0).join(' — ');
  const title = ring.count > 1 ? `${ring.title} ${more(ring.count - 1)}` : ring.title;
  return { title: `${title} · ${ring.severity}`, body, urgency: urgencyOf(ring.severity), pageId: ring.pageId, route: groupRoute(ring.groupKey) };
}
