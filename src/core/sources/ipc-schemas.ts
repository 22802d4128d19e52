import { z } from 'zod';
import { SOURCE_KINDS } from './kinds';
import { relayEventIdSchema } from '../relay/envelope';

const params = z.record(z.string(), z.union([z.string(), z.number()]));

/** One configured source as Settings shows it: state, last delivery, where to send webhooks; never a secret. */
export const sourceInfoSchema = z.object({
  id: z.string(),
  kind: z.enum(SOURCE_KINDS),
  name: z.string(),
  enabled: z.boolean(),
  state: z.enum(['idle', 'connected', 'polling', 'failing']),
  lastDeliveryAt: z.number().nullable(),
  lastError: z.object({ code: z.string(), params, at: z.number() }).nullable(),
  /** Empty while the listener is not listening. */
  webhookUrl: z.string(),
  hasSigningSecret: z.boolean(),
  /** Webhooks are checked by their signature; otherwise they need the listener token. */
  signed: z.boolean(),
  hasApiKey: z.boolean(),
  polling: z.boolean(),
});
/** One source row of Settings. */
export type SourceInfo = z.infer<typeof sourceInfoSchema>;

/** One relay (or smee.io channel) the app subscribes to. */
export const relayInfoSchema = z.object({
  id: z.string(),
  name: z.string(),
  mode: z.enum(['relay', 'smee']),
  url: z.string(),
  /** The relay's channel; null for smee.io, whose URL is the channel. */
  channel: z.string().nullable(),
  /** False for smee.io: events sent while the app is offline are lost. */
  replay: z.boolean(),
  state: z.enum(['idle', 'connecting', 'connected', 'waiting', 'stopped']),
  lastDeliveryAt: z.number().nullable(),
  lastError: z.object({ code: z.string(), params }).nullable(),
  /** When the next attempt is due, while disconnected. */
  retryAt: z.number().nullable(),
  /** The last gap the relay reported this run (events it no longer had for us), with when it said so. */
  gap: z.object({ after: relayEventIdSchema, reason: z.enum(['retention', 'reset']), lostThrough: relayEventIdSchema, at: z.number() }).nullable(),
});

/**
 * Relayed events for a source id this app does not have (a hook URL with a typo, a source not added
 * yet): dropped, since no adapter can read them, and shown rather than only logged, as a page may be among them.
 */
export const strayEventsSchema = z.object({
  source: z.string(),
  channel: z.string(),
  count: z.number().int().positive(),
  lastAt: z.number(),
});
/** One source id a relay sent events for that no configured source has. */
export type StrayEvents = z.infer<typeof strayEventsSchema>;

/** Everything Settings shows about sources; `broken` lists config entries refused with their error. */
export const sourcesViewSchema = z.object({
  sources: z.array(sourceInfoSchema),
  relays: z.array(relayInfoSchema),
  strays: z.array(strayEventsSchema),
  broken: z.array(z.object({ index: z.number().int(), id: z.string().nullable(), code: z.string(), params })),
});
/** What main answers for every sources operation. */
export type SourcesView = z.infer<typeof sourcesViewSchema>;

const id = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, { message: 'lower-case letters, digits and dashes' });
const which = z.enum(['signing', 'api', 'relayToken']);

/** The sources operations of the IPC contract; configs are checked in main with the core schemas. */
export const sourcesInvokeContract = {
  'sources:list': { request: z.undefined(), response: sourcesViewSchema },
  'sources:save': { request: z.object({ source: z.unknown() }), response: sourcesViewSchema },
  'sources:remove': { request: z.object({ id }), response: sourcesViewSchema },
  'sources:save-relay': { request: z.object({ relay: z.unknown(), token: z.string().max(4096).optional() }), response: sourcesViewSchema },
  'sources:remove-relay': { request: z.object({ id }), response: sourcesViewSchema },
  /** An empty value deletes the secret. */
  'sources:set-secret': { request: z.object({ id, which, value: z.string().max(4096) }), response: sourcesViewSchema },
  /** Secrets are shown only on request. */
  'sources:reveal-secret': { request: z.object({ id, which }), response: z.object({ value: z.string().nullable() }) },
  'sources:poll-now': { request: z.undefined(), response: sourcesViewSchema },
} as const;
