import { z } from 'zod';
import { relayNameSchema } from './envelope';

// Core has no URL global (no DOM or node types), so URLs are checked by shape; main parses them for real.
const httpUrl = z.string().trim().regex(/^https?:\/\/[^\s/?#@]+(?:[/?#][^\s]*)?$/i, 'an http(s) URL');

/** True for a smee.io channel URL, which the app accepts in a degraded mode (no replay). */
export function isSmeeChannelUrl(url: string): boolean {
  return /^https:\/\/smee\.io\/[A-Za-z0-9_-]+$/i.test(url.trim());
}

/** What the user enters for a relay source in Settings: the team's relay, or a smee.io URL. */
export const relaySourceSettingsSchema = z.discriminatedUnion('mode', [
  z.strictObject({ mode: z.literal('relay'), url: httpUrl, channel: relayNameSchema, token: z.string().min(16, 'at least 16 characters'), fallbackUrls: z.array(httpUrl).max(8).optional() }),
  z.strictObject({ mode: z.literal('smee'), url: z.string().trim().refine(isSmeeChannelUrl, 'a smee.io channel URL such as https://smee.io/AbC123'), source: relayNameSchema }),
]);
/** A validated relay source setting. */
export type RelaySourceSettings = z.infer<typeof relaySourceSettingsSchema>;
