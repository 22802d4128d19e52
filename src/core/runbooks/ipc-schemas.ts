import { z } from 'zod';
import type { Runbook } from './model';

/** An https runbook main must fetch; etag/lastModified are what the renderer has stored. */
export const runbookUrlRefSchema = z.object({
  url: z.string().min(1).max(4096),
  etag: z.string().max(1024).nullable(),
  lastModified: z.string().max(200).nullable(),
});
export type RunbookUrlRef = z.infer<typeof runbookUrlRefSchema>;

/** Most single files one library watches; each costs a watch, and a folder is the way to bring many. */
export const MAX_RUNBOOK_FILES = 200;

/**
 * The library main watches and fetches: one folder (a clone of the ops repo), single files picked
 * on their own (absolute paths, each watched), and single https files.
 */
export const runbookLibrarySchema = z.object({
  folder: z.string().min(1).max(4096).nullable(),
  files: z.array(z.string().min(1).max(4096)).max(MAX_RUNBOOK_FILES).default([]),
  urls: z.array(runbookUrlRefSchema).max(200),
});
export type RunbookLibraryConfig = z.infer<typeof runbookLibrarySchema>;
/** The library as a caller may send it: `files` may be left out (older renderers never sent it). */
export type RunbookLibraryInput = z.input<typeof runbookLibrarySchema>;

/** A file main could not use: a typed code (catalog key) with params; the last good copy stays. */
export const runbookProblemSchema = z.object({
  path: z.string(),
  code: z.string(),
  params: z.record(z.string(), z.union([z.string(), z.number()])),
});
export type RunbookProblem = z.infer<typeof runbookProblemSchema>;

// Runbooks are built by main's own parser, never taken from the renderer, so the event carries them as typed data.
const runbook = z.custom<Runbook>((v) => typeof v === 'object' && v !== null && typeof (v as Runbook).path === 'string');

/**
 * What main found: a folder scan (every runbook in it, plus the files it could not read), a
 * folder that is gone, one single file's read (new text, unchanged, or an error naming the file),
 * or one URL's refresh (new text, unchanged, or an error).
 */
export const runbookResultSchema = z.union([
  z.object({ kind: z.literal('folder'), folder: z.string(), at: z.number(), runbooks: z.array(runbook), problems: z.array(runbookProblemSchema) }),
  z.object({ kind: z.literal('folderError'), folder: z.string(), at: z.number(), problem: runbookProblemSchema }),
  z.object({ kind: z.literal('file'), file: z.string(), at: z.number(), status: z.literal('updated'), runbook }),
  z.object({ kind: z.literal('file'), file: z.string(), at: z.number(), status: z.literal('unchanged') }),
  z.object({ kind: z.literal('file'), file: z.string(), at: z.number(), status: z.literal('error'), problem: runbookProblemSchema }),
  z.object({ kind: z.literal('url'), url: z.string(), at: z.number(), status: z.literal('updated'), runbook, etag: z.string().nullable(), lastModified: z.string().nullable() }),
  z.object({ kind: z.literal('url'), url: z.string(), at: z.number(), status: z.literal('unchanged') }),
  z.object({ kind: z.literal('url'), url: z.string(), at: z.number(), status: z.literal('error'), problem: runbookProblemSchema }),
]);
export type RunbookResult = z.infer<typeof runbookResultSchema>;
