import { Menu, Tray, nativeImage } from 'electron';
import type { i18n } from 'i18next';
import type { TrayAdapter } from '../adapters';

export interface TrayOptions {
  icons: { normal: string; alert: string };
  t: i18n['t'];
  onOpen: () => void;
  onAcknowledgeAll: () => void;
  onQuit: () => void;
}

/** The system tray: icon and tooltip follow unacknowledged pages; menu Open, Acknowledge all, Quit. */
export function createTray(opts: TrayOptions): TrayAdapter & { destroy(): void } {
  const normal = nativeImage.createFromPath(opts.icons.normal);
  const alert = nativeImage.createFromPath(opts.icons.alert);
  const tray = new Tray(normal);
  tray.setContextMenu(
    Menu.buildFromTemplate([
      { label: opts.t('tray.open'), click: opts.onOpen },
      { label: opts.t('tray.acknowledgeAll'), click: opts.onAcknowledgeAll },
      { type: 'separator' },
      { label: opts.t('tray.quit'), click: opts.onQuit },
    ]),
  );
  tray.setToolTip(opts.t('tray.tooltipQuiet'));
  tray.on('click', opts.onOpen);
  return {
    setAttention({ unacknowledged, firing }) {
      tray.setImage(unacknowledged > 0 ? alert : normal);
      const tooltip =
        unacknowledged > 0
          ? opts.t('tray.tooltipAttention', { count: unacknowledged })
          : firing > 0
            ? opts.t('tray.tooltipFiring', { count: firing })
            : opts.t('tray.tooltipQuiet');
      tray.setToolTip(tooltip);
    },
    destroy: () => tray.destroy(),
  };
}
