import { JSONPath } from 'jsonpath-plus';
import { z } from 'zod';
import type { PageSignal } from '../../page';
import { mapSeverity } from '../../severity';
import { parseJson, parseTime, refuse, shapeError, signalId, stringRecord } from '../parse';
import type { AdapterContext, AdapterResult, HmacScheme, SourceAdapter, SourceError, WebhookInput } from '../types';

const path = z.string().min(1).startsWith('$', { message: 'a JSONPath starts with $' });

/** How a generic JSON webhook maps onto a page; each field is a JSONPath evaluated on one alert. */
export const genericOptionsSchema = z
  .object({
    /** Where the alerts are: a path to an array, or `$` for a body that is one alert. */
    alerts: path.default('$'),
    fields: z
      .object({
        dedupKey: path,
        title: path,
        status: path.optional(),
        severity: path.optional(),
        summary: path.optional(),
        instance: path.optional(),
        groupKey: path.optional(),
        labels: path.optional(),
        startsAt: path.optional(),
        endsAt: path.optional(),
        url: path.optional(),
        runbookUrl: path.optional(),
      })
      .strict(),
    /** Values of `status` that mean resolved (compared case-insensitively); anything else fires. */
    resolvedValues: z.array(z.string().min(1)).default(['resolved', 'ok', 'closed', 'recovered']),
    signatureHeader: z.string().min(1).optional(),
    signaturePrefix: z.string().default(''),
  })
  .strict();
/** Options of a generic JSON source. */
export type GenericOptions = z.infer<typeof genericOptionsSchema>;

/** The first value a path finds; nothing for a primitive, which JSONPath cannot walk. */
function pick(json: unknown, p: string | undefined): unknown {
  if (p === undefined || json === null || typeof json !== 'object') return undefined;
  const found = JSONPath({ path: p, json: json as object, wrap: true, eval: false }) as unknown[] | undefined;
  return found?.[0];
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** Epoch seconds or milliseconds (told apart by size) or RFC 3339; outside the Date range counts as no time. */
function time(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) {
    const ms = Math.abs(value) < 1e11 ? value * 1000 : value;
    return Math.abs(ms) <= 8.64e15 ? ms : null;
  }
  return typeof value === 'string' ? parseTime(value) : null;
}

/** Parses a generic JSON webhook with the user's JSONPath mapping; an alert without a dedup key or title is refused, naming it. */
export function parseGenericWebhook(input: WebhookInput, ctx: AdapterContext, options: GenericOptions): AdapterResult {
  const json = parseJson(input.rawBody);
  if (!json.ok) return refuse(json.error);
  if (json.value === null || typeof json.value !== 'object') return refuse({ code: 'wrongShape', params: { what: 'generic JSON webhook', field: '(body)', detail: '(body): expected an object or an array' } });
  const root = options.alerts === '$' ? json.value : pick(json.value, options.alerts);
  const items: unknown[] = Array.isArray(root) ? root : root !== undefined && options.alerts === '$' ? [root] : [];
  if (root === undefined || (options.alerts !== '$' && !Array.isArray(root))) {
    return refuse({ code: 'wrongShape', params: { what: 'generic JSON webhook', field: options.alerts, detail: `${options.alerts}: expected an array of alerts` } });
  }
  const resolvedValues = new Set(options.resolvedValues.map((v) => v.toLowerCase()));
  const signals: PageSignal[] = [];
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    const missing = (field: string, p: string): SourceError => ({ code: 'wrongShape', params: { what: 'generic JSON webhook', field: `alerts[${i}] ${field} (${p})`, detail: `alerts[${i}]: ${p} found no text for ${field}` } });
    const key = text(pick(item, options.fields.dedupKey));
    if (!key) return refuse(missing('dedupKey', options.fields.dedupKey));
    const title = text(pick(item, options.fields.title));
    if (title === undefined) return refuse(missing('title', options.fields.title));
    const status = text(pick(item, options.fields.status));
    const resolved = status !== undefined && resolvedValues.has(status.toLowerCase());
    const labels = stringRecord(pick(item, options.fields.labels));
    const severity = text(pick(item, options.fields.severity)) ?? labels['severity'];
    const startsAt = time(pick(item, options.fields.startsAt)) ?? input.receivedAt;
    signals.push({
      id: signalId(ctx.sourceId, key),
      source: 'generic',
      fingerprint: key,
      groupKey: `${ctx.sourceId}:${text(pick(item, options.fields.groupKey)) ?? key}`,
      status: resolved ? 'resolved' : 'firing',
      title,
      severity: mapSeverity(severity, ctx.severityMapping),
      summary: text(pick(item, options.fields.summary)) ?? '',
      instance: text(pick(item, options.fields.instance)) ?? '',
      labels,
      annotations: {},
      startsAt,
      endsAt: resolved ? (time(pick(item, options.fields.endsAt)) ?? input.receivedAt) : null,
      generatorUrl: text(pick(item, options.fields.url)) ?? null,
      runbookUrl: text(pick(item, options.fields.runbookUrl)) ?? null,
    });
  }
  const groups = [...new Set(signals.map((s) => s.groupKey))].map((groupKey) => ({ groupKey }));
  return { ok: true, signals, groups };
}

/** The generic adapter; signing is optional, hex HMAC-SHA256 of the body in the configured header. */
export const genericAdapter: SourceAdapter<GenericOptions> = {
  kind: 'generic',
  signature(options): HmacScheme | null {
    if (!options.signatureHeader) return null;
    return { type: 'hmac-sha256', header: options.signatureHeader.toLowerCase(), prefix: options.signaturePrefix, separator: ',', encoding: 'hex' };
  },
  parseOptions(raw) {
    const parsed = genericOptionsSchema.safeParse(raw ?? {});
    return parsed.success ? { ok: true, options: parsed.data } : { ok: false, error: shapeError(parsed.error, 'generic JSON options') };
  },
  parseWebhook: (input, ctx, options) => parseGenericWebhook(input, ctx, options),
};
