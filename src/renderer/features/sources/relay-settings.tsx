import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { EMPTY_CHANNEL_ID, parseEventId } from '../../../core/relay/envelope';
import type { SourcesView } from '../../../core/sources/ipc-schemas';
import { bridge } from '../../bridge';
import { formatDateTime } from '../../format';

/** The add/change form's fields; the token is kept in the keychain by main, never in config.json. */
interface RelayDraft {
  mode: 'relay' | 'smee';
  id: string;
  name: string;
  url: string;
  channel: string;
  source: string;
  token: string;
}

/** When the relay received an event, from its id (`<ms>-<seq>`); main checked the ids' form. */
const eventMs = (id: string) => parseEventId(id)?.ms ?? 0;

const EMPTY: RelayDraft = { mode: 'relay', id: '', name: '', url: '', channel: '', source: '', token: '' };

/** The config entry the form describes (main checks it with the same schema as config.json). */
function entryOf(d: RelayDraft): Record<string, string> {
  const base = { id: d.id.trim(), name: d.name.trim(), mode: d.mode, url: d.url.trim() };
  return d.mode === 'relay' ? { ...base, channel: d.channel.trim() } : { ...base, source: d.source.trim() };
}

/**
 * Settings → Relays: each relay with where it points, its state, and events it had to drop; a form to
 * add or change one (URL, channel and subscriber token, or a smee.io channel and its source); Remove.
 * A relay whose entry was refused (say, its token is missing) is fixed by saving it here again.
 */
export function RelaySettings({ view, onView, onError, formatTime }: { view: SourcesView; onView(v: SourcesView): void; onError(message: string): void; formatTime(at: number): string }) {
  const { t, i18n } = useTranslation();
  const [draft, setDraft] = useState<RelayDraft>(EMPTY);
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<RelayDraft>) => setDraft({ ...draft, ...patch });
  const run = (work: Promise<SourcesView>, after?: () => void) => {
    setBusy(true);
    work
      .then(
        (v) => {
          onView(v);
          after?.();
        },
        (e: Error) => onError(e.message),
      )
      .finally(() => setBusy(false));
  };
  const save = () => {
    const token = draft.mode === 'relay' && draft.token !== '' ? { token: draft.token } : {};
    run(bridge().saveRelay({ relay: entryOf(draft), ...token }), () => setDraft(EMPTY));
  };
  const remove = (id: string) => run(bridge().removeRelay({ id }));
  const refused = view.broken.filter((b) => b.params['what'] === 'relay' && b.id !== null);
  const field = (key: 'id' | 'name' | 'url' | 'channel' | 'source', placeholder = '') => (
    <label>
      {t(`relay.settings.${key}`)}
      <input value={draft[key]} onChange={(e) => set({ [key]: e.target.value })} placeholder={placeholder} spellCheck={false} />
    </label>
  );

  return (
    <>
      <h3>{t('sources.settings.relays')}</h3>
      {view.relays.length === 0 && refused.length === 0 ? <p className="help">{t('relay.settings.none')}</p> : null}
      <ul className="relay-list">
        {view.relays.map((r) => (
          <li key={r.id} data-testid={`relay-${r.id}`}>
            <strong>{r.name}</strong> {r.mode === 'smee' ? t('relay.kindSmee') : t('relay.kind')} · {t(`relay.state.${r.state}`)}
            {r.lastError && <> · {t(`relay.client.errors.${r.lastError.code}`, r.lastError.params)}</>}
            {r.retryAt !== null && <> · {t('relay.retryAt', { time: formatTime(r.retryAt) })}</>}
            {r.lastDeliveryAt !== null && <> · {t('relay.lastDelivery', { time: formatTime(r.lastDeliveryAt) })}</>}
            <div className="muted">{r.channel === null ? r.url : t('relay.settings.where', { url: r.url, channel: r.channel })}</div>
            {!r.replay && <p className="help warn">{t('relay.noReplay')}</p>}
            {r.gap && (
              <p className="relay-gap" role="alert" data-testid={`relay-gap-${r.id}`}>
                {/* with the date: a retention gap spans days */}
                {t(`relay.gap.${r.gap.reason === 'retention' && r.gap.after === EMPTY_CHANNEL_ID ? 'retentionBefore' : r.gap.reason}`, { from: formatDateTime(eventMs(r.gap.after), i18n.language), through: formatDateTime(eventMs(r.gap.lostThrough), i18n.language) })}
              </p>
            )}
            <button type="button" onClick={() => remove(r.id)} disabled={busy}>
              {t('relay.settings.remove', { name: r.name })}
            </button>
          </li>
        ))}
        {refused.map((b) => (
          <li key={`refused-${b.index}`} data-testid={`relay-refused-${b.id}`}>
            <strong>{b.id}</strong> · {t(`sources.errors.${b.code}`, b.params)}{' '}
            <button type="button" onClick={() => remove(b.id!)} disabled={busy}>
              {t('relay.settings.remove', { name: b.id })}
            </button>
          </li>
        ))}
      </ul>
      {view.strays.length > 0 && (
        <div className="banner error" role="alert">
          {view.strays.map((s) => (
            <p key={`${s.channel}/${s.source}`} data-testid={`relay-stray-${s.source}`}>
              {t('relay.settings.stray', { count: s.count, source: s.source, channel: s.channel, time: formatTime(s.lastAt) })}
            </p>
          ))}
        </div>
      )}
      <fieldset className="relay-form">
        <legend>{t('relay.settings.add')}</legend>
        <p className="help">{t('relay.settings.addHelp')}</p>
        <label>
          {t('relay.settings.mode')}
          <select value={draft.mode} onChange={(e) => set({ mode: e.target.value as RelayDraft['mode'] })}>
            <option value="relay">{t('relay.kind')}</option>
            <option value="smee">{t('relay.kindSmee')}</option>
          </select>
        </label>
        {field('id', 'team')}
        {field('name')}
        {field('url', draft.mode === 'relay' ? 'https://relay.example.com' : 'https://smee.io/…')}
        {draft.mode === 'relay' ? (
          <>
            {field('channel', 'ops')}
            <label>
              {t('relay.settings.token')}
              <input type="password" value={draft.token} onChange={(e) => set({ token: e.target.value })} autoComplete="off" placeholder={t('relay.settings.tokenKept')} />
            </label>
          </>
        ) : (
          <>
            {field('source', 'alertmanager')}
            <p className="help warn">{t('relay.noReplay')}</p>
          </>
        )}
        <button type="button" onClick={save} disabled={busy || draft.id.trim() === ''}>
          {t('relay.settings.save')}
        </button>
      </fieldset>
    </>
  );
}
