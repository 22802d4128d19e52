import { useTranslation } from 'react-i18next';
import type { Page } from '../../../core/page';
import { bridge } from '../../bridge';
import { formatDateTime, formatDuration } from '../../format';
import { useAppStore } from '../../store';
import { SeverityBadge } from './severity-badge';
import { StatusBadge } from './status-badge';
import { usePageDetail } from './use-pages';
import { PageWork } from '../runbooks/page-work';

const DASHBOARD_KEYS = ['dashboard', 'dashboard_url', 'grafana_dashboard', 'grafana_url', 'dashboardURL'];
const SILENCE_KEYS = ['silence_url', 'silenceURL'];

/** Links the page carries: runbook, dashboard, the generator (Prometheus) and a silence, when known. */
export function pageLinks(page: Page): Array<{ kind: 'runbook' | 'dashboard' | 'source' | 'silence'; url: string }> {
  const pick = (keys: string[]) => keys.map((k) => page.annotations[k]).find((v) => v !== undefined && /^https?:\/\//.test(v));
  const links: Array<{ kind: 'runbook' | 'dashboard' | 'source' | 'silence'; url: string }> = [];
  if (page.runbookUrl) links.push({ kind: 'runbook', url: page.runbookUrl });
  const dashboard = pick(DASHBOARD_KEYS);
  if (dashboard) links.push({ kind: 'dashboard', url: dashboard });
  if (page.generatorUrl) links.push({ kind: 'source', url: page.generatorUrl });
  const silence = pick(SILENCE_KEYS);
  if (silence) links.push({ kind: 'silence', url: silence });
  return links;
}

function Pairs({ entries, label }: { entries: Array<[string, string]>; label: string }) {
  const { t } = useTranslation();
  return (
    <section aria-label={label}>
      <h3>{label}</h3>
      {entries.length === 0 ? (
        <p className="muted">{t('pages.detail.none')}</p>
      ) : (
        <dl className="pairs">
          {entries.map(([k, v]) => (
            <div key={k}>
              <dt>{k}</dt>
              <dd>{v}</dd>
            </div>
          ))}
        </dl>
      )}
    </section>
  );
}

/** Everything about the selected page, beside the list: what, where, links, who acknowledged, and the timeline. */
export function DetailPane({ pageId, groupSize, truncated, now }: { pageId: string; groupSize: (groupKey: string) => number; truncated: Map<string, number>; now: number }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const detail = usePageDetail(pageId);
  const selectPage = useAppStore((s) => s.selectPage);
  const reportError = useAppStore((s) => s.reportError);
  if (!detail) return <aside className="detail-pane" aria-label={t('pages.detail.label')} />;
  const { page, events, acknowledgedBy } = detail;
  const description = page.annotations['description'];
  const size = groupSize(page.groupKey);
  const cut = truncated.get(page.groupKey) ?? 0;
  const open = (url: string) => (e: React.MouseEvent) => {
    e.preventDefault();
    bridge()
      .openExternal({ url })
      .catch((err: Error) => reportError(err.message));
  };
  const linkText = { runbook: t('pages.openRunbook'), dashboard: t('pages.detail.dashboard'), source: t('pages.openSource'), silence: t('pages.detail.silence') };
  return (
    <aside className="detail-pane" aria-label={t('pages.detail.label')}>
      <header>
        <SeverityBadge severity={page.severity} />
        <StatusBadge status={page.status} />
        <h2>{page.title}</h2>
        <button type="button" className="close" aria-label={t('pages.detail.close')} onClick={() => selectPage(null)}>
          ×
        </button>
      </header>
      {page.summary && <p className="detail-summary">{page.summary}</p>}
      {description && description !== page.summary && (
        <section aria-label={t('pages.detail.description')}>
          <h3>{t('pages.detail.description')}</h3>
          <p>{description}</p>
        </section>
      )}
      {cut > 0 && <p className="truncated">{t('pages.truncated', { count: cut })}</p>}
      <dl className="facts">
        <dt>{t('pages.detail.started')}</dt>
        <dd>
          {formatDateTime(page.startsAt, lang)} ({formatDuration(page.startsAt, now, lang)})
        </dd>
        <dt>{t('pages.detail.received')}</dt>
        <dd>{formatDateTime(page.receivedAt, lang)}</dd>
        <dt>{t('pages.detail.fireCount')}</dt>
        <dd data-testid="fire-count">{t('pages.detail.fireCountValue', { count: page.fireCount })}</dd>
        <dt>{t('pages.detail.acknowledgedBy')}</dt>
        <dd data-testid="acknowledged-by">{page.acknowledgedAt !== null ? (acknowledgedBy ?? '—') : t('pages.detail.notYet')}</dd>
        <dt>{t('pages.detail.acknowledgedAt')}</dt>
        <dd>{page.acknowledgedAt !== null ? formatDateTime(page.acknowledgedAt, lang) : t('pages.detail.notYet')}</dd>
        <dt>{t('pages.detail.source')}</dt>
        <dd>{t(`pages.sources.${page.source}`)}</dd>
        {size > 1 && (
          <>
            <dt>{t('pages.detail.group')}</dt>
            <dd>{t('pages.detail.groupValue', { count: size })}</dd>
          </>
        )}
      </dl>
      {pageLinks(page).length > 0 && (
        <nav className="links" aria-label={t('pages.detail.links')}>
          {pageLinks(page).map((l) => (
            <a key={l.kind} href={l.url} onClick={open(l.url)}>
              {linkText[l.kind]}
            </a>
          ))}
        </nav>
      )}
      <PageWork page={page} />
      <Pairs label={t('pages.detail.labels')} entries={Object.entries(page.labels)} />
      <Pairs label={t('pages.detail.annotations')} entries={Object.entries(page.annotations)} />
      <section className="timeline" aria-label={t('pages.timeline')}>
        <h3>{t('pages.timeline')}</h3>
        <ol>
          {events.map((e) => (
            <li key={e.key} data-kind={e.kind}>
              <time dateTime={new Date(e.at).toISOString()}>{formatDateTime(e.at, lang)}</time>
              <span>{t(`pages.events.${e.kind}`)}</span>
              {e.detail && <span className="muted">{e.detail}</span>}
            </li>
          ))}
        </ol>
      </section>
    </aside>
  );
}
