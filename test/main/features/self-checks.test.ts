import { describe, expect, it } from 'vitest';
import { checkNotMuted, checkRelay, checkSources } from '../../../src/main/features/self-checks';

describe('the self-test checks the app makes itself', () => {
  it('muted output fails where it can be detected; an unknown platform or a failing probe is skipped', async () => {
    const answer = (out: string) => async () => out;
    expect(await checkNotMuted('linux', answer('Mute: yes\n'))).toEqual({ check: 'notMuted', outcome: 'fail', reason: { code: 'alarms.systemMuted', params: {} } });
    expect(await checkNotMuted('linux', answer('Mute: no\n'))).toMatchObject({ outcome: 'pass' });
    expect(await checkNotMuted('darwin', answer('true\n'))).toMatchObject({ outcome: 'fail' });
    expect(await checkNotMuted('darwin', answer('false\n'))).toMatchObject({ outcome: 'pass' });
    expect(await checkNotMuted('win32', answer(''))).toMatchObject({ outcome: 'skipped' });
    expect(await checkNotMuted('linux', async () => Promise.reject(new Error('pactl: not found')))).toMatchObject({ outcome: 'skipped' });
    expect(await checkNotMuted('linux', answer('Connection failure'))).toMatchObject({ outcome: 'skipped' });
  });

  it('sources fail while the listener is down or a route is being refused, and pass otherwise', () => {
    const route = { path: '/hooks/alertmanager', label: 'Alertmanager', lastDeliveredAt: 1, refusal: null };
    expect(checkSources('cannot listen', [route])).toMatchObject({ outcome: 'fail', reason: { code: 'listenerDown' } });
    expect(checkSources(null, [{ ...route, refusal: { count: 2, since: 1, lastAt: 2, lastStatus: 401, lastReason: 'bad token' } }])).toEqual({
      check: 'sources',
      outcome: 'fail',
      reason: { code: 'alarms.sourceRefused', params: { source: 'Alertmanager', status: 401 } },
    });
    expect(checkSources(null, [route])).toEqual({ check: 'sources', outcome: 'pass', reason: null });
  });

  it('a failing enabled source fails the check by name; a disabled one does not count', () => {
    const sources = [
      { name: 'PagerDuty', enabled: false, state: 'failing' },
      { name: 'Grafana', enabled: true, state: 'connected' },
    ];
    expect(checkSources(null, [], sources)).toMatchObject({ outcome: 'pass' });
    expect(checkSources(null, [], [...sources, { name: 'Opsgenie', enabled: true, state: 'failing' }])).toEqual({
      check: 'sources',
      outcome: 'fail',
      reason: { code: 'alarms.sourceFailing', params: { source: 'Opsgenie' } },
    });
  });

  it('the relay check is skipped without relays, fails while one is not connected, passes when all are', () => {
    expect(checkRelay([])).toEqual({ check: 'relay', outcome: 'skipped', reason: null });
    expect(checkRelay([{ name: 'home', state: 'connected' }, { name: 'smee', state: 'waiting' }])).toEqual({
      check: 'relay',
      outcome: 'fail',
      reason: { code: 'alarms.relayDown', params: { relay: 'smee', state: 'waiting' } },
    });
    expect(checkRelay([{ name: 'home', state: 'connected' }])).toMatchObject({ outcome: 'pass' });
  });
});
