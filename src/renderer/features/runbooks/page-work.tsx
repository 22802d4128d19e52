import { useLiveQuery } from 'dexie-react-hooks';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Page } from '../../../core/page';
import { buildRunbookIndex, matchRunbook } from '../../../core/runbooks/match';
import { db } from '../../db/instance';
import { createIncidentFromStoredPages, incidentOfPage, startRunbookRun } from '../../db/incidents-repo';
import { addRunbookUrl } from '../../db/runbooks-repo';
import { useAppStore } from '../../store';
import { resyncRunbooks, useMe, useWorkUi } from './work-state';
import './work.css';

/**
 * The page's runbook and incident, for the Pages detail pane: Start runbook (matched by the
 * runbook_url, the labels or the alertname; else picked by hand) and Make incident (the whole group).
 */
export function PageWork({ page }: { page: Page }) {
  const { t } = useTranslation();
  const me = useMe();
  const reportError = useAppStore((s) => s.reportError);
  const [picked, setPicked] = useState('');
  const runbooks = useLiveQuery(() => db.runbooks.toArray(), []);
  const index = useMemo(() => (runbooks ? buildRunbookIndex(runbooks) : null), [runbooks]);
  const match = index ? matchRunbook(index, page) : null;
  const runbook = match ? runbooks?.find((r) => r.path === match.path) : undefined;
  const run = useLiveQuery(() => db.runs.where('pageId').equals(page.id).filter((r) => r.status === 'running').first(), [page.id]);
  const incident = useLiveQuery(() => incidentOfPage(db, page.id), [page.id]);
  const fail = (err: Error) => reportError(err.message);
  const linked = page.runbookUrl && /^https:\/\//i.test(page.runbookUrl) ? page.runbookUrl : null;
  const fetching = useLiveQuery(() => (linked ? db.runbookSources.get(linked) : undefined), [linked]);
  // a runbook only reachable by its link: main fetches it (ETag, kept offline) and the match follows
  const fetchLinked = async () => {
    if (!linked) return;
    await addRunbookUrl(db, linked);
    await resyncRunbooks();
  };

  const openRun = (runId: string) => {
    useAppStore.getState().setView('runbooks');
    useWorkUi.getState().openRun(runId);
  };
  const start = async (key: string) => {
    const chosen = runbooks?.find((r) => r.key === key);
    if (!chosen) return;
    const started = await startRunbookRun(db, chosen, { id: crypto.randomUUID(), by: me, pageId: page.id }, Date.now());
    useWorkUi.getState().openRunbook(chosen.key);
    openRun(started.id);
  };
  const openIncident = (id: string) => {
    useAppStore.getState().setView('incidents');
    useWorkUi.getState().openIncident(id);
  };
  const makeIncident = async () => {
    const group = page.groupKey ? await db.pages.where('groupKey').equals(page.groupKey).toArray() : [];
    const pages = group.some((p) => p.id === page.id) ? group.filter((p) => p.status !== 'resolved' || p.id === page.id) : [page];
    const created = await createIncidentFromStoredPages(db, pages, { id: crypto.randomUUID(), by: me }, Date.now());
    openIncident(created.id);
  };

  return (
    <section className="page-work" aria-label={t('runbooks.page.label')}>
      <h3>{t('runbooks.page.label')}</h3>
      {run ? (
        <button type="button" className="primary" onClick={() => openRun(run.id)}>
          {t('runbooks.page.openRun', { title: run.runbookTitle })}
        </button>
      ) : runbook ? (
        <>
          <button type="button" className="primary" disabled={runbook.outline === true} title={runbook.outline ? t('runbooks.view.outline') : undefined} onClick={() => void start(runbook.key).catch(fail)}>
            {t('runbooks.page.start')}
          </button>
          <span className="muted" title={runbook.path}>
            {runbook.title} · {t(`runbooks.match.${match!.reason}`)}
          </span>
        </>
      ) : linked && !fetching ? (
        <button type="button" onClick={() => void fetchLinked().catch(fail)}>
          {t('runbooks.page.fetch')}
        </button>
      ) : linked && fetching?.status === 'pending' ? (
        <span className="muted">{t('runbooks.page.fetching')}</span>
      ) : runbooks && runbooks.length > 0 ? (
        <>
          <select aria-label={t('runbooks.page.pick')} value={picked} onChange={(e) => setPicked(e.target.value)}>
            <option value="">{t('runbooks.page.pick')}</option>
            {runbooks.map((r) => (
              <option key={r.key} value={r.key}>
                {r.title}
              </option>
            ))}
          </select>
          <button type="button" disabled={picked === '' || runbooks.find((r) => r.key === picked)?.outline === true} onClick={() => void start(picked).catch(fail)}>
            {t('runbooks.page.start')}
          </button>
        </>
      ) : (
        <span className="muted">{t('runbooks.page.noLibrary')}</span>
      )}
      {fetching?.status === 'error' && fetching.problems[0] && <span className="field-error">{t(fetching.problems[0].code, fetching.problems[0].params)}</span>}
      {incident ? (
        <button type="button" onClick={() => openIncident(incident.id)}>
          {t('incidents.page.open', { title: incident.title })}
        </button>
      ) : (
        <button type="button" onClick={() => void makeIncident().catch(fail)}>
          {t('incidents.page.create')}
        </button>
      )}
    </section>
  );
}
