import { useTranslation } from 'react-i18next';
import type { Runbook } from '../../../core/runbooks/model';
import { RunbookContent, type RunbookHandlers } from './runbook-content';

/** A whole runbook as read-only text: title, parse warnings, then the safe render tree. */
export function RunbookView({ runbook, handlers }: { runbook: Pick<Runbook, 'title' | 'path' | 'tree' | 'warnings' | 'outline'>; handlers: RunbookHandlers }) {
  const { t } = useTranslation();
  if (runbook.outline) {
    return (
      <article className="runbook" aria-label={runbook.title} data-path={runbook.path} aria-busy="true">
        <p className="muted">{t('runbooks.view.outline')}</p>
      </article>
    );
  }
  return (
    <article className="runbook" aria-label={runbook.title} data-path={runbook.path}>
      {runbook.warnings.length > 0 && (
        <ul className="rb-warnings" aria-label="warnings">
          {runbook.warnings.map((w, i) => (
            <li key={i}>{t(`runbooks.warnings.${w.code}`, w.params)}</li>
          ))}
        </ul>
      )}
      <RunbookContent nodes={runbook.tree} handlers={handlers} />
    </article>
  );
}
