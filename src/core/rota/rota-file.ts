import { LineCounter, parseDocument, isNode } from 'yaml';
import { z } from 'zod';
import { describeIssues } from '../validation';
import { checkLayer, RotationError } from './engine';
import { RotaImportError, wrapRefusal } from './errors';
import { layerSchema, restrictionSchema, type Schedule } from './model';
import { fromWall, isValidTimeZone } from './time-zone';

const OFFSET = /(?:Z|[+-]\d{2}:?\d{2})$/i;
const LOCAL = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/;

/** A time as written: epoch ms, a date-time with offset, or a local date-time or date (read in the schedule's zone later). */
const instant = z.union([z.number(), z.string()]).superRefine((v, ctx) => {
  if (typeof v === 'number') return;
  if (!(OFFSET.test(v.trim()) && !Number.isNaN(Date.parse(v))) && !LOCAL.test(v.trim())) {
    ctx.addIssue({ code: 'custom', message: 'expected a date-time such as 2026-03-01T09:00:00+01:00, 2026-03-01T09:00 (in the schedule time zone) or 2026-03-01' });
  }
});

/** The instant of a time written in the file; a time without an offset is the schedule's wall clock. */
function toInstant(v: number | string, zone: string): number {
  if (typeof v === 'number') return v;
  const text = v.trim();
  if (OFFSET.test(text)) return Date.parse(text);
  const m = LOCAL.exec(text)!;
  const n = (i: number) => Number(m[i] ?? 0);
  return fromWall(Date.UTC(n(1), n(2) - 1, n(3), n(4), n(5), n(6)), zone);
}

/** YAML beyond this is refused before parsing (a rota file is a few kB; the YAML parser needs ~1.4 s per MiB). */
export const MAX_YAML_BYTES = 1024 * 1024;

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined; // not JSON after all: YAML reads it and names the line of any error
  }
}

/** The rota file as teams write it: YAML or JSON, dates as ISO strings. */
const fileSchema = z.object({
  schedules: z
    .array(
      z.object({
        id: z.string().min(1),
        name: z.string().min(1),
        timeZone: z.string().refine(isValidTimeZone, { message: 'unknown time zone' }),
        layers: z.array(layerSchema.extend({ restrictions: z.array(restrictionSchema).default([]), name: z.string().default('') })).default([]),
        overrides: z.array(z.object({ id: z.string().optional(), person: z.string().min(1), start: instant, end: instant })).default([]),
      }),
    )
    .min(1, 'the file has no schedules'),
});

/**
 * Parses a rota file (YAML or JSON; JSON is YAML) into schedules. Any error refuses the whole
 * file with a message naming the field and its line, so a half-valid file never replaces a good rota.
 */
export function parseRotaFile(text: string, fileName: string): Schedule[] {
  let data: unknown;
  let doc: ReturnType<typeof parseDocument> | null = null;
  const lineCounter = new LineCounter();
  const yamlDoc = () => (doc ??= parseDocument(text, { lineCounter, prettyErrors: true }));
  // JSON (a YAML subset) is read natively: the YAML parser needs ~1.4 s per MiB
  const json = /^\s*[{[]/.test(text) ? tryJson(text) : undefined;
  if (json !== undefined) data = json;
  else {
    if (text.length > MAX_YAML_BYTES) throw new RotaImportError('fileTooLarge', { file: fileName, max: `${MAX_YAML_BYTES / 1024 / 1024} MiB` });
    const d = yamlDoc();
    if (d.errors.length > 0) {
      const e = d.errors[0]!;
      const pos = e.linePos?.[0];
      throw new RotaImportError('fileSyntax', { file: fileName, at: pos ? ` line ${pos.line}` : '', message: e.message.split('\n')[0] ?? '' });
    }
    data = d.toJS();
  }
  const lineOfPath = (path: ReadonlyArray<PropertyKey>): string => {
    if (text.length > MAX_YAML_BYTES) return '';
    const node = yamlDoc().getIn(path as unknown[], true);
    const offset = isNode(node) && node.range ? node.range[0] : undefined;
    return offset === undefined ? '' : ` line ${lineCounter.linePos(offset).line}`;
  };
  const parsed = fileSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new RotaImportError('fileField', { file: fileName, at: lineOfPath(issue.path), message: describeIssues(new z.ZodError([issue])) });
  }
  return parsed.data.schedules.map((s, si) => {
    s.layers.forEach((layer, li) => {
      try {
        checkLayer(layer);
      } catch (err) {
        if (err instanceof RotationError) {
          throw wrapRefusal('fileRotation', { file: fileName, at: lineOfPath(['schedules', si, 'layers', li, 'rotation']), path: `schedules[${si}].layers[${li}]` }, err);
        }
        throw err;
      }
    });
    const overrides = s.overrides.map((o, oi) => ({ id: o.id ?? `${s.id}-override-${oi}`, person: o.person, start: toInstant(o.start, s.timeZone), end: toInstant(o.end, s.timeZone) }));
    overrides.forEach((o, oi) => {
      if (o.end <= o.start) throw new RotaImportError('overrideOrder', { file: fileName, at: lineOfPath(['schedules', si, 'overrides', oi, 'end']), path: `schedules[${si}].overrides[${oi}]` });
    });
    return { id: s.id, name: s.name, timeZone: s.timeZone, layers: s.layers, overrides, fixedShifts: [] };
  });
}
