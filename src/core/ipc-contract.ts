import { z } from 'zod';
import { scheduleSchema } from './rota/model';
import { SEVERITIES, severityMappingSchema } from './severity';
import { SOURCE_KINDS } from './sources/kinds';
import { sourcesInvokeContract, sourcesViewSchema } from './sources/ipc-schemas';
import { ipcScheduleSchema, languageSchema, locationProblem, timeZoneSchema } from './ipc-semantics';
import { labelMapSchema } from './validation';
import { heartbeatMatchersSchema } from './pager/heartbeat';
import { runbookLibrarySchema, runbookResultSchema } from './runbooks/ipc-schemas';
import { incidentsSyncSchema } from './incidents/ipc-schemas';
import { reportSaveSchema } from './reports/ipc-schemas';
import { alarmPolicySchema, BUILTIN_SOUNDS } from './alarms/policy';
import { checkResultSchema, SELF_TEST_CHECKS, selfTestLogSchema } from './alarms/self-test';

const labelMap = labelMapSchema;

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

/** A command main applied to pages: an acknowledgement, or one taken back. */
export const pageCommandSchema = z.object({
  type: z.enum(['acknowledge', 'unacknowledge']),
  ids: z.array(z.string()),
  at: z.number(),
  by: z.string(),
});

/** A timeline entry that is not a page transition, such as "notified". */
export const pageEventSchema = z.object({
  pageId: z.string(),
  kind: z.enum(['received', 'notified', 'acknowledged', 'resolved', 'reopened', 'updated', 'writeBack', 'escalated', 'snoozed', 'unacknowledged']),
  at: z.number(),
  detail: z.string().optional(),
});

/** Per-group facts from a source: Alertmanager's count of alerts it left out. */
export const groupInfoSchema = z.object({ groupKey: z.string(), truncatedAlerts: z.number().int().nonnegative() });

/**
 * One change main made to the pages, held until the renderer confirms it stored it: signals
 * from a source, commands the engineer gave, timeline-only events. Journals written before
 * commands existed hold only signals and notifiedAt, so the newer fields default to empty.
 */
export const deliverySchema = z.object({
  id: z.string().min(1),
  receivedAt: z.number(),
  notifiedAt: z.number().nullable().default(null),
  signals: z.array(pageSignalSchema),
  commands: z.array(pageCommandSchema).default([]),
  events: z.array(pageEventSchema).default([]),
  groups: z.array(groupInfoSchema).default([]),
  /**
   * Signals' page ids main had never seen: the window writes those pages without reading them first
   * (an IndexedDB add, which fails if the page exists after all, and then it reads and redoes the batch).
   */
  newIds: z.array(z.string()).default([]),
  /**
   * Set by main on a pull when no window has been handed this delivery since main started, so none
   * can have stored it: the window then writes it without looking for its receipt. Never journaled.
   */
  neverPulled: z.boolean().optional(),
});
export type Delivery = z.infer<typeof deliverySchema>;

/**
 * Signals one `deliveries:pull` carries at most (about 0.35 MB), so any backlog drains in bounded
 * steps and no reply holds the window's main thread for long.
 */
export const PULL_MAX_SIGNALS = 500;

/** How often a route was refused since its last good delivery, and why the last time. */
export const refusalSchema = z.object({
  count: z.number().int(),
  since: z.number(),
  lastAt: z.number(),
  lastStatus: z.number().int(),
  lastReason: z.string(),
});
export type Refusal = z.infer<typeof refusalSchema>;

/** One webhook route of the listener as Settings shows it. */
export const routeStatusSchema = z.object({
  path: z.string(),
  label: z.string(),
  lastDeliveredAt: z.number().nullable(),
  refusal: refusalSchema.nullable(),
});
export type RouteStatus = z.infer<typeof routeStatusSchema>;

/** A heartbeat alert and when it was last seen. */
export const heartbeatStatusSchema = z.object({
  key: z.string(),
  title: z.string(),
  status: z.enum(['firing', 'resolved']),
  lastSeenAt: z.number(),
});

