import { app, BrowserWindow, dialog } from 'electron';
import type { PdfRenderer, SaveDialog } from '../features/reports';

const FILTERS = { markdown: ['md'], html: ['html'], pdf: ['pdf'], json: ['json'] } as const;

/**
 * Prints report HTML to PDF in a hidden, script-less window: the same HTML the HTML export saves,
 * so both look alike. The window is destroyed after each report.
 */
export const electronPdfRenderer: PdfRenderer = async (html) => {
  const win = new BrowserWindow({ show: false, webPreferences: { javascript: false, sandbox: true, contextIsolation: true, nodeIntegration: false } });
  try {
    await win.loadURL(`data:text/html;charset=utf-8,${encodeURIComponent(html)}`);
    const pdf = await win.webContents.printToPDF({ printBackground: true, pageSize: 'A4', preferCSSPageSize: true });
    return new Uint8Array(pdf);
  } finally {
    win.destroy();
  }
};

/** The save dialog, attached to the app window when there is one. */
export function electronSaveDialog(parent: () => BrowserWindow | null): SaveDialog {
  return async (suggestedName, format) => {
    const options = { defaultPath: suggestedName, filters: [{ name: format.toUpperCase(), extensions: [...FILTERS[format]] }] };
    const win = parent();
    const r = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
    return r.canceled || !r.filePath ? null : r.filePath;
  };
}

/**
 * Starts the app afresh after a restore, so every service reads the restored files. exit, not
 * quit: main's services are already stopped, and no window may veto or delay the restart.
 */
export function relaunchApp(): void {
  app.relaunch();
  app.exit(0);
}
