import { Menu, Tray, nativeImage, type MenuItemConstructorOptions } from 'electron';
import type { i18n } from 'i18next';
import * as path from 'node:path';
import type { TrayModel } from '../../core/alarms/tray-model';
import type { TrayAdapter } from '../adapters';
import { TRAY_ICON_FILES, trayMenuTemplate, trayTooltip, type TrayMenuActions } from './tray-menu';

/** What the alarm tray needs: its icons, the current translator, and what its entries do. */
export interface AlarmTrayOptions {
  /** The folder with tray-{alert,broken,normal,off}-32.png. */
  iconDir: string;
  /** The translator of the moment: the tray follows the language chosen in Settings. */
  t: () => i18n['t'];
  formatTime: (ms: number) => string;
  actions: TrayMenuActions;
  /** A click on the icon itself. */
  onClick: () => void;
}

/**
 * The system tray from the alarm tray model: icon state (pages waiting, paging path broken, on
 * call, off call), tooltip and menu, re-rendered whenever main says the model changed. It lives
 * in main, so it works with every window closed. As a TrayAdapter it keeps the warning lines
 * (refused webhooks and the like) the pager reports.
 */
export function createAlarmTray(opts: AlarmTrayOptions): Required<TrayAdapter> & { render(model: TrayModel): void; destroy(): void } {
  const icons = new Map(Object.entries(TRAY_ICON_FILES).map(([state, file]) => [state, nativeImage.createFromPath(path.join(opts.iconDir, `${file}-32.png`))]));
  const tray = new Tray(icons.get('onCall')!);
  let warnings: string[] = [];
  let last: TrayModel | null = null;
  tray.on('click', opts.onClick);
  const render = (model: TrayModel) => {
    last = model;
    const t = opts.t();
    tray.setImage(icons.get(model.icon)!);
    tray.setToolTip(trayTooltip(model, t, opts.formatTime, warnings));
    tray.setContextMenu(Menu.buildFromTemplate(trayMenuTemplate(model, t, opts.formatTime, opts.actions, warnings) as MenuItemConstructorOptions[]));
  };
  return {
    render,
    // the model carries counts, groups and the rota; these only ask for a re-render, which main does
    setAttention: () => undefined,
    setRotaLine: () => undefined,
    setOpenGroups: () => undefined,
    setWarnings(lines) {
      warnings = lines;
      if (last) render(last);
    },
    destroy: () => tray.destroy(),
  };
}
