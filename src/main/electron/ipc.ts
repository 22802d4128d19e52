import { ipcMain, type WebContents } from 'electron';
import type { RendererEvents } from '../adapters';
import type { IpcRouter } from '../ipc-router';

/** Registers every contract channel with ipcMain; only the app's own main frame is answered. */
export function registerIpc(router: IpcRouter): void {
  for (const channel of router.channels) {
    ipcMain.handle(channel, (event, payload: unknown) => {
      const frame = event.senderFrame;
      const url = frame && frame === event.sender.mainFrame ? frame.url : '';
      return router.handle(channel, payload, url);
    });
  }
}

/** Sends typed events to the window's renderer, if it is there. */
export function webContentsEvents(target: () => WebContents | null): RendererEvents {
  return {
    emit(channel, payload) {
      const wc = target();
      if (wc && !wc.isDestroyed()) wc.send(channel, payload);
    },
  };
}
