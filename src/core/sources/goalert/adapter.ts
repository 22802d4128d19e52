import { z } from 'zod';
import type { PageSignal } from '../../page';
import { mapSeverity } from '../../severity';
import { parseJson, refuse, shapeError, signalId, stringRecord } from '../parse';
import type { AdapterContext, AdapterResult, SourceAdapter, WebhookInput } from '../types';

const alertId = z.number().int().nonnegative();

/** GoAlert's outgoing webhook (a user's "Webhook" contact method): one of these shapes, told apart by `Type`. */
export const goAlertWebhookSchema = z.discriminatedUnion('Type', [
  z.object({ Type: z.literal('Alert'), AppName: z.string().optional(), AlertID: alertId, Summary: z.string(), Details: z.string().default(''), Meta: z.record(z.string(), z.unknown()).optional() }),
  z.object({ Type: z.literal('AlertBundle'), AppName: z.string().optional(), ServiceID: z.string().min(1), ServiceName: z.string(), Count: z.number().int().nonnegative() }),
  z.object({ Type: z.literal('AlertStatus'), AppName: z.string().optional(), AlertID: alertId, LogEntry: z.string() }),
  z.object({ Type: z.literal('AlertStatusBundle'), AppName: z.string().optional(), AlertID: alertId, Count: z.number().int().nonnegative(), LogEntry: z.string() }),
  z.object({ Type: z.literal('Verification'), AppName: z.string().optional(), Code: z.string() }),
  z.object({ Type: z.literal('Test'), AppName: z.string().optional() }),
]);

/** Options of a GoAlert source: the UI base URL, to link each page back to its alert. */
export const goAlertOptionsSchema = z.object({ baseUrl: z.url().optional() }).strict();
/** Options of a GoAlert source. */
export type GoAlertOptions = z.infer<typeof goAlertOptionsSchema>;

/** A status update whose log entry says the alert was closed. */
export function isClosingLogEntry(entry: string): boolean {
  return /^(closed|auto-closed)\b/i.test(entry.trim());
}

function base(ctx: AdapterContext, key: string, input: WebhookInput, link: string | null): Pick<PageSignal, 'id' | 'source' | 'fingerprint' | 'startsAt' | 'generatorUrl' | 'runbookUrl'> {
  return { id: signalId(ctx.sourceId, key), source: 'goalert', fingerprint: key, startsAt: input.receivedAt, generatorUrl: link, runbookUrl: null };
}

/**
 * Parses a GoAlert webhook. GoAlert sends no times, so a page starts when it arrived. A bundle
 * (several alerts of one service in one message) becomes one page for the service, since GoAlert
 * does not list the alerts in it.
 */
export function parseGoAlertWebhook(input: WebhookInput, ctx: AdapterContext, options: GoAlertOptions = {}): AdapterResult {
  const json = parseJson(input.rawBody);
  if (!json.ok) return refuse(json.error);
  const parsed = goAlertWebhookSchema.safeParse(json.value);
  if (!parsed.success) return refuse(shapeError(parsed.error, 'GoAlert webhook'));
  const hook = parsed.data;
  const link = (id: number) => (options.baseUrl ? `${options.baseUrl.replace(/\/$/, '')}/alerts/${id}` : null);
  switch (hook.Type) {
    case 'Verification':
    case 'Test':
      return { ok: true, signals: [], groups: [], ignored: hook.Type };
    case 'Alert': {
      const meta = stringRecord(hook.Meta);
      const signal: PageSignal = {
        ...base(ctx, String(hook.AlertID), input, link(hook.AlertID)),
        groupKey: `${ctx.sourceId}:alert:${hook.AlertID}`,
        status: 'firing',
        title: hook.Summary,
        severity: mapSeverity(meta['severity'] ?? 'critical', ctx.severityMapping),
        summary: hook.Details.split('\n')[0] ?? '',
        instance: meta['instance'] ?? '',
        labels: { ...meta, alertId: String(hook.AlertID) },
        annotations: hook.Details ? { description: hook.Details } : {},
        endsAt: null,
      };
      return { ok: true, signals: [signal], groups: [{ groupKey: signal.groupKey }] };
    }
    case 'AlertBundle': {
      const key = `bundle:${hook.ServiceID}`;
      const signal: PageSignal = {
        ...base(ctx, key, input, null),
        groupKey: `${ctx.sourceId}:service:${hook.ServiceID}`,
        status: 'firing',
        title: hook.ServiceName,
        severity: mapSeverity('critical', ctx.severityMapping),
        summary: '',
        instance: hook.ServiceName,
        labels: { service: hook.ServiceName, serviceId: hook.ServiceID, count: String(hook.Count) },
        annotations: {},
        endsAt: null,
      };
      return { ok: true, signals: [signal], groups: [{ groupKey: signal.groupKey }] };
    }
    case 'AlertStatus':
    case 'AlertStatusBundle': {
      if (!isClosingLogEntry(hook.LogEntry)) return { ok: true, signals: [], groups: [], ignored: hook.LogEntry };
      const signal: PageSignal = {
        ...base(ctx, String(hook.AlertID), input, link(hook.AlertID)),
        groupKey: `${ctx.sourceId}:alert:${hook.AlertID}`,
        status: 'resolved',
        title: `#${hook.AlertID}`,
        severity: mapSeverity('critical', ctx.severityMapping),
        summary: hook.LogEntry,
        instance: '',
        labels: { alertId: String(hook.AlertID) },
        annotations: {},
        endsAt: input.receivedAt,
      };
      return { ok: true, signals: [signal], groups: [{ groupKey: signal.groupKey }] };
    }
  }
}

/** The GoAlert adapter. Its webhooks are not signed; the listener's token authenticates them. */
export const goAlertAdapter: SourceAdapter<GoAlertOptions> = {
  kind: 'goalert',
  signature: () => null,
  parseOptions(raw) {
    const parsed = goAlertOptionsSchema.safeParse(raw ?? {});
    return parsed.success ? { ok: true, options: parsed.data } : { ok: false, error: shapeError(parsed.error, 'GoAlert options') };
  },
  parseWebhook: (input, ctx, options) => parseGoAlertWebhook(input, ctx, options),
};
