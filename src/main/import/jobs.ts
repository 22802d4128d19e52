import { parseAlertmanagerText } from '../../core/alertmanager';
import type { PageSignal } from '../../core/page';
import type { GroupInfo } from '../../core/pager/live-state';
import { importIcalFeed, type ImportedFeed } from '../../core/rota/ical-import';
import type { SeverityMapping } from '../../core/severity';
import type { Schedule } from '../../core/rota/model';
import { parseRotaFile } from '../../core/rota/rota-file';
import type { Runbook } from '../../core/runbooks/model';
import { parseRunbook } from '../../core/runbooks/parse';

/**
 * Every kind of import the worker runs: its input and what it answers. Runbooks become one more
 * entry here (input bytes + file name, output the parsed runbook) and one more runner below.
 */
export interface ImportJobs {
  /** `owner`: whose shifts a personal feed (GoAlert's "On-Call (GoAlert: …)") lists — me. */
  ical: { input: { bytes: Uint8Array; from: number; to: number; owner?: string }; output: ImportedFeed };
  'rota-file': { input: { bytes: Uint8Array; fileName: string }; output: Schedule[] };
  /** A large webhook body: parsed and validated here so the listener keeps answering meanwhile. */
  'alertmanager-webhook': { input: { bytes: Uint8Array; mapping: SeverityMapping }; output: { signals: PageSignal[]; groups: GroupInfo[] } };
  /** One runbook file (library path, or the https URL it came from): hostile Markdown costs the budget, not main. */
  runbook: { input: { bytes: Uint8Array; path: string; url: string | null }; output: Runbook };
}
/** A job kind, e.g. "ical". */
export type ImportKind = keyof ImportJobs;
/** One job as posted to the worker. */
export type ImportJob = { [K in ImportKind]: { kind: K } & ImportJobs[K]['input'] }[ImportKind];
/** The runners by kind; each is pure and synchronous, which is why it needs a worker at all. */
export type ImportRunners = { [K in ImportKind]: (input: ImportJobs[K]['input']) => ImportJobs[K]['output'] };

// Feeds and files are bytes off the wire or disk; a stray invalid byte must not refuse a whole rota.
const decode = (bytes: Uint8Array) => new TextDecoder('utf-8', { fatal: false }).decode(bytes);

/** The importers that ship: the pure core parsers, fed decoded text. */
export const importRunners: ImportRunners = {
  ical: ({ bytes, from, to, owner }) => importIcalFeed(decode(bytes), from, to, owner ? { owner } : {}),
  'rota-file': ({ bytes, fileName }) => parseRotaFile(decode(bytes), fileName),
  'alertmanager-webhook': ({ bytes, mapping }) => parseAlertmanagerText(new TextDecoder().decode(bytes), mapping),
  runbook: ({ bytes, path, url }) => parseRunbook(decode(bytes), { path, url }),
};

const MAX_HINTS = 3;

/**
 * The recurrence rules an iCal job's events contain, read cheaply before the import starts, so a
 * job stopped for time or memory can name the rule that most likely ran away ("where known").
 * Other kinds give none: in a rota file the size, not a rule, is what costs.
 */
export function ruleHints(job: { kind: string; bytes?: Uint8Array }): string[] {
  if (job.kind !== 'ical' || !job.bytes || job.bytes.length === 0) return [];
  // Only the first MiB, unfolded: enough for the rules of any realistic feed, cheap for a hostile one.
  const text = decode(job.bytes.subarray(0, 1024 * 1024)).replace(/\r?\n[ \t]/g, '');
  // an event's rule is the suspect; a VTIMEZONE's rules are fixed-size and never run away
  const events = [...text.matchAll(/BEGIN:VEVENT[\s\S]*?(?:END:VEVENT|$)/gi)].map((m) => m[0]).join('\n');
  const found = new Set<string>();
  for (const m of events.matchAll(/^RRULE[^:\r\n]*:([^\r\n]{1,200})/gim)) {
    found.add(m[1]!.trim());
    if (found.size >= MAX_HINTS) break;
  }
  return [...found];
}
