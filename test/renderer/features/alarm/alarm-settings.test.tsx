import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { describe, expect, it, vi } from 'vitest';
import { defaultAlarmPolicy } from '../../../../src/core/alarms/policy';
import { AppError } from '../../../../src/core/errors';
import type { AlarmsView } from '../../../../src/core/ipc-contract';
import { AlarmSettings, type AlarmSettingsApi } from '../../../../src/renderer/features/alarm/alarm-settings';
import { setupI18n } from '../../../../src/renderer/i18n';

function setup() {
  let view: AlarmsView = {
    policy: defaultAlarmPolicy(),
    dnd: null,
    snoozes: [],
    selfTest: { failing: [], lastPassedAt: null, lastRunAt: null },
    selfTestLog: { runs: [] },
    playing: null,
    alert: null,
    error: null,
    desktop: { shortcut: null, startAtLogin: false, shortcutError: null },
  };
  const i18n = setupI18n('en');
  const api: AlarmSettingsApi & Record<string, ReturnType<typeof vi.fn>> = {
    getAlarms: vi.fn(async () => view),
    onAlarmsChanged: vi.fn(() => () => undefined),
    setAlarmPolicy: vi.fn(async ({ policy }) => (view = { ...view, policy: policy as AlarmsView['policy'] })),
    checkSoundFile: vi.fn(async ({ file }: { file: string }) => {
      throw new AppError('alarms.soundUnplayable', { file }, i18n.t('alarms.errors.soundUnplayable', { file, message: 'not a WAV, Ogg, FLAC or MP3 file' }));
    }),
    startSelfTest: vi.fn(async () => (view = { ...view, selfTestLog: { runs: [{ startedAt: 1, results: [] }] } })),
    recordSelfTest: vi.fn(async () => view),
    setDoNotDisturb: vi.fn(async ({ dnd }) => (view = { ...view, dnd })),
    setDesktop: vi.fn(async ({ shortcut }: { shortcut: string | null }) => {
      throw new AppError('alarms.badShortcut', { shortcut }, i18n.t('alarms.errors.badShortcut', { shortcut, message: 'two keys: A and B' }));
    }),
  } as never;
  render(
    <I18nextProvider i18n={i18n}>
      <AlarmSettings api={api} />
    </I18nextProvider>,
  );
  return api;
}

describe('alarm settings', () => {
  it('a broken custom sound file is named in Settings, and the policy is still saved (the built-in sound plays)', async () => {
    const api = setup();
    const file = await screen.findByRole('textbox', { name: 'P2 Sound file' });
    fireEvent.change(file, { target: { value: '/home/me/broken.ogg' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(api.setAlarmPolicy).toHaveBeenCalledTimes(1));
    expect(api.checkSoundFile).toHaveBeenCalledWith({ file: '/home/me/broken.ogg' });
    expect((await screen.findByRole('alert')).textContent).toBe('The sound file /home/me/broken.ogg cannot be played (not a WAV, Ogg, FLAC or MP3 file); the built-in sound plays instead');
  });

  it('an invalid shortcut gets a clear error next to it', async () => {
    const api = setup();
    fireEvent.change(await screen.findByRole('textbox', { name: 'Global shortcut: acknowledge the newest page' }), { target: { value: 'Ctrl+A+B' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save shortcut' }));
    expect((await screen.findByRole('alert')).textContent).toBe('The shortcut Ctrl+A+B is not valid: two keys: A and B');
    expect(api.setDesktop).toHaveBeenCalledWith({ shortcut: 'Ctrl+A+B', startAtLogin: false });
  });

  it('Do Not Disturb and the self-test go to main', async () => {
    const api = setup();
    fireEvent.click(await screen.findByRole('checkbox', { name: 'Do Not Disturb' }));
    await waitFor(() => expect(api.setDoNotDisturb).toHaveBeenCalledWith({ dnd: { until: null } }));
    fireEvent.click(screen.getByRole('button', { name: 'Run the self-test' }));
    await waitFor(() => expect(api.startSelfTest).toHaveBeenCalled());
    const seen = await screen.findByRole('group', { name: 'Test notification seen' });
    fireEvent.click(seen.querySelector('button')!);
    await waitFor(() => expect(api.recordSelfTest).toHaveBeenCalledWith({ check: 'notificationSeen', outcome: 'pass' }));
  });
});
