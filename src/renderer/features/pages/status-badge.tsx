import { useTranslation } from 'react-i18next';
import type { PageStatus } from '../../../core/page';

/** Firing / Acknowledged / Resolved as a badge. */
export function StatusBadge({ status }: { status: PageStatus }) {
  const { t } = useTranslation();
  return <span className={`badge status status-${status}`}>{t(`pages.status.${status}`)}</span>;
}