/** A page as main knows it; used once to seed main from the renderer's store. */
export const livePageSchema = z.object({
  id: z.string().min(1).max(1000),
  groupKey: z.string().max(10_000),
  title: z.string().max(10_000),
  severity: z.enum(SEVERITIES),
  summary: z.string().max(100_000),
  instance: z.string().max(10_000),
  status: z.enum(['firing', 'acknowledged', 'resolved']),
  startsAt: z.number(),
  rangAt: z.number().nullable(),
  acknowledgedAt: z.number().nullable(),
  resolvedAt: z.number().nullable(),
  updatedAt: z.number(),
});

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
  heartbeatMatchers: heartbeatMatchersSchema,
  coalesceSeconds: z.number(),
  configError: z.string().nullable(),
  configPath: z.string(),
  /** Set while main cannot write its data folder and keeps pages in memory only. */
  storageError: z.string().nullable(),
  routes: z.array(routeStatusSchema),
  heartbeats: z.array(heartbeatStatusSchema),
  /** False until main was seeded from the window's store after the upgrade. */
  needsSeed: z.boolean(),
});
export type SettingsView = z.infer<typeof settingsSchema>;

/** A rota source main must poll or watch; etag/lastModified are what the renderer has stored. */
export const rotaSourceRefSchema = z
  .object({
    id: z.string().min(1).max(200),
    kind: z.enum(['ical', 'file']),
    location: z.string().min(1).max(4096),
    etag: z.string().max(1024).nullable(),
    lastModified: z.string().max(200).nullable(),
  })
  .superRefine((ref, ctx) => {
    const problem = locationProblem(ref.kind, ref.location);
    if (problem) ctx.addIssue({ code: 'custom', path: ['location'], message: problem });
  });
export type RotaSourceRef = z.infer<typeof rotaSourceRefSchema>;

/** Everything main needs to remind me and to fill the tray: the merged rota and my preferences. */
export const rotaSyncSchema = z.object({
  sources: z.array(rotaSourceRefSchema).max(100),
  schedules: z.array(ipcScheduleSchema).max(500),
  me: z.string().max(200),
  timeZone: timeZoneSchema,
  language: languageSchema,
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

/** What main tells the renderer's alarm player: play a sound once or as the rising alarm, or stop. */
export const alarmSoundSchema = z.discriminatedUnion('command', [
  z.object({ command: z.literal('play'), mode: z.enum(['once', 'alarm']), sound: z.string().max(4096), fallback: z.enum(BUILTIN_SOUNDS), severity: z.enum(SEVERITIES) }),
  z.object({ command: z.literal('stop') }),
]);
export type AlarmSound = z.infer<typeof alarmSoundSchema>;

/** What the always-on-top alert window shows: the most urgent group and how many pages wait. */
export const alarmAlertSchema = z.object({
  groupKey: z.string(),
  pageId: z.string(),
  title: z.string(),
  severity: z.enum(SEVERITIES),
  count: z.number().int(),
  /** What someone woken needs before acknowledging: what is wrong, where, and since when ('' / null when unknown). */
  summary: z.string().default(''),
  instance: z.string().default(''),
  startsAt: z.number().nullable().default(null),
});
export type AlarmAlert = z.infer<typeof alarmAlertSchema>;

/** The alarm side as Settings and the self-test panel show it, and what a reloaded window resumes. */
export const alarmsViewSchema = z.object({
  policy: alarmPolicySchema,
  dnd: z.object({ until: z.number().nullable() }).nullable(),
  snoozes: z.array(z.object({ kind: z.enum(['page', 'group']), target: z.string(), until: z.number() })),
  selfTest: z.object({ failing: z.array(checkResultSchema), lastPassedAt: z.number().nullable(), lastRunAt: z.number().nullable() }),
  /** The self-test runs with every result and its time, newest last, for the self-test panel. */
  selfTestLog: selfTestLogSchema,
  /** The alarm sound playing now, or null. */
  playing: alarmSoundSchema.nullable(),
  alert: alarmAlertSchema.nullable(),
  /** The global "acknowledge the newest page" shortcut and start at login, with why the shortcut is not active. */
  desktop: z.object({
    shortcut: z.string().nullable(),
    startAtLogin: z.boolean(),
    shortcutError: z.object({ code: z.string(), params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])) }).nullable(),
  }),
  /** The last alarm problem (unreadable saved state, a failed escalation step), as a typed error. */
  error: z.object({ code: z.string(), params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])) }).nullable(),
});
export type AlarmsView = z.infer<typeof alarmsViewSchema>;

