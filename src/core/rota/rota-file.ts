import { LineCounter, parseDocument, isNode } from 'yaml';
import { z } from 'zod';
import { describeIssues } from '../validation';
import { parseRotation, RotationError } from './engine';
import { RotaImportError } from './errors';
import { layerSchema, restrictionSchema, type Schedule } from './model';
import { isValidTimeZone } from './time-zone';

const instant = z.union([z.number(), z.string()]).transform((v, ctx) => {
  const t = typeof v === 'number' ? v : Date.parse(v);
  if (Number.isNaN(t)) ctx.addIssue({ code: 'custom', message: 'expected a date-time with offset, e.g. 2026-03-01T09:00:00+01:00' });
  return t;
});

/** The rota file as teams write it: YAML or JSON, dates as ISO strings. */
const fileSchema = z
  .object({
    schedules: z
      .array(
        z.object({
          id: z.string().min(1),
          name: z.string().min(1),
          timeZone: z.string().refine(isValidTimeZone, { message: 'unknown time zone' }),
          layers: z.array(layerSchema.extend({ restrictions: z.array(restrictionSchema).default([]), name: z.string().default('') })).default([]),
          overrides: z
            .array(z.object({ id: z.string().optional(), person: z.string().min(1), start: instant, end: instant }))
            .default([]),
        }),
      )
      .min(1, 'the file has no schedules'),
  });

/**
 * Parses a rota file (YAML or JSON; JSON is YAML) into schedules. Any error refuses the whole
 * file with a message naming the field and its line, so a half-valid file never replaces a good rota.
 */
export function parseRotaFile(text: string, fileName: string): Schedule[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const pos = e.linePos?.[0];
    throw new RotaImportError(`${fileName}${pos ? ` line ${pos.line}` : ''}: ${e.message.split('\n')[0]}`);
  }
  const lineOfPath = (path: ReadonlyArray<PropertyKey>): string => {
    const node = doc.getIn(path as unknown[], true);
    const offset = isNode(node) && node.range ? node.range[0] : undefined;
    return offset === undefined ? '' : ` line ${lineCounter.linePos(offset).line}`;
  };
  const parsed = fileSchema.safeParse(doc.toJS());
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new RotaImportError(`${fileName}${lineOfPath(issue.path)}: ${describeIssues(new z.ZodError([issue]))}`);
  }
  return parsed.data.schedules.map((s, si) => {
    s.layers.forEach((layer, li) => {
      try {
        parseRotation(layer.rotation, 0);
      } catch (err) {
        if (err instanceof RotationError) {
          throw new RotaImportError(`${fileName}${lineOfPath(['schedules', si, 'layers', li, 'rotation'])}: schedules[${si}].layers[${li}].rotation: ${err.message}`);
        }
        throw err;
      }
    });
    s.overrides.forEach((o, oi) => {
      if (o.end <= o.start) throw new RotaImportError(`${fileName}${lineOfPath(['schedules', si, 'overrides', oi, 'end'])}: schedules[${si}].overrides[${oi}].end: must be after start`);
    });
    return {
      id: s.id,
      name: s.name,
      timeZone: s.timeZone,
      layers: s.layers,
      overrides: s.overrides.map((o, oi) => ({ id: o.id ?? `${s.id}-override-${oi}`, person: o.person, start: o.start, end: o.end })),
      fixedShifts: [],
    };
  });
}
