import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../src/core/errors';
import { reportFileName, setupReports } from '../../../src/main/features/reports';

const dir = mkdtempSync(path.join(tmpdir(), 'occ-reports-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('report saving in main', () => {
  it('saves the text through the dialog under the name it suggested, with the format extension', async () => {
    const asked: string[] = [];
    const reports = setupReports({
      saveDialog: async (name) => {
        asked.push(name);
        return path.join(dir, name);
      },
    });
    const r = await reports.handlers['reports:save']({ format: 'markdown', fileName: 'postmortem 2026-11-20 Checkout: down/up?', content: '# Postmortem\n' });
    expect(asked).toEqual(['postmortem 2026-11-20 Checkout- down-up-.md']);
    expect(r.path).toBe(path.join(dir, asked[0]!));
    expect(readFileSync(r.path!, 'utf8')).toBe('# Postmortem\n');
  });

  it('prints PDF from the HTML it was given; cancelling the dialog saves nothing', async () => {
    const printed: string[] = [];
    const reports = setupReports({
      renderPdf: async (html) => {
        printed.push(html);
        return new TextEncoder().encode('%PDF-1.7 fake');
      },
      saveDialog: async () => null,
    });
    expect(await reports.handlers['reports:save']({ format: 'pdf', fileName: 'x', content: '<h1>x</h1>' })).toEqual({ path: null });
    expect(printed).toEqual(['<h1>x</h1>']);
    expect(readdirSync(dir).filter((f) => f.endsWith('.pdf'))).toEqual([]);
  });

  it('a PDF without a renderer, or a renderer that fails, is a typed error', async () => {
    await expect(setupReports({ saveDialog: async () => path.join(dir, 'a.pdf') }).handlers['reports:save']({ format: 'pdf', fileName: 'a', content: '' })).rejects.toMatchObject({ code: 'reportPdfUnavailable' });
    const broken = setupReports({ renderPdf: async () => Promise.reject(new Error('GPU process gone')), saveDialog: async () => path.join(dir, 'b.pdf') });
    await expect(broken.handlers['reports:save']({ format: 'pdf', fileName: 'b', content: '' })).rejects.toMatchObject({ code: 'reportPdfFailed', params: { reason: 'GPU process gone' } });
  });

  it('a target the file cannot replace (a folder of that name) gets a clear error; what was there stays and no temporary file is left', async () => {
    const target = path.join(dir, 'taken.json');
    mkdirSync(target);
    writeFileSync(path.join(target, 'keep'), 'mine');
    const reports = setupReports({ saveDialog: async () => target });
    const err = await reports.handlers['reports:save']({ format: 'json', fileName: 'pm', content: '{"new":true}' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: 'reportSaveFailed', params: { path: target } });
    expect(readFileSync(path.join(target, 'keep'), 'utf8')).toBe('mine');
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('a target in a folder that does not exist gets a clear error and leaves no temporary file', async () => {
    const target = path.join(dir, 'missing', 'pm.html');
    const reports = setupReports({ saveDialog: async () => target });
    await expect(reports.handlers['reports:save']({ format: 'html', fileName: 'pm', content: '<p>x</p>' })).rejects.toMatchObject({ code: 'reportSaveFailed', params: { path: target, reason: 'ENOENT' } });
    expect(existsSync(path.join(dir, 'missing'))).toBe(false);
  });

  it('file names never carry path separators or control characters, and always the right extension', () => {
    expect(reportFileName('../../etc/passwd', 'json')).toBe('..-..-etc-passwd.json');
    expect(reportFileName('a\u0000b\nc', 'html')).toBe('a-b-c.html');
    expect(reportFileName('   ', 'pdf')).toBe('report.pdf');
    expect(reportFileName('report.md', 'markdown')).toBe('report.md');
  });
});
