import { formatDuration } from '../incidents/timeline';
import type { Translate } from './errors';
import type { Postmortem } from './postmortem';

/** A postmortem in a few chat lines: title, severity, metrics, summary, action item count. */
export function postmortemForChat(pm: Postmortem, t: Translate): string {
  const m = pm.metrics;
  const metric = (key: keyof typeof m) => `${t(`incidents.metrics.${key}`)} ${m[key] === null ? t('incidents.metrics.notYet') : formatDuration(m[key]!)}`;
  const lines = [
    `*${t('reports.postmortem.title')}: ${pm.title}* (${pm.severity}, ${t(`reports.status.${pm.status}`)})`,
    `• ${metric('timeToDetect')} · ${metric('timeToAcknowledge')} · ${metric('timeToMitigate')} · ${metric('timeToResolve')}`,
  ];
  const summary = pm.summary.trim().split('\n')[0];
  if (summary) lines.push(`• ${summary}`);
  if (pm.actionItems.length > 0) lines.push(`• ${t('reports.postmortem.fields.actionItems')}: ${pm.actionItems.length}`);
  return `${lines.join('\n')}\n`;
}
