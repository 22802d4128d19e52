import { useEffect, useState } from 'react';
import { useLiveQuery } from 'dexie-react-hooks';
import { useTranslation } from 'react-i18next';
import type { AwayDigest } from '../../../core/ipc-contract';
import type { Page } from '../../../core/page';
import { bridge } from '../../bridge';
import { awayPages } from '../../db/away-repo';
import { db } from '../../db/instance';
import { formatClock } from '../../format';
import { routeFor } from '../../routes';
import { StatusBadge } from '../pages/status-badge';

/** The last digest main made, kept current by its `catchup:changed` event. */
function useAwayDigest(): [AwayDigest | null, (d: AwayDigest | null) => void, string | null] {
  const [digest, setDigest] = useState<AwayDigest | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    // an event that arrives while the first answer is on its way is newer: it wins
    let heard = false;
    const off = bridge().onAwayDigestChanged(({ digest: next }) => {
      heard = true;
      setDigest(next);
    });
    bridge()
      .getAwayDigest()
      .then(
        (d) => live && !heard && setDigest(d),
        (err: Error) => live && setError(err.message),
      );
    return () => {
      live = false;
      off();
    };
  }, []);
  return [digest, setDigest, error];
}

/**
 * Pages the card lists by name (still-firing first, as main ordered them); the list below has them all.
 * A digest keeps up to 1,000 ids: listing every one re-read and re-rendered 1,000 rows on each batch a
 * replay stored (about a fifth of the window's work during a 10,000-page catch-up), for a box that shows five.
 */
export const AWAY_SHOWN = 100;

/**
 * How many of the digest's pages still fire now, not when it was made: its own count, less the pages
 * it listed as firing (main puts those first) that this window now has resolved, plus listed ones
 * that fired again. Pages beyond the card's list keep the digest's word.
 */
export function stillFiringNow(digest: AwayDigest, stored: readonly Pick<Page, 'id' | 'status'>[]): number {
  const wasFiring = new Set(digest.ids.slice(0, digest.stillFiring));
  let now = digest.stillFiring;
  for (const p of stored) {
    if (wasFiring.has(p.id) && p.status === 'resolved') now--;
    else if (!wasFiring.has(p.id) && p.status !== 'resolved') now++;
  }
  return Math.max(0, now);
}

/** "02:10–06:55", with dates when the time away spans more than a day. */
function span(since: number, at: number, language: string): string {
  const long = at - since >= 24 * 3_600_000;
  const day = new Intl.DateTimeFormat(language, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  const fmt = (ms: number) => (long ? day.format(ms) : formatClock(ms, language));
  return `${fmt(since)}–${fmt(at)}`;
}

/**
 * "While you were away (02:10–06:55): 14 pages, 3 still firing" at the top of the Pages view,
 * after a catch-up (sleep, restart, reconnect): the pages that changed meanwhile with their status
 * as stored now, each opening its group, until dismissed.
 */
export function AwaySection() {
  const { t, i18n } = useTranslation();
  const [digest, setDigest, loadError] = useAwayDigest();
  const [error, setError] = useState<string | null>(null);
  const listed = digest ? digest.ids.slice(0, AWAY_SHOWN) : [];
  const key = digest ? `${digest.at}\u0000${listed.join('\u0000')}` : '';
  const pages = useLiveQuery(() => awayPages(db, listed), [key]);
  if (!digest) return loadError ? <p role="alert">{t('relay.away.loadFailed', { message: loadError })}</p> : null;
  const title = digest.since === null ? t('relay.away.title') : t('relay.away.titleSpan', { span: span(digest.since, digest.at, i18n.language) });
  const shown = pages ?? [];
  // beyond the card's first AWAY_SHOWN (the list below has them), and listed but not stored here yet:
  // two different things, told apart (a storm's card said "1,000 more… once stored" of stored pages)
  const more = digest.pages - listed.length;
  const firing = stillFiringNow(digest, shown);
  const pending = pages === undefined ? 0 : listed.length - shown.length;
  const dismiss = () => {
    setError(null);
    bridge()
      .dismissAwayDigest()
      .then(
        () => setDigest(null),
        (err: Error) => setError(err.message),
      );
  };
  return (
    <section className="card away-section" aria-labelledby="away-title" data-testid="away-section">
      <h2 id="away-title">
        {title}
        {': '}
        <span data-testid="away-summary">{t('relay.away.summary', { count: digest.pages, firing })}</span>
      </h2>
      <ul className="away-pages">
        {shown.map((p) => (
          <li key={p.id} data-testid={`away-page-${p.id}`}>
            <StatusBadge status={p.status} /> <a href={routeFor('pages', p.groupKey || p.id)}>{p.title}</a> {p.instance ? <span className="muted">{p.instance}</span> : null}
          </li>
        ))}
      </ul>
      {more > 0 ? <p className="muted">{t('relay.away.more', { count: more })}</p> : null}
      {pending > 0 ? <p className="muted">{t('relay.away.pending', { count: pending })}</p> : null}
      {error ? <p role="alert">{t('relay.away.dismissFailed', { message: error })}</p> : null}
      <button type="button" onClick={dismiss}>
        {t('relay.away.dismiss')}
      </button>
    </section>
  );
}
