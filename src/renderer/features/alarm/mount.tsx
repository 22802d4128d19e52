import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import { setupI18n } from '../../i18n';
import { AlertWindow, type AlertWindowProps } from './alert-window';

/** A mounted alert window: main's updates re-render it with new props. */
export interface MountedAlert {
  update(props: AlertWindowProps): void;
  unmount(): void;
}

/**
 * Renders the alert window into an element of its own page (the always-on-top BrowserWindow),
 * with its own i18n instance, since that window does not load the main app.
 */
export function mountAlertWindow(element: HTMLElement, locale: string, props: AlertWindowProps): MountedAlert {
  const i18n = setupI18n(locale);
  const root = createRoot(element);
  const render = (p: AlertWindowProps) =>
    root.render(
      <I18nextProvider i18n={i18n}>
        <AlertWindow {...p} />
      </I18nextProvider>,
    );
  render(props);
  return { update: render, unmount: () => root.unmount() };
}
