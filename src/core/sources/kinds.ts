/**
 * Every kind of alert source the app understands. `PageSource` and the IPC schema of a signal
 * both derive from this one list, so adding a kind is one line here plus its adapter.
 */
export const SOURCE_KINDS = ['alertmanager', 'grafana', 'pagerduty', 'opsgenie', 'goalert', 'generic'] as const;
/** One kind of alert source. */
export type SourceKind = (typeof SOURCE_KINDS)[number];
