import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultAlarmPolicy } from '../../../src/core/alarms/policy';
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
});
