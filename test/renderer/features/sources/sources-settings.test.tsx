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
  relays: [
    { id: 'smee', name: 'Team smee', mode: 'smee', url: 'https://smee.io/abc', channel: null, replay: false, state: 'connected', lastDeliveryAt: null, lastError: null, retryAt: null, gap: null },
    { id: 'team', name: 'Team relay', mode: 'relay', url: 'https://relay.example.com', channel: 'ops', replay: true, state: 'waiting', lastDeliveryAt: null, lastError: { code: 'network', params: { message: 'connect ECONNREFUSED 10.0.0.7:443' } }, retryAt: Date.UTC(2026, 10, 22, 3, 10, 5), gap: { after: `${Date.UTC(2026, 10, 14, 1, 0, 0)}-3`, reason: 'retention', lostThrough: `${Date.UTC(2026, 10, 15, 2, 30, 0)}-0`, at: Date.UTC(2026, 10, 22, 3, 9, 0) } },
    // subscribed first while the channel was empty: its position was 0-0
    { id: 'night', name: 'Night relay', mode: 'relay', url: 'https://relay.example.com', channel: 'night', replay: true, state: 'connected', lastDeliveryAt: null, lastError: null, retryAt: null, gap: { after: '0-0', reason: 'retention', lostThrough: `${Date.UTC(2026, 10, 15, 2, 30, 0)}-0`, at: Date.UTC(2026, 10, 22, 3, 9, 0) } },
  ],
  strays: [{ source: 'prometheus', channel: 'ops', count: 3, lastAt: Date.UTC(2026, 10, 22, 3, 9, 0) }],
  broken: [
    { index: 2, id: 'Bad Id', code: 'wrongShape', params: { what: 'source list', field: '[0].id', detail: '[0].id: lower-case letters, digits and dashes' } },
    { index: 0, id: 'night', code: 'wrongShape', params: { what: 'relay', field: 'token', detail: 'token: at least 16 characters' } },
  ],
};

function setup() {
  const fake = fakeApi();
  const reveal = vi.fn(async () => ({ ok: true as const, value: { value: 'pd-signing-secret' } }));
  const save = vi.fn(async () => ({ ok: true as const, value: view }));
  const saveRelay = vi.fn(async () => ({ ok: true as const, value: view }));
  const removeRelay = vi.fn(async () => ({ ok: true as const, value: view }));
  window.oncall = { ...fake.api, listSources: async () => ({ ok: true, value: view }), revealSourceSecret: reveal, saveSource: save, saveRelay, removeRelay };
  const onError = vi.fn();
  render(
    <I18nextProvider i18n={setupI18n('en')}>
      <SourcesSettings listenerToken="listener-token-abc" onError={onError} />
    </I18nextProvider>,
  );
  return { reveal, save, saveRelay, removeRelay, onError };
}

describe('Settings → Alert sources', () => {
  it('lists each source with its state and error, the refused config entries, and a smee relay without replay', async () => {
    setup();
    await waitFor(() => expect(screen.getByTestId('source-state-pd').textContent).toBe('Failing: Signature in x-pagerduty-signature does not match the body'));
    expect(screen.getByTestId('source-state-alertmanager').textContent).toBe('Connected');
    // counted from 1, as a person counts the entries of the list
    expect(screen.getAllByTestId('source-broken').map((li) => li.textContent)).toEqual([expect.stringMatching(/^Entry 3 \(Bad Id\)/), expect.stringMatching(/^Entry 1 \(night\): Not a relay: token/)]);
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

  it('shows where each relay points, when it retries and why, and the events it had to drop for an unknown source', async () => {
    setup();
    const team = await screen.findByTestId('relay-team');
    expect(team.textContent).toContain('https://relay.example.com · channel ops');
    expect(team.textContent).toContain('Cannot reach the relay: connect ECONNREFUSED 10.0.0.7:443');
    expect(team.textContent).toMatch(/Reconnecting at \d\d:10:05/);
    expect(screen.getByTestId('relay-stray-prometheus').textContent).toMatch(/^3 events for source "prometheus" on channel ops were dropped .*Add a source with id "prometheus"/);
    // events the relay no longer had when the app came back: from when to when, and what to do
    // with dates: a gap spans days
    expect(screen.getByTestId('relay-gap-team').textContent).toMatch(/^Lost at the relay: events from Nov 1[45], \d\d:00:00 to Nov 1[56], \d\d:30:00 \(older than it keeps\)\. Check your alert sources/);
    expect(screen.queryByTestId('relay-gap-smee')).toBeNull();
    expect(screen.getByTestId('relay-gap-night').textContent).toMatch(/^Lost at the relay: events up to .*\d\d:30.* \(older than it keeps\)/);
  });

  it('adds a relay with its URL, channel and token, and a smee.io channel with its source; removes one, even one whose entry was refused', async () => {
    const { saveRelay, removeRelay } = setup();
    const form = await screen.findByRole('group', { name: 'Add or change a relay' });
    const type = (label: string | RegExp, value: string) => fireEvent.change(within(form).getByLabelText(label), { target: { value } });
    type('Id', 'night');
    type('Name', 'Night relay');
    type('URL', 'https://relay.example.com');
    type('Channel', 'ops');
    type('Subscriber token', 'subscriber-token-0123456789');
    fireEvent.click(within(form).getByRole('button', { name: 'Save relay' }));
    await waitFor(() => expect(saveRelay).toHaveBeenCalledWith({ relay: { id: 'night', name: 'Night relay', mode: 'relay', url: 'https://relay.example.com', channel: 'ops' }, token: 'subscriber-token-0123456789' }));
    // the form is emptied once main took it, so the token is not left on screen
    await waitFor(() => expect((within(form).getByLabelText('Id') as HTMLInputElement).value).toBe(''));
    fireEvent.change(within(form).getByLabelText('Kind'), { target: { value: 'smee' } });
    expect(within(form).getByText('No replay: events sent while you are offline are lost')).toBeTruthy();
    type('Id', 'sm');
    type('Name', 'smee');
    type('URL', 'https://smee.io/abc');
    type('Source id its events are for', 'alertmanager');
    fireEvent.click(within(form).getByRole('button', { name: 'Save relay' }));
    await waitFor(() => expect(saveRelay).toHaveBeenLastCalledWith({ relay: { id: 'sm', name: 'smee', mode: 'smee', url: 'https://smee.io/abc', source: 'alertmanager' } }));
    fireEvent.click(within(screen.getByTestId('relay-refused-night')).getByRole('button', { name: 'Remove night' }));
    await waitFor(() => expect(removeRelay).toHaveBeenCalledWith({ id: 'night' }));
    fireEvent.click(within(screen.getByTestId('relay-team')).getByRole('button', { name: 'Remove Team relay' }));
    await waitFor(() => expect(removeRelay).toHaveBeenLastCalledWith({ id: 'team' }));
  });
});
