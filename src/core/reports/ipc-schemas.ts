import { z } from 'zod';

/** The export formats main can save; PDF is rendered by main from the report's HTML. */
export const REPORT_FORMATS = ['markdown', 'html', 'pdf', 'json'] as const;

/** Save a report through the save dialog: the text in its format (for PDF, the HTML to print). */
export const reportSaveSchema = z.object({
  format: z.enum(REPORT_FORMATS),
  fileName: z.string().min(1).max(200),
  content: z.string().max(64 * 1024 * 1024),
});
export type ReportSave = z.infer<typeof reportSaveSchema>;
