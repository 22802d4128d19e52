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
export function createTray(opts: TrayOptions): Required<TrayAdapter> & { destroy(): void } {
  const normal = nativeImage.createFromPath(opts.icons.normal);
  const alert = nativeImage.createFromPath(opts.icons.alert);
  const tray = new Tray(normal);
  let attention = { unacknowledged: 0, firing: 0 };
  let rotaLine: string | null = null;
  const render = () => {
    const { unacknowledged, firing } = attention;
    tray.setImage(unacknowledged > 0 ? alert : normal);
    const pages =
      unacknowledged > 0
        ? opts.t('tray.tooltipAttention', { count: unacknowledged })
        : firing > 0
          ? opts.t('tray.tooltipFiring', { count: firing })
          : opts.t('tray.tooltipQuiet');
    tray.setToolTip(rotaLine ? `${pages}\n${rotaLine}` : pages);
    tray.setContextMenu(
      Menu.buildFromTemplate([
        ...(rotaLine ? [{ label: rotaLine, enabled: false }, { type: 'separator' as const }] : []),
        { label: opts.t('tray.open'), click: opts.onOpen },
        { label: opts.t('tray.acknowledgeAll'), click: opts.onAcknowledgeAll },
        { type: 'separator' },
        { label: opts.t('tray.quit'), click: opts.onQuit },
      ]),
    );
  };
  render();
  tray.on('click', opts.onOpen);
  return {
    setAttention(state) {
      attention = state;
      render();
    },
    setRotaLine(line) {
      rotaLine = line;
      render();
    },
    destroy: () => tray.destroy(),
  };
}
