import { RunbookError } from './errors';
import { readFrontMatter } from './front-matter';
import { contentHash } from './hash';
import type { Runbook } from './model';
import { MAX_RUNBOOK_CHARS, parseRunbook, type ParseOptions } from './parse';

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

/** Only the head of a file is searched for its H1: a title sits at the top. */
const TITLE_SCAN_CHARS = 64 * 1024;

/** The first ATX H1 outside fenced code, without its closing hashes; the full parse refines it. */
export function firstHeading(text: string): string | null {
  let fence: string | null = null;
  for (const line of text.slice(0, TITLE_SCAN_CHARS).split('\n')) {
    const marker = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence !== null) {
      if (marker && marker[0] === fence[0] && marker.length >= fence.length && line.trim() === marker) fence = null;
      continue;
    }
    if (marker) {
      fence = marker;
      continue;
    }
    const h1 = /^ {0,3}#[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/.exec(line);
    if (h1 && h1[1]!.trim() !== '') return h1[1]!.trim();
  }
  return null;
}

/**
 * A runbook's outline: what the library list and the page matcher need (path, title, aliases,
 * matchers, severity, version), read from the front matter and the first heading without parsing
 * the Markdown. It is replaced by the full parse once that is done.
 */
export function outlineRunbook(file: LibraryFile): Runbook {
  if (file.text.length > MAX_RUNBOOK_CHARS) throw new RunbookError('tooLarge', { path: file.path, chars: file.text.length, max: MAX_RUNBOOK_CHARS });
  if (file.text.includes('\u0000')) throw new RunbookError('binary', { path: file.path });
  const q = quickEntry(file);
  const name = (file.path.split('/').pop() ?? file.path).replace(/\.[^.]+$/, '');
  const title = q.title ?? firstHeading(file.text.replace(/^\uFEFF/, '')) ?? name;
  return { path: q.path, url: q.url, title, aliases: q.aliases, matchers: q.matchers, severity: q.severity, version: q.version, sections: [], groups: [], tree: [], warnings: [], outline: true };
}