/** What changed while the app was away (asleep, closed, offline), from the last catch-up; kept until dismissed. */
export const awayDigestSchema = z.object({
  /** When the digest was made, and since when the app was away (null: not known, e.g. the first start). */
  at: z.number(),
  since: z.number().nullable(),
  /** The true counts; `ids` keeps at most 1,000 of the pages, still-firing ones first. */
  pages: z.number().int().nonnegative(),
  stillFiring: z.number().int().nonnegative(),
  ids: z.array(z.string().max(1000)).max(1000),
});
export type AwayDigest = z.infer<typeof awayDigestSchema>;

const none = z.undefined();
const port = z.number().int().min(1).max(65535);

/**
 * Every request/response operation, renderer → main. The preload exposes one method per entry,
 * and main validates each request with its schema before a handler sees it.
 */
export const invokeContract = {
  // `after`: the last delivery of the batch the window is still storing, so it can pull the next one meanwhile
  'deliveries:pull': { request: z.object({ after: z.string().min(1).max(512).nullable() }), response: z.array(deliverySchema) },
  'deliveries:confirm': { request: z.object({ ids: z.array(z.string().min(1)).max(10_000) }), response: none },
  'pages:acknowledge': {
    request: z.union([
      z.object({ ids: z.array(z.string().min(1).max(1000)).min(1).max(10_000) }).strict(),
      z.object({ groupKey: z.string().max(10_000) }).strict(),
      z.object({ all: z.literal(true) }).strict(),
    ]),
    // ids: the pages this request changed, so an Undo takes back only those (not what the tray acknowledged)
    response: z.object({ acknowledged: z.number().int(), ids: z.array(z.string()) }),
  },
  /** Takes acknowledgements back (Undo); written back to the sources that support it. */
  'pages:unacknowledge': {
    request: z.object({ ids: z.array(z.string().min(1).max(1000)).min(1).max(10_000) }).strict(),
    response: z.object({ unacknowledged: z.number().int() }),
  },
  'pager:seed': { request: z.object({ pages: z.array(livePageSchema).max(5_000), done: z.boolean() }), response: none },
  'settings:set-severity-fallback': { request: z.object({ fallback: z.enum(SEVERITIES) }), response: settingsSchema },
  'settings:send-test-page': { request: none, response: z.object({ status: z.number().int() }) },
  'settings:get': { request: none, response: settingsSchema },
  'settings:set-listener-port': { request: z.object({ port }), response: settingsSchema },
  'settings:regenerate-token': { request: none, response: settingsSchema },
  'shell:open-external': { request: z.object({ url: z.string().max(4096) }), response: none },
  'rota:sync': { request: rotaSyncSchema, response: none },
  'rota:refresh': { request: z.object({ sourceId: z.string().min(1).max(200) }), response: none },
  'rota:pick-folder': { request: none, response: z.object({ folder: z.string().nullable() }) },
  ...sourcesInvokeContract,
  'runbooks:configure': { request: runbookLibrarySchema, response: none },
  'runbooks:refresh': { request: none, response: none },
  /** Main's open dialog for single runbook files (several allowed); empty when cancelled. */
  'runbooks:pick-files': { request: none, response: z.object({ files: z.array(z.string().max(4096)).max(1000) }) },
  'incidents:sync': { request: incidentsSyncSchema, response: none },
  'reports:save': { request: reportSaveSchema, response: z.object({ path: z.string().nullable() }) },
  /** With a passphrase, the secrets go into the backup too, sealed under it. */
  'backup:save': { request: z.object({ database: z.string().max(512 * 1024 * 1024), passphrase: z.string().max(1024).optional() }), response: z.object({ path: z.string().nullable() }) },
  'backup:restore': { request: z.object({ passphrase: z.string().max(1024).optional() }), response: z.object({ database: z.string().nullable() }) },
  /** After the window checked the restored database: main stops its writers and writes its restored files. */
  'backup:apply': { request: none, response: none },
  /** The window has swapped in its restored database: the app starts afresh. */
  'backup:relaunch': { request: none, response: none },
  'alarms:get': { request: none, response: alarmsViewSchema },
  'alarms:snooze': {
    request: z.object({
      target: z.union([z.object({ ids: z.array(z.string().min(1).max(1000)).min(1).max(10_000) }).strict(), z.object({ groupKey: z.string().max(10_000) }).strict()]),
      minutes: z.number().int(),
    }),
    response: alarmsViewSchema,
  },
  'alarms:set-dnd': { request: z.object({ dnd: z.object({ until: z.number().nullable() }).nullable() }), response: alarmsViewSchema },
  /** The policy is checked in main with its schema, so the error names the bad field. */
  'alarms:set-policy': { request: z.object({ policy: z.unknown() }), response: alarmsViewSchema },
  'alarms:self-test-start': { request: none, response: alarmsViewSchema },
  'alarms:self-test-record': {
    request: z.object({ check: z.enum(SELF_TEST_CHECKS), outcome: z.enum(['pass', 'fail', 'skipped']), reason: checkResultSchema.shape.reason.optional() }),
    response: alarmsViewSchema,
  },
  'alarms:set-desktop': { request: z.object({ shortcut: z.string().max(100).nullable(), startAtLogin: z.boolean() }), response: alarmsViewSchema },
  /** A custom sound file's bytes (base64), checked first; the renderer cannot read the user's files itself. */
  'alarms:read-sound': { request: z.object({ file: z.string().min(1).max(4096) }), response: z.object({ data: z.string() }) },
  'alarms:check-sound': { request: z.object({ file: z.string().min(1).max(4096) }), response: z.object({ format: z.enum(['wav', 'ogg', 'mp3', 'flac']) }) },
  'settings:set-language': { request: z.object({ language: z.string().max(20) }), response: none },
  /** The alert window's Open: main shows the main window at the route. */
  'app:open': { request: z.object({ route: z.string().max(20_000) }), response: none },
  /** The last "While you were away" digest for the Pages view, or null; dismissing it hides the section. */
  'catchup:get': { request: none, response: awayDigestSchema.nullable() },
  'catchup:dismiss': { request: none, response: none },
} as const;

