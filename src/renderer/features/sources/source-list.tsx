import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SourceKind } from '../../../core/sources/kinds';
import { receiverSnippet } from './receiver-snippet';

/** One source as Settings shows it; the lead maps main's SourceStatus and the listener's URL onto this. */
export interface SourceRow {
  id: string;
  kind: SourceKind;
  name: string;
  state: 'idle' | 'connected' | 'polling' | 'failing';
  lastDeliveryAt: number | null;
  lastError: { code: string; params: Record<string, string | number>; at: number } | null;
  webhookUrl: string;
  /** Null when the source has no secret, or when it is fetched only on request through `reveal`. */
  secret: string | null;
  /** Fetches a secret main holds, only when the user asks to see or copy it. */
  reveal?: () => Promise<string | null>;
}

/** Props of the source list: the rows and the side effects the parent owns. */
export interface SourceListProps {
  sources: SourceRow[];
  formatTime(at: number): string;
  onCopy(text: string): void;
}

function StateBadge({ row }: { row: SourceRow }) {
  const { t } = useTranslation();
  const cls = row.state === 'failing' ? 'bad' : row.state === 'connected' ? 'ok' : 'neutral';
  const error = row.lastError ? t(`sources.errors.${row.lastError.code}`, row.lastError.params) : '';
  return (
    <span className={`badge ${cls}`} data-testid={`source-state-${row.id}`}>
      {t(`sources.state.${row.state}`, { error })}
    </span>
  );
}

function SourceCard({ row, formatTime, onCopy }: { row: SourceRow } & Omit<SourceListProps, 'sources'>) {
  const { t } = useTranslation();
  const [showSecret, setShowSecret] = useState(false);
  const [copied, setCopied] = useState<string | null>(null);
  const [revealed, setRevealed] = useState<string | null>(null);
  const secret = row.secret ?? revealed ?? (row.reveal ? '' : null);
  const copy = (what: string, text: string) => {
    onCopy(text);
    setCopied(what);
  };
  // a secret main holds is asked for only now, when the user wants to see or copy it
  const withSecret = (then: (value: string) => void) => {
    if (row.secret !== null || revealed !== null || !row.reveal) return then(secret ?? '');
    void row.reveal().then((v) => {
      setRevealed(v ?? '');
      then(v ?? '');
    });
  };
  const snippet = receiverSnippet({ kind: row.kind, webhookUrl: row.webhookUrl, secret, showSecret }, t);
  return (
    <section className="card source-card" aria-label={row.name}>
      <h3>
        {row.name} <small>{t(`sources.kinds.${row.kind}`)}</small> <StateBadge row={row} />
      </h3>
      <p className="help">{row.lastDeliveryAt === null ? t('sources.settings.never') : t('sources.settings.lastDelivery', { time: formatTime(row.lastDeliveryAt) })}</p>
      <dl className="fields">
        <dt>{t('sources.settings.webhookUrl')}</dt>
        <dd>
          <code>{row.webhookUrl}</code>
          <button type="button" onClick={() => copy('url', row.webhookUrl)}>
            {copied === 'url' ? t('sources.settings.copied') : t('sources.settings.copy')}
          </button>
        </dd>
        {secret !== null && (
          <>
            <dt>{t('sources.settings.secret')}</dt>
            <dd>
              <code data-testid={`source-secret-${row.id}`}>{showSecret ? secret : '•'.repeat(24)}</code>
              <button type="button" onClick={() => (showSecret ? setShowSecret(false) : withSecret(() => setShowSecret(true)))}>
                {showSecret ? t('sources.settings.hideSecret') : t('sources.settings.showSecret')}
              </button>
              <button type="button" onClick={() => withSecret((v) => copy('secret', v))}>
                {copied === 'secret' ? t('sources.settings.copied') : t('sources.settings.copy')}
              </button>
            </dd>
          </>
        )}
      </dl>
      <h4>
        <span>{t('sources.settings.snippet', { tool: t(`sources.kinds.${row.kind}`) })}</span>
      </h4>
      {/* long lines (PagerDuty's event list) wrap inside the card instead of running off it */}
      <pre data-testid={`source-snippet-${row.id}`} style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
        {snippet}
      </pre>
      <button type="button" onClick={() => withSecret((v) => copy('snippet', receiverSnippet({ kind: row.kind, webhookUrl: row.webhookUrl, secret: secret === null ? null : v, showSecret: true }, t)))}>
        {copied === 'snippet' ? t('sources.settings.copied') : t('sources.settings.copy')}
      </button>
    </section>
  );
}

/** Settings → Alert sources: each source's state, last delivery, webhook URL, secret and receiver snippet. */
export function SourceList({ sources, formatTime, onCopy }: SourceListProps) {
  const { t } = useTranslation();
  return (
    <section className="source-list">
      <h2>{t('sources.settings.title')}</h2>
      {sources.length === 0 ? <p className="help">{t('sources.settings.empty')}</p> : sources.map((row) => <SourceCard key={row.id} row={row} formatTime={formatTime} onCopy={onCopy} />)}
    </section>
  );
}
