import type { RequestOf } from '../../core/ipc-contract';
import { AppError } from '../../core/errors';
import { parseSourceConfigs } from '../../core/sources/config';
import type { SourcesView } from '../../core/sources/ipc-schemas';
import type { SecretStore as FileSecretStore } from '../services/secret-store';
import { secretIds } from '../sources/secret-store';
import { checkRelayEntry, relayTokenSecret } from './relay';

/** What the sources operations need: config.json's lists, the secret store, and the running feature. */
export interface SourcesIpcContext {
  rawConfig(): { sources: unknown[]; relays: unknown[] };
  saveConfig(next: { sources: unknown[]; relays: unknown[] }): void;
  secrets: FileSecretStore;
  rebuild(): Promise<void>;
  view(): SourcesView;
  pollAll(): Promise<unknown>;
}

// The file store allows no colons in names; the sources core names secrets `source:<id>:<which>`.
/** A source secret's name in the file store. */
export const secretFileName = (id: string) => id.replace(/:/g, '.');

const entryIndex = (list: unknown[], id: string) => list.findIndex((e) => (e as { id?: unknown } | null)?.id === id);
const secretName = (id: string, which: 'signing' | 'api' | 'relayToken') => (which === 'relayToken' ? relayTokenSecret(id) : secretFileName(secretIds(id)[which]));

/**
 * The IPC operations of Settings → Alert sources. Every change is checked with the core schemas
 * before config.json is written, and the running sources are rebuilt from the file afterwards.
 */
export function sourcesHandlers(ctx: SourcesIpcContext) {
  return {
    'sources:list': () => ctx.view(),
    'sources:save': async ({ source }: RequestOf<'sources:save'>) => {
      const parsed = parseSourceConfigs([source]);
      if (!parsed.ok) throw new AppError('sourceInvalid', { detail: String(parsed.error.params['detail'] ?? parsed.error.params['field'] ?? parsed.error.code) });
      const raw = ctx.rawConfig();
      const list = [...raw.sources];
      const at = entryIndex(list, parsed.sources[0]!.id);
      if (at >= 0) list[at] = source;
      else list.push(source);
      ctx.saveConfig({ ...raw, sources: list });
      await ctx.rebuild();
      return ctx.view();
    },
    'sources:remove': async ({ id }: RequestOf<'sources:remove'>) => {
      const raw = ctx.rawConfig();
      if (entryIndex(raw.sources, id) < 0) throw new AppError('sourceUnknown', { id });
      ctx.saveConfig({ ...raw, sources: raw.sources.filter((e) => (e as { id?: unknown } | null)?.id !== id) });
      await ctx.rebuild();
      return ctx.view();
    },
    'sources:save-relay': async ({ relay, token }: RequestOf<'sources:save-relay'>) => {
      const id = (relay as { id?: unknown } | null)?.id;
      const stored = typeof id === 'string' ? ctx.secrets.get(relayTokenSecret(id)) : null;
      const checked = checkRelayEntry(relay, token ?? stored);
      if (!checked.ok) throw new AppError('relayInvalid', { detail: String(checked.error.params['detail']) });
      if (token) ctx.secrets.set(relayTokenSecret(checked.entry.id), token);
      const raw = ctx.rawConfig();
      const list = [...raw.relays];
      const at = entryIndex(list, checked.entry.id);
      if (at >= 0) list[at] = relay;
      else list.push(relay);
      ctx.saveConfig({ ...raw, relays: list });
      await ctx.rebuild();
      return ctx.view();
    },
    'sources:remove-relay': async ({ id }: RequestOf<'sources:remove-relay'>) => {
      const raw = ctx.rawConfig();
      if (entryIndex(raw.relays, id) < 0) throw new AppError('sourceUnknown', { id });
      ctx.saveConfig({ ...raw, relays: raw.relays.filter((e) => (e as { id?: unknown } | null)?.id !== id) });
      ctx.secrets.delete(relayTokenSecret(id));
      await ctx.rebuild();
      return ctx.view();
    },
    'sources:set-secret': async ({ id, which, value }: RequestOf<'sources:set-secret'>) => {
      if (value === '') ctx.secrets.delete(secretName(id, which));
      else ctx.secrets.set(secretName(id, which), value);
      await ctx.rebuild();
      return ctx.view();
    },
    'sources:reveal-secret': ({ id, which }: RequestOf<'sources:reveal-secret'>) => ({ value: ctx.secrets.get(secretName(id, which)) }),
    'sources:poll-now': async () => {
      await ctx.pollAll();
      return ctx.view();
    },
  };
}
