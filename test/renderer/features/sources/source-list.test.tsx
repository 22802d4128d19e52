import { fireEvent, render, screen, within } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { describe, expect, it, vi } from 'vitest';
import { SourceList, type SourceRow } from '../../../../src/renderer/features/sources/source-list';
import { receiverSnippet } from '../../../../src/renderer/features/sources/receiver-snippet';
import { setupI18n } from '../../../../src/renderer/i18n';

const at = Date.parse('2026-11-21T03:09:12Z');
const time = (ms: number) => new Date(ms).toISOString().slice(11, 19);
const rows: SourceRow[] = [
  { id: 'am', kind: 'alertmanager', name: 'Prod Alertmanager', state: 'connected', lastDeliveryAt: at, lastError: null, webhookUrl: 'http://127.0.0.1:9095/webhook/am', secret: 's3cr3t-token' },
  { id: 'pd', kind: 'pagerduty', name: 'PagerDuty EU', state: 'failing', lastDeliveryAt: null, lastError: { code: 'http', params: { status: 401, reason: 'Unauthorized' }, at }, webhookUrl: 'http://127.0.0.1:9095/webhook/pd', secret: null },
];

function setup(lng = 'en') {
  const onCopy = vi.fn();
  render(
    <I18nextProvider i18n={setupI18n(lng)}>
      <SourceList sources={rows} formatTime={time} onCopy={onCopy} />
    </I18nextProvider>,
  );
  return { onCopy };
}

describe('SourceList', () => {
  it('shows each source’s state with the error, and when it last delivered', () => {
    setup();
    expect(screen.getByTestId('source-state-am').textContent).toBe('Connected');
    expect(screen.getByTestId('source-state-pd').textContent).toBe('Failing: HTTP 401 Unauthorized');
    const am = screen.getByRole('region', { name: 'Prod Alertmanager' });
    expect(within(am).getByText('Last delivery: 03:09:12')).toBeTruthy();
    expect(within(screen.getByRole('region', { name: 'PagerDuty EU' })).getByText('Never delivered')).toBeTruthy();
  });

  it('hides the secret until asked, in the field and in the snippet, but copies the real one', () => {
    const { onCopy } = setup();
    const am = screen.getByRole('region', { name: 'Prod Alertmanager' });
    expect(screen.getByTestId('source-secret-am').textContent).not.toContain('s3cr3t');
    expect(screen.getByTestId('source-snippet-am').textContent).not.toContain('s3cr3t');
    fireEvent.click(within(am).getByRole('button', { name: 'Show secret' }));
    expect(screen.getByTestId('source-secret-am').textContent).toBe('s3cr3t-token');
    expect(screen.getByTestId('source-snippet-am').textContent).toContain('credentials: s3cr3t-token');
    const copyButtons = within(am).getAllByRole('button', { name: 'Copy' });
    fireEvent.click(copyButtons[0]!);
    expect(onCopy).toHaveBeenLastCalledWith('http://127.0.0.1:9095/webhook/am');
    expect(within(am).getByRole('button', { name: 'Copied' })).toBeTruthy();
  });

  it('speaks German', () => {
    setup('de');
    expect(screen.getByTestId('source-state-pd').textContent).toBe('Fehler: HTTP 401 Unauthorized');
    expect(screen.getByText('Alarmquellen')).toBeTruthy();
  });
});

describe('receiverSnippet', () => {
  it('gives each tool its own receiver config with the URL', () => {
    const t = setupI18n('en').t;
    for (const kind of ['alertmanager', 'grafana', 'pagerduty', 'opsgenie', 'goalert', 'generic'] as const) {
      const s = receiverSnippet({ kind, webhookUrl: 'http://127.0.0.1:1/x', secret: 'k', showSecret: true }, t);
      expect(s, kind).toContain('http://127.0.0.1:1/x');
    }
    expect(receiverSnippet({ kind: 'grafana', webhookUrl: 'u', secret: 'k', showSecret: true }, t)).toContain('hmacConfig');
    expect(receiverSnippet({ kind: 'goalert', webhookUrl: 'u', secret: null, showSecret: false }, setupI18n('de').t)).toContain('Alert Status Updates');
  });
});
