import * as fs from 'node:fs';
import * as path from 'node:path';
import { AppError } from '../../core/errors';
import type { ReportSave } from '../../core/reports/ipc-schemas';

/** Turns a self-contained HTML report into PDF bytes (Electron's printToPDF; Chromium's page.pdf in tests). */
export type PdfRenderer = (html: string) => Promise<Uint8Array>;
/** Asks the user where to save (Electron's save dialog); null when cancelled. */
export type SaveDialog = (suggestedName: string, format: ReportSave['format']) => Promise<string | null>;

/** What report exports need from the platform. */
export interface ReportsDeps {
  renderPdf?: PdfRenderer;
  saveDialog?: SaveDialog;
}

const EXTENSIONS: Record<ReportSave['format'], string> = { markdown: '.md', html: '.html', pdf: '.pdf', json: '.json' };

/** A file name safe on every desktop file system, with the format's extension. */
export function reportFileName(name: string, format: ReportSave['format']): string {
  const base = name
    .replace(/\.(md|html|pdf|json)$/i, '')
    .replace(/[\\/:*?"<>|\u0000-\u001f]+/g, '-')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 120);
  return `${base || 'report'}${EXTENSIONS[format]}`;
}

/**
 * Writes next to the target and renames over it, so a full disk or a cut-off write never leaves a
 * half report where the old one was. Errors name the path and the reason.
 */
export async function writeReportFile(target: string, bytes: Uint8Array): Promise<void> {
  const tmp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.tmp`);
  try {
    await fs.promises.writeFile(tmp, bytes, { flag: 'w' });
    await fs.promises.rename(tmp, target);
  } catch (err) {
    await fs.promises.rm(tmp, { force: true }).catch(() => undefined);
    const e = err as NodeJS.ErrnoException;
    throw new AppError('reportSaveFailed', { path: target, reason: e.code ?? e.message }, `cannot save ${target}: ${e.message}`);
  }
}

/** Report exports in main: PDF rendering from the report's HTML, and saving through the save dialog. */
export function setupReports(deps: ReportsDeps) {
  async function toBytes(req: ReportSave): Promise<Uint8Array> {
    if (req.format !== 'pdf') return new TextEncoder().encode(req.content);
    if (!deps.renderPdf) throw new AppError('reportPdfUnavailable', {}, 'PDF export is not available here');
    try {
      return await deps.renderPdf(req.content);
    } catch (err) {
      throw new AppError('reportPdfFailed', { reason: (err as Error).message.slice(0, 300) }, `PDF rendering failed: ${(err as Error).message}`);
    }
  }
  return {
    handlers: {
      'reports:save': async (req: ReportSave): Promise<{ path: string | null }> => {
        const name = reportFileName(req.fileName, req.format);
        // render first: a PDF that cannot be made is said before the user picks a place for it
        const bytes = await toBytes(req);
        const target = deps.saveDialog ? await deps.saveDialog(name, req.format) : null;
        if (target === null) return { path: null };
        await writeReportFile(target, bytes);
        return { path: target };
      },
    },
  };
}
