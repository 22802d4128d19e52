import type { SourceKind } from './kinds';
import type { SourceErrorCode } from './types';

/** What the engineer's command asks the source to do. */
export type WriteBackAction = 'acknowledge' | 'unacknowledge' | 'resolve';

/** Why a request to a source (poll or write-back) failed; `sources.errors.<code>` holds the text. */
export interface WriteBackError {
  code: SourceErrorCode | 'http' | 'network' | 'timeout' | 'rateLimited' | 'requestFailed' | 'requestPending' | 'notConfigured' | 'unsupported';
  params: Record<string, string | number>;
}

/** The outcome of one write-back, for the page's timeline; the local acknowledgement stands either way. */
export type WriteBackResult =
  | { ok: true; target: SourceKind; action: WriteBackAction; at: number; ref?: string }
  | { ok: false; target: SourceKind; action: WriteBackAction; at: number; error: WriteBackError };

/** A translate function as i18next gives it. */
export type Translate = (key: string, params?: Record<string, unknown>) => string;

/** The timeline line: "ack sent to PagerDuty 03:09:12 ✓" or "ack to PagerDuty failed: HTTP 401 Unauthorized". */
export function describeWriteBack(result: WriteBackResult, t: Translate, formatTime: (at: number) => string): string {
  const action = t(`sources.writeBack.${result.action}`);
  const target = t(`sources.kinds.${result.target}`);
  if (result.ok) return t('sources.writeBack.sent', { action, target, time: formatTime(result.at) });
  return t('sources.writeBack.failed', { action, target, reason: t(`sources.errors.${result.error.code}`, result.error.params) });
}
