import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { describe, expect, it, vi } from 'vitest';
import type { SourcesView } from '../../../../src/core/sources/ipc-schemas';
import { SourcesSettings } from '../../../../src/renderer/features/sources/sources-settings';
import { setupI18n } from '../../../../src/renderer/i18n';
import { fakeApi } from '../../../helpers/fake-api';

const view: SourcesView = {
  sources: [
    { id: 'alertmanager', kind: 'alertmanager', name: 'Alertmanager', enabled: true, state: 'connected', lastDeliveryAt: null, lastError: null, webhookUrl: 'http://127.0.0.1:9797/hooks/alertmanager', hasSigningSecret: false, signed: false, hasApiKey: false, polling: false },
    { id: 'pd', kind: 'pagerduty', name: 'PagerDuty', enabled: true, state: 'failing', lastDeliveryAt: null, lastError: { code: 'badSignature', params: { header: 'x-pagerduty-signature' }, at: 1 }, webhookUrl: 'http://127.0.0.1:9797/webhook/pd', hasSigningSecret: true, signed: true, hasApiKey: false, polling: false },
  ],
  relays: [{ id: 'smee', name: 'Team smee', mode: 'smee', url: 'https://smee.io/abc', replay: false, state: 'connected', lastDeliveryAt: null, lastError: null }],
  broken: [{ index: 2, id: 'Bad Id', code: 'wrongShape', params: { what: 'source list', field: '[0].id', detail: '[0].id: lower-case letters, digits and dashes' } }],
};

function setup() {
  const fake = fakeApi();
  const reveal = vi.fn(async () => ({ ok: true as const, value: { value: 'pd-signing-secret' } }));
  const save = vi.fn(async () => ({ ok: true as const, value: view }));
  window.oncall = { ...fake.api, listSources: async () => ({ ok: true, value: view }), revealSourceSecret: reveal, saveSource: save };
  const onError = vi.fn();
  render(
    <I18nextProvider i18n={setupI18n('en')}>
      <SourcesSettings listenerToken="listener-token-abc" onError={onError} />
    </I18nextProvider>,
  );
  return { reveal, save, onError };
}

describe('Settings → Alert sources', () => {
  it('lists each source with its state and error, the refused config entries, and a smee relay without replay', async () => {
    setup();
    await waitFor(() => expect(screen.getByTestId('source-state-pd').textContent).toBe('Failing: Signature in x-pagerduty-signature does not match the body'));
    expect(screen.getByTestId('source-state-alertmanager').textContent).toBe('Connected');
    expect(screen.getByTestId('source-broken').textContent).toContain('Bad Id');
    expect(screen.getByTestId('relay-smee').textContent).toContain('No replay: events sent while you are offline are lost');
  });

  it('asks main for a signing secret only when the user wants to see it', async () => {
    const { reveal } = setup();
    const pd = await screen.findByRole('region', { name: 'PagerDuty' });
    expect(reveal).not.toHaveBeenCalled();
    expect(screen.getByTestId('source-secret-pd').textContent).not.toContain('pd-signing-secret');
    fireEvent.click(within(pd).getByRole('button', { name: 'Show secret' }));
    await waitFor(() => expect(screen.getByTestId('source-secret-pd').textContent).toBe('pd-signing-secret'));
    expect(reveal).toHaveBeenCalledWith({ id: 'pd', which: 'signing' });
  });

  it('saves the edited source as JSON, and names broken JSON instead of sending it', async () => {
    const { save, onError } = setup();
    const editor = await screen.findByRole('textbox', { name: 'Add or change a source (JSON)' });
    fireEvent.change(editor, { target: { value: '{"id": "gf", "kind": "grafana", "name": "Grafana"}' } });
    fireEvent.click(screen.getAllByRole('button', { name: 'Save' })[0]!);
    await waitFor(() => expect(save).toHaveBeenCalledWith({ source: { id: 'gf', kind: 'grafana', name: 'Grafana' } }));
    fireEvent.change(editor, { target: { value: '{"id": ' } });
    fireEvent.click(screen.getAllByRole('button', { name: 'Save' })[0]!);
    expect(onError).toHaveBeenCalledWith(expect.stringMatching(/^Not valid JSON: /));
    expect(save).toHaveBeenCalledTimes(1);
  });
});
