import { RunbookError } from './errors';
import { readFrontMatter } from './front-matter';
import { contentHash } from './hash';
import type { Runbook } from './model';
import { parseRunbook, type ParseOptions } from './parse';

/** One file as read from the library folder or fetched over https. */
export interface LibraryFile {
  path: string;
  text: string;
  url?: string | null;
}

/** A file that could not be used, with the typed reason; its last good copy (if any) stays. */
export interface LibraryProblem {
  path: string;
  code: string;
  params: Record<string, string | number>;
  keptLastGood: boolean;
}

/** The library after a (re)scan. */
export interface LibraryScan {
  runbooks: Runbook[];
  problems: LibraryProblem[];
  /** How many files were unchanged and reused without parsing. */
  reused: number;
  parsed: number;
}

/**
 * Parses a library, reusing every runbook whose text has not changed since `previous` (keyed by
 * path), since remark is the slow part and a rescan usually touches one file. A file that fails
 * keeps its last good copy. Files missing from `files` are gone (the folder lost them).
 */
export function scanLibrary(files: readonly LibraryFile[], previous: ReadonlyMap<string, Runbook> = new Map(), options: Omit<ParseOptions, 'path' | 'url'> = {}): LibraryScan {
  const runbooks: Runbook[] = [];
  const problems: LibraryProblem[] = [];
  let reused = 0;
  let parsed = 0;
  for (const f of files) {
    const old = previous.get(f.path);
    if (old && old.version === contentHash(f.text) && old.url === (f.url ?? null)) {
      runbooks.push(old);
      reused++;
      continue;
    }
    try {
      runbooks.push(parseRunbook(f.text, { ...options, path: f.path, url: f.url ?? null }));
      parsed++;
    } catch (err) {
      const e = err instanceof RunbookError ? err : new RunbookError('binary', { path: f.path });
      problems.push({ path: f.path, code: e.code, params: e.params, keptLastGood: old !== undefined });
      if (old) runbooks.push(old);
    }
  }
  return { runbooks, problems, reused, parsed };
}

/** What the page matcher needs of a runbook, plus its version, without parsing the Markdown. */
export interface QuickEntry {
  path: string;
  url: string | null;
  aliases: string[];
  matchers: Runbook['matchers'];
  severity: Runbook['severity'];
  title: string | null;
  version: string;
}

/**
 * Reads only the YAML front matter (which, as for remark-frontmatter, must open the file), so the
 * matching index for a whole library is ready before any Markdown is parsed; each runbook is then
 * parsed when a page needs it or in the background.
 */
export function quickEntry(file: LibraryFile): QuickEntry {
  const text = file.text.replace(/^\uFEFF/, '');
  let yamlText: string | null = null;
  if (text.startsWith('---\n') || text.startsWith('---\r\n')) {
    const body = text.slice(text.indexOf('\n') + 1);
    const close = /^(?:---|\.\.\.)[ \t]*$/m.exec(body);
    if (close) yamlText = body.slice(0, close.index);
  }
  const fm = readFrontMatter(yamlText, []);
  return { path: file.path, url: file.url ?? null, aliases: fm.aliases, matchers: fm.matchers, severity: fm.severity, title: fm.title, version: contentHash(file.text) };
}
