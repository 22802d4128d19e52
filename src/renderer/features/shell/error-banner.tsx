import { useAppStore } from '../../store';

/** Errors the user must see, each dismissible. */
export function ErrorBanner() {
  const errors = useAppStore((s) => s.errors);
  const dismiss = useAppStore((s) => s.dismissError);
  if (errors.length === 0) return null;
  return (
    <div className="banner error" role="alert">
      {errors.map((message, i) => (
        <p key={message}>
          {message}{' '}
          <button type="button" aria-label="×" onClick={() => dismiss(i)}>
            ×
          </button>
        </p>
      ))}
    </div>
  );
}
