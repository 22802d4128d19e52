import { Menu, Tray, nativeImage } from 'electron';
import type { i18n } from 'i18next';
import type { TrayAdapter, TrayGroup } from '../adapters';

/** The tray's icons, texts and what its menu items do. */
export interface TrayOptions {
  icons: { normal: string; alert: string };
  t: i18n['t'];
  onOpen: () => void;
  /** A group in the menu was clicked: open the app at it. */
  onOpenGroup?: (groupKey: string) => void;
  onAcknowledgeAll: () => void;
  onQuit: () => void;
}

/**
 * The system tray: icon and tooltip follow unacknowledged pages; the menu lists warnings, the
 * rota line and the open groups, then Open, Acknowledge all, Quit.
 */
export function createTray(opts: TrayOptions): Required<TrayAdapter> & { destroy(): void } {
  const normal = nativeImage.createFromPath(opts.icons.normal);
  const alert = nativeImage.createFromPath(opts.icons.alert);
  const tray = new Tray(normal);
  let attention = { unacknowledged: 0, firing: 0 };
  let rotaLine: string | null = null;
  let groups: TrayGroup[] = [];
  let warnings: string[] = [];
  const render = () => {
    const { unacknowledged, firing } = attention;
    tray.setImage(unacknowledged > 0 ? alert : normal);
    const pages =
      unacknowledged > 0
        ? opts.t('tray.tooltipAttention', { count: unacknowledged })
        : firing > 0
          ? opts.t('tray.tooltipFiring', { count: firing })
          : opts.t('tray.tooltipQuiet');
    tray.setToolTip([...warnings, pages, ...(rotaLine ? [rotaLine] : [])].join('\n'));
    const section = <T>(items: T[]) => (items.length > 0 ? [...items, { type: 'separator' as const }] : []);
    tray.setContextMenu(
      Menu.buildFromTemplate([
        ...section(warnings.map((w) => ({ label: w, enabled: false }))),
        ...section(rotaLine ? [{ label: rotaLine, enabled: false }] : []),
        ...section(groups.map((g) => ({ label: `${g.severity} ${g.title}${g.count > 1 ? ` (${g.count})` : ''}`, click: () => (opts.onOpenGroup ?? opts.onOpen)(g.groupKey) }))),
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
    setOpenGroups(next) {
      groups = next;
      render();
    },
    setWarnings(lines) {
      warnings = lines;
      render();
    },
    destroy: () => tray.destroy(),
  };
}
