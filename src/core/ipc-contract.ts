import { z } from 'zod';
import { scheduleSchema } from './rota/model';
import { SEVERITIES, severityMappingSchema } from './severity';
import { SOURCE_KINDS } from './sources/kinds';

const labelMap = z.record(z.string(), z.string());

/** A page signal as it crosses IPC; mirrors `PageSignal`. */
export const pageSignalSchema = z.object({
  id: z.string(),
  source: z.enum(SOURCE_KINDS),
  fingerprint: z.string(),
  groupKey: z.string(),
  status: z.enum(['firing', 'resolved']),
  title: z.string(),
  severity: z.enum(SEVERITIES),
  summary: z.string(),
  instance: z.string(),
  labels: labelMap,
  annotations: labelMap,
  startsAt: z.number(),
  endsAt: z.number().nullable(),
  generatorUrl: z.string().nullable(),
  runbookUrl: z.string().nullable(),
});

/** One webhook's worth of signals, held by main until the renderer confirms it stored them. */
export const deliverySchema = z.object({
  id: z.string().min(1),
  receivedAt: z.number(),
  notifiedAt: z.number().nullable(),
  signals: z.array(pageSignalSchema),
});
export type Delivery = z.infer<typeof deliverySchema>;

/** What Settings shows about the local webhook listener. */
export const listenerInfoSchema = z.object({
  host: z.string(),
  port: z.number().int(),
  token: z.string(),
  url: z.string(),
  listening: z.boolean(),
  error: z.string().nullable(),
});
export type ListenerInfo = z.infer<typeof listenerInfoSchema>;

export const settingsSchema = z.object({
  listener: listenerInfoSchema,
  severityMapping: severityMappingSchema,
  configError: z.string().nullable(),
  configPath: z.string(),
});
export type SettingsView = z.infer<typeof settingsSchema>;

/** A rota source main must poll or watch; etag/lastModified are what the renderer has stored. */
export const rotaSourceRefSchema = z.object({
  id: z.string().min(1).max(200),
  kind: z.enum(['ical', 'file']),
  location: z.string().min(1).max(4096),
  etag: z.string().max(1024).nullable(),
  lastModified: z.string().max(200).nullable(),
});
export type RotaSourceRef = z.infer<typeof rotaSourceRefSchema>;

/** Everything main needs to remind me and to fill the tray: the merged rota and my preferences. */
export const rotaSyncSchema = z.object({
  sources: z.array(rotaSourceRefSchema).max(100),
  schedules: z.array(scheduleSchema).max(500),
  me: z.string().max(200),
  timeZone: z.string().max(100),
  language: z.string().max(20),
  reminderLeadMinutes: z.number().int().min(0).max(24 * 60),
});
export type RotaSync = z.infer<typeof rotaSyncSchema>;

/** What a poll or file read produced: new schedules, "unchanged", or an error to show on the source. */
export const rotaSourceResultSchema = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('updated'),
    sourceId: z.string(),
    at: z.number(),
    schedules: z.array(scheduleSchema),
    etag: z.string().nullable(),
    lastModified: z.string().nullable(),
  }),
  z.object({ status: z.literal('unchanged'), sourceId: z.string(), at: z.number() }),
  z.object({ status: z.literal('error'), sourceId: z.string(), at: z.number(), error: z.string() }),
]);
export type RotaSourceResult = z.infer<typeof rotaSourceResultSchema>;

const none = z.undefined();
const port = z.number().int().min(1).max(65535);

/**
 * Every request/response operation, renderer → main. The preload exposes one method per entry,
 * and main validates each request with its schema before a handler sees it.
 */
export const invokeContract = {
  'deliveries:pull': { request: none, response: z.array(deliverySchema) },
  'deliveries:confirm': { request: z.object({ ids: z.array(z.string().min(1)).max(10_000) }), response: none },
  'settings:get': { request: none, response: settingsSchema },
  'settings:set-listener-port': { request: z.object({ port }), response: settingsSchema },
  'settings:regenerate-token': { request: none, response: settingsSchema },
  'tray:set-attention': {
    request: z.object({ unacknowledged: z.number().int().nonnegative(), firing: z.number().int().nonnegative() }),
    response: none,
  },
  'shell:open-external': { request: z.object({ url: z.string().max(4096) }), response: none },
  'rota:sync': { request: rotaSyncSchema, response: none },
  'rota:refresh': { request: z.object({ sourceId: z.string().min(1) }), response: none },
  'rota:pick-folder': { request: none, response: z.object({ folder: z.string().nullable() }) },
} as const;

/** Messages main pushes to the renderer. */
export const eventContract = {
  'deliveries:available': z.object({ count: z.number().int() }),
  'pages:acknowledge-all-requested': z.object({ at: z.number() }),
  'settings:changed': settingsSchema,
  'rota:source-result': rotaSourceResultSchema,
} as const;

export type InvokeChannel = keyof typeof invokeContract;
export type EventChannel = keyof typeof eventContract;
/** What the renderer sends. */
export type RequestIn<C extends InvokeChannel> = z.input<(typeof invokeContract)[C]['request']>;
/** What a main handler receives: validated, defaults filled in. */
export type RequestOf<C extends InvokeChannel> = z.output<(typeof invokeContract)[C]['request']>;
export type ResponseOf<C extends InvokeChannel> = z.output<(typeof invokeContract)[C]['response']>;
export type EventOf<C extends EventChannel> = z.output<(typeof eventContract)[C]>;
