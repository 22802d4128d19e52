import { Component, type ErrorInfo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

function Fallback({ message, onRetry }: { message: string; onRetry: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="banner error crashed" role="alert">
      <p>{t('nav.crashed', { message })}</p>
      <p className="help">{t('nav.crashedHelp')}</p>
      <button type="button" onClick={onRetry}>
        {t('nav.tryAgain')}
      </button>
    </div>
  );
}

/**
 * Catches a render error in one view, so a bad page record or a bug shows a message and a way
 * back instead of a blank window; the navigation and the other views keep working.
 */
export class ErrorBoundary extends Component<{ children: ReactNode; onError?: (error: Error, info: ErrorInfo) => void }, { error: Error | null }> {
  override state: { error: Error | null } = { error: null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo) {
    this.props.onError?.(error, info);
  }

  override render() {
    if (this.state.error) return <Fallback message={this.state.error.message} onRetry={() => this.setState({ error: null })} />;
    return this.props.children;
  }
}
