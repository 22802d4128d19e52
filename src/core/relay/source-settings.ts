import { z } from 'zod';
import { relayNameSchema } from './envelope';

const httpUrl = z.string().trim().refine((s) => {
  try {
    const u = new URL(s);
    return u.protocol === 'https:' || u.protocol === 'http:';
  } catch {
    return false;
  }
}, 'an http(s) URL');

/** True for a smee.io channel URL, which the app accepts in a degraded mode (no replay). */
export function isSmeeChannelUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' && u.hostname === 'smee.io' && /^\/[A-Za-z0-9_-]+$/.test(u.pathname);
  } catch {
    return false;
  }
}

/** What the user enters for a relay source in Settings: the team's relay, or a smee.io URL. */
export const relaySourceSettingsSchema = z.discriminatedUnion('mode', [
  z.strictObject({ mode: z.literal('relay'), url: httpUrl, channel: relayNameSchema, token: z.string().min(16, 'at least 16 characters'), fallbackUrls: z.array(httpUrl).max(8).optional() }),
  z.strictObject({ mode: z.literal('smee'), url: z.string().trim().refine(isSmeeChannelUrl, 'a smee.io channel URL such as https://smee.io/AbC123'), source: relayNameSchema }),
]);
/** A validated relay source setting. */
export type RelaySourceSettings = z.infer<typeof relaySourceSettingsSchema>;
