import { act, fireEvent, render, screen } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AlertWindow, ENTER_QUIET_MS, type AlertWindowProps } from '../../../../src/renderer/features/alarm/alert-window';
import { setupI18n } from '../../../../src/renderer/i18n';

function setup(over: Partial<AlertWindowProps> = {}, lang = 'en') {
  const props: AlertWindowProps = {
    severity: 'P1',
    title: 'KubePodCrashLooping',
    summary: 'api-7f9 restarts every 30 s',
    count: 3,
    onAcknowledge: vi.fn(),
    onOpen: vi.fn(),
    ...over,
  };
  const i18n = setupI18n(lang);
  const view = render(
    <I18nextProvider i18n={i18n}>
      <AlertWindow {...props} />
    </I18nextProvider>,
  );
  const rerender = (next: Partial<AlertWindowProps>) =>
    view.rerender(
      <I18nextProvider i18n={i18n}>
        <AlertWindow {...props} {...next} />
      </I18nextProvider>,
    );
  return { props, rerender };
}

describe('the alert window', () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] }));
  afterEach(() => vi.useRealTimers());
  const wait = (ms: number) => act(() => vi.advanceTimersByTime(ms));
  /** The keyboard stays still long enough for Enter to count. */
  const pause = () => wait(ENTER_QUIET_MS);

  it('shows severity, title, summary and how many pages wait, with big Acknowledge and Open buttons', () => {
    setup();
    const dialog = screen.getByRole('alertdialog', { name: 'Page alert' });
    expect(dialog).toHaveProperty('className', 'alert-window alert-p1');
    expect(screen.getByRole('heading', { name: 'KubePodCrashLooping' })).toBeTruthy();
    expect(screen.getByText('P1')).toBeTruthy();
    expect(screen.getByText('3 pages waiting')).toBeTruthy();
    expect(screen.getByText('api-7f9 restarts every 30 s')).toBeTruthy();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Acknowledge' }));
  });

  it('Enter acknowledges once, wherever focus is; Open opens', () => {
    const { props } = setup();
    fireEvent.click(screen.getByRole('button', { name: 'Open' }));
    expect(props.onOpen).toHaveBeenCalledTimes(1);
    screen.getByRole('button', { name: 'Open' }).focus();
    pause();
    fireEvent.keyDown(document.activeElement!, { key: 'Enter' });
    fireEvent.keyDown(document.activeElement!, { key: 'Enter' });
    expect(props.onAcknowledge).toHaveBeenCalledTimes(1);
    expect(props.onOpen).toHaveBeenCalledTimes(1);
    expect((screen.getByRole('button', { name: 'Acknowledge' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('a new page arms Acknowledge again', () => {
    const { props, rerender } = setup();
    fireEvent.click(screen.getByRole('button', { name: 'Acknowledge' }));
    rerender({ title: 'NodeDown', count: 1 });
    expect(screen.getByText('1 page waiting')).toBeTruthy();
    pause();
    fireEvent.keyDown(document.body, { key: 'Enter' });
    expect(props.onAcknowledge).toHaveBeenCalledTimes(2);
  });

  it('an Enter that ends someone\'s typing does not acknowledge; once the keyboard is still, Enter does', () => {
    const { props } = setup();
    // the alert appeared mid-sentence: "def" and Enter were meant for the text field
    for (const key of ['d', 'e', 'f', 'Enter']) {
      wait(120);
      fireEvent.keyDown(document.body, { key });
    }
    expect(props.onAcknowledge).not.toHaveBeenCalled();
    wait(ENTER_QUIET_MS - 200);
    expect(screen.getByRole('alertdialog').dataset['enterArmed']).toBe('false');
    fireEvent.keyDown(document.body, { key: 'Enter' });
    expect(props.onAcknowledge).not.toHaveBeenCalled();
    wait(200);
    expect(screen.getByRole('alertdialog').dataset['enterArmed']).toBe('true');
    fireEvent.keyDown(document.body, { key: 'Enter' });
    expect(props.onAcknowledge).toHaveBeenCalledTimes(1);
  });

  it('other keys do nothing; snooze offers 15, 30 and 60 minutes when given', () => {
    const onSnooze = vi.fn();
    const { props } = setup({ onSnooze });
    fireEvent.keyDown(document.body, { key: ' ' });
    fireEvent.keyDown(document.body, { key: 'Escape' });
    expect(props.onAcknowledge).not.toHaveBeenCalled();
    fireEvent.click(screen.getByRole('button', { name: '30 min' }));
    expect(onSnooze).toHaveBeenCalledWith(30);
    expect(screen.getAllByRole('button', { name: /min$/ }).map((b) => b.textContent)).toEqual(['15 min', '30 min', '60 min']);
  });

  it('speaks German', () => {
    setup({ count: 1 }, 'de');
    expect(screen.getByRole('button', { name: 'Bestätigen' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Öffnen' })).toBeTruthy();
    expect(screen.getByText('1 Page wartet')).toBeTruthy();
  });
});
