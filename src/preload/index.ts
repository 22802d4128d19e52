import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { createApi } from './api';

// Listeners get only the payload: handing the renderer the IpcRendererEvent would leak `sender`.
contextBridge.exposeInMainWorld(
  'oncall',
  createApi({
    invoke: (channel, payload) => ipcRenderer.invoke(channel, payload),
    on(channel, listener) {
      const wrapped = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
      ipcRenderer.on(channel, wrapped);
      return () => void ipcRenderer.removeListener(channel, wrapped);
    },
  }),
);
