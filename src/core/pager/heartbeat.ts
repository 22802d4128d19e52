import { z } from 'zod';

/** One label condition: `name="value"` (exact, case-sensitive, as Alertmanager matchers are). */
export const labelMatcherSchema = z.object({ name: z.string().min(1).max(200), value: z.string().max(1000) }).strict();
/** All conditions of one entry must hold; any entry of the list makes an alert a heartbeat. */
export const heartbeatMatchersSchema = z.array(z.array(labelMatcherSchema).min(1).max(20)).max(50);
export type HeartbeatMatchers = z.infer<typeof heartbeatMatchersSchema>;

/**
 * kube-prometheus's always-firing Watchdog, and `severity="none"` which the same mixins use for
 * alerts that exist to prove the pipeline works: neither must wake anyone.
 */
export const DEFAULT_HEARTBEAT_MATCHERS: HeartbeatMatchers = [[{ name: 'alertname', value: 'Watchdog' }], [{ name: 'severity', value: 'none' }]];

/** True when the labels match any of the heartbeat matchers. */
export function isHeartbeat(labels: Readonly<Record<string, string>>, matchers: HeartbeatMatchers): boolean {
  return matchers.some((all) => all.every((m) => Object.hasOwn(labels, m.name) && labels[m.name] === m.value));
}
