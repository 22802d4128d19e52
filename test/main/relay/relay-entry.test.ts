import { describe, expect, it } from 'vitest';
import { checkRelayEntry } from '../../../src/main/features/relay';

const TOKEN = 'subscriber-token-0123456789';

describe('a relay entry of config.json', () => {
  it('takes the team relay with its token from the secret store, and a smee.io channel without one', () => {
    const relay = checkRelayEntry({ id: 'team', name: 'Team relay', mode: 'relay', url: 'https://relay.example.com', channel: 'ops' }, TOKEN);
    expect(relay).toMatchObject({ ok: true, settings: { mode: 'relay', url: 'https://relay.example.com', channel: 'ops', token: TOKEN } });
    const smee = checkRelayEntry({ id: 'smee', name: 'smee', mode: 'smee', url: 'https://smee.io/AbC123', source: 'alertmanager' }, null);
    expect(smee).toMatchObject({ ok: true, settings: { mode: 'smee', source: 'alertmanager' } });
  });

  it('names what is wrong: a missing or short token, a URL that is not smee.io, an id that cannot prefix page ids', () => {
    const noToken = checkRelayEntry({ id: 'team', name: 'Team relay', mode: 'relay', url: 'https://relay.example.com', channel: 'ops' }, null);
    expect(noToken).toMatchObject({ ok: false, error: { code: 'wrongShape', params: { field: 'token', detail: 'token: at least 16 characters' } } });
    const notSmee = checkRelayEntry({ id: 'smee', name: 'smee', mode: 'smee', url: 'https://example.com/AbC123', source: 'alertmanager' }, null);
    expect(notSmee).toMatchObject({ ok: false, error: { params: { field: 'url' } } });
    const badId = checkRelayEntry({ id: 'Team Relay', name: 'x', mode: 'relay', url: 'https://relay.example.com', channel: 'ops' }, TOKEN);
    expect(badId).toMatchObject({ ok: false, error: { params: { field: 'id' } } });
    const unknownKey = checkRelayEntry({ id: 'team', name: 'x', mode: 'relay', url: 'https://relay.example.com', channel: 'ops', token: TOKEN }, TOKEN);
    // the token never sits in config.json: an entry carrying one is refused
    expect(unknownKey).toMatchObject({ ok: false });
  });
});
