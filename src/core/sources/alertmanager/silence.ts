import { ACK_COMMENT_PREFIX } from './poll';

/** A silence as `POST /api/v2/silences` takes it; with `id` it updates that silence. */
export interface PostableSilence {
  id?: string;
  matchers: Array<{ name: string; value: string; isRegex: false; isEqual: true }>;
  startsAt: string;
  endsAt: string;
  createdBy: string;
  comment: string;
}

/** How long an acknowledgement silence outlives the alert's current end, so a late re-send stays quiet. */
export const ACK_SILENCE_MARGIN_MS = 5 * 60_000;
/** Extend when less than this is left, so each poll does not rewrite the silence. */
export const ACK_SILENCE_EXTEND_BELOW_MS = 3 * 60_000;

/**
 * The silence that acknowledges one alert: exact matchers on every label (so it silences this
 * alert and nothing else), ending a margin after the alert's current end time.
 */
export function ackSilence(opts: { labels: Record<string, string>; alertEndsAt: number | null; now: number; createdBy: string; note?: string; id?: string }): PostableSilence {
  const end = Math.max(opts.alertEndsAt ?? opts.now, opts.now) + ACK_SILENCE_MARGIN_MS;
  const matchers = Object.keys(opts.labels)
    .sort()
    .map((name) => ({ name, value: opts.labels[name]!, isRegex: false as const, isEqual: true as const }));
  const silence: PostableSilence = {
    matchers,
    startsAt: new Date(opts.now).toISOString(),
    endsAt: new Date(end).toISOString(),
    createdBy: opts.createdBy,
    comment: `${ACK_COMMENT_PREFIX} ${opts.note ?? 'acknowledged in On-Call Companion'}`.trim(),
  };
  if (opts.id !== undefined) silence.id = opts.id;
  return silence;
}

/**
 * Whether an acknowledgement silence needs extending: only while the alert still fires, and only
 * when it would end before the alert does (plus margin). A resolved alert is left to let its
 * silence run out, so the silence ends with the alert.
 */
export function needsExtension(opts: { silenceEndsAt: number; alertFiring: boolean; alertEndsAt: number | null; now: number }): boolean {
  if (!opts.alertFiring) return false;
  const wanted = Math.max(opts.alertEndsAt ?? opts.now, opts.now) + ACK_SILENCE_MARGIN_MS;
  return opts.silenceEndsAt - opts.now < ACK_SILENCE_EXTEND_BELOW_MS || opts.silenceEndsAt < wanted - ACK_SILENCE_MARGIN_MS / 2;
}