/** Messages main pushes to the renderer. */
export const eventContract = {
  'deliveries:available': z.object({ count: z.number().int() }),
  /** Open the window at a route such as `#/pages/<group>` (a notification or tray click). */
  'app:navigate': z.object({ route: z.string().max(20_000) }),
  'settings:changed': settingsSchema,
  'rota:source-result': rotaSourceResultSchema,
  'sources:changed': sourcesViewSchema,
  'runbooks:result': runbookResultSchema,
  /** Start or stop the alarm player in the main window; main decides when. */
  'alarm:sound': alarmSoundSchema,
  /** Show (or, with null, hide) the alert view. */
  'alarm:alert': z.object({ alert: alarmAlertSchema.nullable() }),
  'alarms:changed': alarmsViewSchema,
  /** A new "While you were away" digest, or null once dismissed. */
  'catchup:changed': z.object({ digest: awayDigestSchema.nullable() }),
} as const;

export type InvokeChannel = keyof typeof invokeContract;
export type EventChannel = keyof typeof eventContract;
/** What the renderer sends. */
export type RequestIn<C extends InvokeChannel> = z.input<(typeof invokeContract)[C]['request']>;
/** What a main handler receives: validated, defaults filled in. */
export type RequestOf<C extends InvokeChannel> = z.output<(typeof invokeContract)[C]['request']>;
export type ResponseOf<C extends InvokeChannel> = z.output<(typeof invokeContract)[C]['response']>;
export type EventOf<C extends EventChannel> = z.output<(typeof eventContract)[C]>;
