import { useTranslation } from 'react-i18next';
import { useAppStore } from '../../store';

/**
 * Errors the user must see, each dismissible. It sticks to the top of the view as it scrolls: an
 * error from a button far down Settings was otherwise shown a screen above, and the click seemed to do nothing.
 */
export function ErrorBanner() {
  const { t } = useTranslation();
  const errors = useAppStore((s) => s.errors);
  const dismiss = useAppStore((s) => s.dismissError);
  if (errors.length === 0) return null;
  return (
    <div className="banner error error-banner" role="alert">
      {errors.map((message, i) => (
        <p key={message}>
          {message}{' '}
          <button type="button" aria-label={t('nav.dismiss')} title={t('nav.dismiss')} onClick={() => dismiss(i)}>
            ×
          </button>
        </p>
      ))}
    </div>
  );
}
