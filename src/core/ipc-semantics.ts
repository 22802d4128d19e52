import { z } from 'zod';
import { LANGUAGES } from './i18n';
import { checkLayer } from './rota/engine';
import { scheduleSchema } from './rota/model';
import { isValidTimeZone } from './rota/time-zone';

/**
 * What main checks in IPC payloads beyond their shape (issue 14): a value that is well-formed but
 * wrong (a zone that does not exist, a feed over plain http, an RRULE that never matches) is
 * refused whole at the boundary, before any handler could half-apply it.
 */

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

/** Why a feed or folder location is refused, or null when it may be used. */
export function locationProblem(kind: 'ical' | 'file', location: string): string | null {
  if (location.includes('\0')) return 'contains a NUL byte';
  if (kind === 'file') return /^(\/|[A-Za-z]:[\\/])/.test(location) ? null : 'a rota folder must be an absolute path';
  // core has no URL global in its type environment; scheme and host are all this needs
  const m = /^([a-z][a-z0-9+.-]*):(?:\/\/(?:[^@/?#]*@)?(\[[^\]]*\]|[^/:?#]*))?/i.exec(location);
  if (!m) return 'not a URL';
  const scheme = m[1]!.toLowerCase();
  const host = (m[2] ?? '').toLowerCase();
  if (scheme === 'https' && host) return null;
  if (scheme === 'http' && LOOPBACK.test(host)) return null;
  if (scheme === 'http') return 'feed URLs must use https (plain http only on this machine), or someone on the network could change who is on call';
  return `feed URLs must be https, not ${scheme}:`;
}

/** An IANA time zone this runtime knows. */
export const timeZoneSchema = z
  .string()
  .min(1)
  .max(100)
  .refine((z) => isValidTimeZone(z), { message: 'unknown time zone' });

/** A UI language that has a catalog. */
export const languageSchema = z.enum(LANGUAGES);

/** A schedule as the renderer sends it: bounded, and every layer's RRULE parsed and checked. */
export const ipcScheduleSchema = scheduleSchema.superRefine((schedule, ctx) => {
  if (schedule.layers.length > 50) ctx.addIssue({ code: 'custom', path: ['layers'], message: 'at most 50 layers' });
  if (schedule.overrides.length > 100_000) ctx.addIssue({ code: 'custom', path: ['overrides'], message: 'at most 100,000 overrides' });
  if (schedule.fixedShifts.length > 200_000) ctx.addIssue({ code: 'custom', path: ['fixedShifts'], message: 'at most 200,000 shifts' });
  if (schedule.id.length > 200 || schedule.name.length > 500) ctx.addIssue({ code: 'custom', path: ['name'], message: 'id or name too long' });
  schedule.layers.forEach((layer, i) => {
    if (layer.participants.length > 500 || layer.participants.some((p) => p.length > 200)) {
      ctx.addIssue({ code: 'custom', path: ['layers', i, 'participants'], message: 'at most 500 participants of 200 characters' });
      return;
    }
    if (layer.rotation.length > 500) {
      ctx.addIssue({ code: 'custom', path: ['layers', i, 'rotation'], message: 'RRULE too long' });
      return;
    }
    try {
      checkLayer(layer);
    } catch (err) {
      ctx.addIssue({ code: 'custom', path: ['layers', i, 'rotation'], message: `invalid RRULE: ${(err as Error).message}` });
    }
  });
});
