import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultAlarmPolicy } from '../../../src/core/alarms/policy';
import { firingWebhook } from '../../helpers/fixtures';
import { startHarness, type Harness } from '../../helpers/main-harness';

let h: Harness | null = null;
let dir: string;
afterEach(async () => {
  await h?.stop();
  h = null;
  rmSync(dir, { recursive: true, force: true });
});

describe('alarm operations through the IPC router', () => {
  it('a custom sound is checked and read only if the policy names it; a broken one is a clear error', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'occ-sounds-'));
    const good = path.join(dir, 'siren.wav');
    const broken = path.join(dir, 'broken.wav');
    writeFileSync(good, readFileSync(path.resolve('assets/sounds/chime.wav')));
    writeFileSync(broken, 'this is not audio');
    h = await startHarness();
    const call = (channel: string, payload?: unknown) => h!.services.router.handle(channel, payload, 'app://test/');
    expect(await call('alarms:read-sound', { file: good })).toMatchObject({ ok: false, error: { code: 'alarms.soundUnplayable' } });
    const policy = defaultAlarmPolicy();
    policy.severities.P2.soundFile = good;
    policy.severities.P3.soundFile = broken;
    expect(await call('alarms:set-policy', { policy })).toMatchObject({ ok: true });
    const read = await call('alarms:read-sound', { file: good });
    expect(read.ok && Buffer.from((read.value as { data: string }).data, 'base64').equals(readFileSync(good))).toBe(true);
    expect(await call('alarms:read-sound', { file: broken })).toMatchObject({ ok: false, error: { code: 'alarms.soundUnplayable', params: { message: 'not a WAV, Ogg, FLAC or MP3 file' } } });
    expect(await call('alarms:check-sound', { file: good })).toEqual({ ok: true, value: { format: 'wav' } });
    expect(await call('alarms:check-sound', { file: path.join(dir, 'missing.wav') })).toMatchObject({ ok: false, error: { code: 'alarms.soundUnplayable' } });
    // the policy landed in config.json under `alarms`
    expect(JSON.parse(readFileSync(path.join(h.dataDir, 'config.json'), 'utf8')).alarms.severities.P2.soundFile).toBe(good);
  });

  it('Open from the alert window navigates the main window; the language is checked against the catalogs', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'occ-open-'));
    h = await startHarness();
    const call = (channel: string, payload?: unknown) => h!.services.router.handle(channel, payload, 'app://test/');
    expect(await call('app:open', { route: '#/pages/db' })).toEqual({ ok: true, value: undefined });
    expect(h.rec.events).toContainEqual({ channel: 'app:navigate', payload: { route: '#/pages/db' } });
    expect(await call('settings:set-language', { language: 'de' })).toEqual({ ok: true, value: undefined });
    expect(await call('settings:set-language', { language: 'fr' })).toMatchObject({ ok: false, error: { code: 'languageUnknown', params: { language: 'fr', languages: 'en, de' } } });
  });

  it('quiet hours that follow the rota: off call a P2 page is listed but silent, on call it notifies', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'occ-quiet-'));
    h = await startHarness();
    const call = (channel: string, payload?: unknown) => h!.services.router.handle(channel, payload, 'app://test/');
    const policy = defaultAlarmPolicy();
    policy.quietHours = { mode: 'rota', start: '22:00', end: '07:00' };
    expect(await call('alarms:set-policy', { policy })).toMatchObject({ ok: true });
    const today = new Date().toISOString().slice(0, 10);
    const schedule = {
      id: 'platform',
      name: 'Platform',
      timeZone: 'UTC',
      layers: [{ id: 'l', name: '', participants: ['alice'], rotation: 'FREQ=DAILY', start: today, handoff: '00:00', restrictions: [] }],
      overrides: [],
      fixedShifts: [],
    };
    const sync = (me: string) => call('rota:sync', { sources: [], schedules: [schedule], me, timeZone: 'UTC', language: 'en', reminderLeadMinutes: 15 });
    const p2 = (name: string) => h!.post(JSON.stringify({ ...firingWebhook(1, { prefix: name, severity: 'error', startsAt: new Date().toISOString() }), groupKey: `{}:{alertname="${name}"}` }));

    expect(await sync('bob')).toMatchObject({ ok: true });
    expect((await p2('OffCallPage')).status).toBe(200);
    expect(h.services.pages.livePages().some((p) => p.title === 'OffCallPage0')).toBe(true);
    expect(h.rec.notifications.filter((n) => n.title.startsWith('OffCallPage'))).toEqual([]);
    expect(h.rec.events.some((e) => e.channel === 'alarm:sound')).toBe(false);

    expect(await sync('alice')).toMatchObject({ ok: true });
    // on call now: what quiet held back sounds at once, and a new page notifies
    expect(h.rec.events).toContainEqual({ channel: 'alarm:sound', payload: expect.objectContaining({ command: 'play', severity: 'P2' }) });
    expect((await p2('OnCallPage')).status).toBe(200);
    expect(h.rec.notifications.filter((n) => n.title.startsWith('OnCallPage'))).toHaveLength(1);
  });
});
