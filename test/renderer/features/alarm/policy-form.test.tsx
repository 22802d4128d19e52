import { fireEvent, render, screen } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { describe, expect, it, vi } from 'vitest';
import { alarmPolicySchema, defaultAlarmPolicy } from '../../../../src/core/alarms/policy';
import { PolicyForm } from '../../../../src/renderer/features/alarm/policy-form';
import { setupI18n } from '../../../../src/renderer/i18n';

function setup(value = defaultAlarmPolicy(), problems = [] as { code: string; params: Record<string, string> }[]) {
  const onSave = vi.fn();
  render(
    <I18nextProvider i18n={setupI18n('en')}>
      <PolicyForm value={value} onSave={onSave} problems={problems} />
    </I18nextProvider>,
  );
  return onSave;
}
const input = (name: string) => screen.getByRole('textbox', { name });

describe('the notification policy form', () => {
  it('shows the defaults and saves a changed P2 repeat, P3 alarm and quiet hours as a valid policy', () => {
    const onSave = setup();
    expect((screen.getByRole('checkbox', { name: 'P4 Notification' }) as HTMLInputElement).checked).toBe(false);
    expect((screen.getByRole('combobox', { name: 'P1 Sound' }) as HTMLSelectElement).value).toBe('untilAcknowledged');
    expect(input('P1 Escalate after (min)')).toHaveProperty('value', '15');
    fireEvent.change(input('P2 Repeat (min)'), { target: { value: '10' } });
    fireEvent.change(screen.getByRole('combobox', { name: 'P3 Sound' }), { target: { value: 'untilAcknowledged' } });
    fireEvent.click(screen.getByRole('checkbox', { name: 'P3 Breaks through quiet hours' }));
    fireEvent.change(input('P2 Escalate after (min)'), { target: { value: '' } });
    fireEvent.change(screen.getByRole('combobox', { name: 'Quiet hours mode' }), { target: { value: 'schedule' } });
    fireEvent.change(input('Quiet from'), { target: { value: '23:30' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(onSave).toHaveBeenCalledTimes(1);
    const saved = onSave.mock.calls[0]![0];
    expect(alarmPolicySchema.parse(saved)).toEqual(saved);
    expect(saved.severities.P2).toMatchObject({ repeatMinutes: 10, responseTargetMinutes: null });
    expect(saved.severities.P3).toMatchObject({ sound: 'untilAcknowledged', breakThrough: true });
    expect(saved.quietHours).toEqual({ mode: 'schedule', start: '23:30', end: '07:00' });
  });

  it('bad input is refused with a message naming the field, and nothing is saved', () => {
    const onSave = setup();
    fireEvent.change(input('P2 Repeat (min)'), { target: { value: 'often' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(onSave).not.toHaveBeenCalled();
    expect(screen.getByRole('alert').textContent).toMatch(/^The notification policy is not valid at severities\.P2\.repeatMinutes: /);
    fireEvent.change(input('P2 Repeat (min)'), { target: { value: '5' } });
    fireEvent.change(screen.getByRole('combobox', { name: 'Quiet hours mode' }), { target: { value: 'schedule' } });
    fireEvent.change(input('Quiet until'), { target: { value: '7am' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(screen.getByRole('alert').textContent).toBe('The notification policy is not valid at quietHours.end: expected a time as HH:MM');
  });

  it("shows main's problems with the policy, and the escalation levels with their commands", () => {
    const policy = alarmPolicySchema.parse({ escalation: { levels: [{}, { run: [{ kind: 'command', program: 'call-me', args: ['--now'] }] }] } });
    setup(policy, [{ code: 'alarms.soundUnplayable', params: { file: '/home/me/siren.wav', message: 'not a WAV, Ogg, FLAC or MP3 file' } }]);
    expect(screen.getByRole('alert').textContent).toBe(
      'The sound file /home/me/siren.wav cannot be played (not a WAV, Ogg, FLAC or MP3 file); the built-in sound plays instead',
    );
    expect(screen.getAllByRole('listitem').map((li) => li.textContent)).toEqual(['Escalation level 1: notify and sound again', 'Escalation level 2: call-me --now']);
  });
});
