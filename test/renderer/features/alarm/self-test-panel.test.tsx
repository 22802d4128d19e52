import { fireEvent, render, screen, within } from '@testing-library/react';
import { useState } from 'react';
import { I18nextProvider } from 'react-i18next';
import { describe, expect, it } from 'vitest';
import { emptySelfTestLog, recordCheck, startSelfTest, type SelfTestLog } from '../../../../src/core/alarms/self-test';
import { SelfTestPanel, type ConfirmedCheck } from '../../../../src/renderer/features/alarm/self-test-panel';
import { formatDateTime } from '../../../../src/renderer/format';
import { setupI18n } from '../../../../src/renderer/i18n';

const T0 = Date.UTC(2026, 10, 23, 7, 30);

/** Plays main's part: Run records the automatic checks at once; answers are recorded at the clock's time. */
function Harness({ clock, initial }: { clock: { now: number }; initial: SelfTestLog }) {
  const [log, setLog] = useState(initial);
  const running = (log.runs.at(-1)?.results.length ?? 5) < 5;
  const onRun = () => {
    let next = startSelfTest(log, clock.now);
    next = recordCheck(next, { check: 'sources', outcome: 'pass', at: clock.now, reason: null });
    next = recordCheck(next, { check: 'relay', outcome: 'skipped', at: clock.now, reason: null });
    next = recordCheck(next, { check: 'notMuted', outcome: 'pass', at: clock.now, reason: null });
    setLog(next);
  };
  const onConfirm = (check: ConfirmedCheck, ok: boolean) =>
    setLog((l) => recordCheck(l, { check, outcome: ok ? 'pass' : 'fail', at: clock.now, reason: null }));
  return <SelfTestPanel log={log} running={running} onRun={onRun} onConfirm={onConfirm} />;
}

function setup(initial = emptySelfTestLog()) {
  const clock = { now: T0 };
  render(
    <I18nextProvider i18n={setupI18n('en')}>
      <Harness clock={clock} initial={initial} />
    </I18nextProvider>,
  );
  return clock;
}

const item = (name: string) => screen.getByRole('listitem', { name });

describe('the self-test panel', () => {
  it('runs, asks the user about the notification and the alarm, and logs each answer with its time', () => {
    const clock = setup();
    expect(screen.getByRole('status').textContent).toBe('The pager self-test has not been run');
    fireEvent.click(screen.getByRole('button', { name: 'Run the self-test' }));
    expect(item('Relay connected').textContent).toContain('Not applicable');
    clock.now = T0 + 20_000;
    fireEvent.click(within(item('Test notification seen')).getByRole('button', { name: 'Yes' }));
    clock.now = T0 + 40_000;
    fireEvent.click(within(item('Alarm heard')).getByRole('button', { name: 'Yes' }));
    expect(item('Alarm heard').dataset.outcome).toBe('pass');
    expect(item('Alarm heard').textContent).toContain(formatDateTime(T0 + 40_000, 'en'));
    expect(screen.getByRole('status').textContent).toBe(`Pager self-test passed at ${formatDateTime(T0, 'en')}`);
    expect(screen.queryByRole('button', { name: 'Yes' })).toBeNull();
  });

  it('a "no" fails the check, and the failure stays until a later run passes it', () => {
    const clock = setup();
    fireEvent.click(screen.getByRole('button', { name: 'Run the self-test' }));
    fireEvent.click(within(item('Test notification seen')).getByRole('button', { name: 'Yes' }));
    fireEvent.click(within(item('Alarm heard')).getByRole('button', { name: 'No' }));
    expect(screen.getByRole('status').textContent).toBe('Pager self-test failed: Alarm heard');
    expect(screen.getByRole('status').dataset.failing).toBe('true');
    clock.now = T0 + 3600_000;
    fireEvent.click(screen.getByRole('button', { name: 'Run the self-test' }));
    expect(screen.getByRole('status').textContent).toBe('Pager self-test failed: Alarm heard');
    fireEvent.click(within(item('Test notification seen')).getByRole('button', { name: 'Yes' }));
    fireEvent.click(within(item('Alarm heard')).getByRole('button', { name: 'Yes' }));
    expect(screen.getByRole('status').dataset.failing).toBe('false');
  });
});
