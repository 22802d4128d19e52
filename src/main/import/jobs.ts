import { parseAlertmanagerText } from '../../core/alertmanager';
import type { PageSignal } from '../../core/page';
import type { GroupInfo } from '../../core/pager/live-state';
import { importIcalFeed, type ImportedFeed } from '../../core/rota/ical-import';
import { DEFAULT_SEVERITY_MAPPING, type SeverityMapping } from '../../core/severity';
import type { Schedule } from '../../core/rota/model';
import { parseRotaFile } from '../../core/rota/rota-file';
import type { Runbook } from '../../core/runbooks/model';
import { outlineRunbook } from '../../core/runbooks/library';
import { parseRunbook } from '../../core/runbooks/parse';
import { serializeJobError, type SerializedJobError } from './job-error';

/** One file of a runbook batch: its library path (or URL) and where its bytes sit in the batch's buffer. */
export interface BatchFile {
  path: string;
  url: string | null;
  start: number;
  end: number;
}
/** One file's outcome in a batch: a file that fails does not fail the others. */
export type BatchOutcome = { ok: true; runbook: Runbook } | { ok: false; error: SerializedJobError };

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
  /**
   * Many runbooks in one round trip (a library scan): their bytes back to back in one buffer, so
   * it is transferred rather than copied, and one outcome per file.
   */
  runbooks: { input: { bytes: Uint8Array; files: BatchFile[] }; output: BatchOutcome[] };
  /** Outlines of many runbooks (front matter and title, no Markdown parse): a big library listed and matchable at once. */
  'runbook-outlines': { input: { bytes: Uint8Array; files: BatchFile[] }; output: BatchOutcome[] };
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
  runbooks: ({ bytes, files }) => eachFile(bytes, files, (text, f) => parseRunbook(text, { path: f.path, url: f.url })),
  'runbook-outlines': ({ bytes, files }) => eachFile(bytes, files, (text, f) => outlineRunbook({ path: f.path, url: f.url, text })),
};

function eachFile(bytes: Uint8Array, files: readonly BatchFile[], read: (text: string, f: BatchFile) => Runbook): BatchOutcome[] {
  return files.map((f): BatchOutcome => {
    try {
      return { ok: true, runbook: read(decode(bytes.subarray(f.start, f.end)), f) };
    } catch (err) {
      return { ok: false, error: serializeJobError(err) };
    }
  });
}

/** Packs files into one batch job's input: the bytes back to back, each file's slice recorded. */
export function packRunbookBatch(files: ReadonlyArray<{ path: string; url?: string | null; bytes: Uint8Array }>): ImportJobs['runbooks']['input'] {
  const total = files.reduce((n, f) => n + f.bytes.byteLength, 0);
  const bytes = new Uint8Array(total);
  const out: BatchFile[] = [];
  let at = 0;
  for (const f of files) {
    bytes.set(f.bytes, at);
    out.push({ path: f.path, url: f.url ?? null, start: at, end: at + f.bytes.byteLength });
    at += f.bytes.byteLength;
  }
  return { bytes, files: out };
}

// Every construct the parser has a path for: front matter, task/numbered/nested lists with code,
// procedure paragraphs, alternatives, tables, raw HTML, links.
const WARM_UP_RUNBOOK = `---
title: Warm-up
aliases: [warm-up]
matchers:
  - alertname=WarmUp
  - team=~"a|b"
severity: critical
---
# Warm-up

## Meaning

Text with *emphasis*, **strong**, \`code\`, a [link](https://example.invalid/x) and [another runbook](other.md#steps).

## Diagnosis

Check the logs:

\`\`\`sh
kubectl logs deploy/x --since=10m | grep -i error
\`\`\`

## Steps

1. First step
   \`\`\`sh
   systemctl restart x
   \`\`\`
2. Second step
   - [ ] Sub-task
   - [x] Done sub-task

## Mitigation

### Option A

**Restart**

\`\`\`
restart
\`\`\`

### Option B

| Column | Value |
| --- | --- |
| a | b |

<details><summary>More</summary>

Hidden {{< ref "x.md" >}}

</details>
`;

/**
 * Parses of the built-in runbook a fresh worker does in the background, a few at a time, unless a
 * job comes first: ~150 KiB of Markdown, a few hundred milliseconds of a niced thread at start.
 */
export const WARM_UP_ROUNDS = 150;
/** Parses per slice of the background warm-up: a job posted meanwhile waits at most this long (a few ms). */
export const WARM_UP_SLICE = 4;

/**
 * Parses a built-in runbook a few times, so the worker has loaded remark and the JIT has seen its
 * hot paths before the first real scan: a cold parser is several times slower on its first files.
 */
export function warmUpParsers(rounds = 12): void {
  for (let i = 0; i < rounds; i++) parseRunbook(WARM_UP_RUNBOOK, { path: `warm-up-${i}.md` });
}

/** What a worker is for, handed to it at start: it warms the parser it will need. */
export type WorkerRole = 'runbooks' | 'general';

/** The `workerData` of an import worker. */
export interface WorkerData {
  role: WorkerRole;
}

/** A small webhook body of the shape a big group has, for warming the general worker's parser. */
const WARM_UP_WEBHOOK = JSON.stringify({
  version: '4',
  groupKey: '{}:{alertname="WarmUp"}',
  truncatedAlerts: 0,
  status: 'firing',
  receiver: 'warm-up',
  groupLabels: {},
  commonLabels: {},
  commonAnnotations: {},
  externalURL: 'http://127.0.0.1:9093',
  alerts: Array.from({ length: 50 }, (_, i) => ({
    status: 'firing',
    labels: { alertname: 'WarmUp', instance: `host-${i}:9100`, severity: 'critical', namespace: 'warm', pod: `pod-${i}` },
    annotations: { summary: `warm-up ${i}`, description: 'Not a page: the import worker warming its parser.' },
    startsAt: '2026-01-01T00:00:00Z',
    endsAt: '0001-01-01T00:00:00Z',
    generatorURL: 'http://127.0.0.1:9090/graph',
    fingerprint: i.toString(16).padStart(16, '0'),
  })),
});

/**
 * Parses a built-in webhook a few times, so the general worker's first big group (a storm) finds
 * the JSON and validation paths compiled. Cheap: a few milliseconds.
 */
export function warmUpWebhookParser(rounds = 20): void {
  for (let i = 0; i < rounds; i++) parseAlertmanagerText(WARM_UP_WEBHOOK, DEFAULT_SEVERITY_MAPPING);
}

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
