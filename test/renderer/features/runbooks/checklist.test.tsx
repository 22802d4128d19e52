import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fireEvent, render, screen, within } from '@testing-library/react';
import { useState } from 'react';
import { I18nextProvider } from 'react-i18next';
import { describe, expect, it, vi } from 'vitest';
import { parseRunbook } from '../../../../src/core/runbooks/parse';
import { applyRunAction, startRun, type ChecklistRun, type RunAction } from '../../../../src/core/runbooks/run';
import { Checklist } from '../../../../src/renderer/features/runbooks/checklist';
import { formatDateTime } from '../../../../src/renderer/format';
import { setupI18n } from '../../../../src/renderer/i18n';

const FIX = path.resolve(__dirname, '../../../fixtures/runbooks');
const T0 = Date.parse('2026-03-02T10:00:00Z');
const MIN = 60_000;

/** The parent a real view would be: applies actions with the core reducer at the fake clock's time. */
function Harness({ initial, clock, onEvents }: { initial: ChecklistRun; clock: { now: number }; onEvents: (n: number) => void }) {
  const [run, setRun] = useState(initial);
  const act = (a: RunAction) => {
    const r = applyRunAction(run, a, clock.now);
    onEvents(r.events.length);
    setRun(r.run);
  };
  return <Checklist run={run} now={clock.now} by="ann" handlers={{ onOpenExternal: vi.fn(), onOpenRunbook: vi.fn(), onCopy: vi.fn() }} onAction={act} />;
}

function setup(rel: string) {
  const rb = parseRunbook(readFileSync(path.join(FIX, rel), 'utf8'), { path: rel });
  const clock = { now: T0 };
  const run = startRun(rb, { id: 'r', by: 'ann' }, T0).run;
  const onEvents = vi.fn();
  const view = render(
    <I18nextProvider i18n={setupI18n('en')}>
      <Harness initial={run} clock={clock} onEvents={onEvents} />
    </I18nextProvider>,
  );
  return { ...view, clock, onEvents };
}

const step = (name: RegExp) => screen.getByRole('listitem', { name });

describe('the checklist', () => {
  it('ticks three steps, each with its own timestamp, and shows progress', () => {
    const { clock } = setup('database/postgres-replication-lag.md');
    for (const [i, name] of [/^Check the lag/, /^Look for long-running/, /^Cancel the query/].entries()) {
      clock.now = T0 + (i + 1) * MIN;
      fireEvent.click(within(step(name)).getByRole('button', { name: 'Done' }));
    }
    expect(step(/^Check the lag/).dataset.status).toBe('done');
    const metas = [/^Check the lag/, /^Look for long-running/, /^Cancel the query/].map((n) => within(step(n)).getByText(/^Done/).parentElement!.textContent);
    expect(metas).toEqual([1, 2, 3].map((i) => `Done · done ${formatDateTime(T0 + i * MIN, 'en')}`));
    expect(screen.getByText('3 of 4 steps handled')).toBeTruthy();
  });

  it('asks for a reason before skipping, then shows it', () => {
    setup('database/postgres-replication-lag.md');
    const s = step(/^Cancel the query/);
    fireEvent.click(within(s).getByRole('button', { name: 'Skip' }));
    const confirm = within(s).getByRole('button', { name: 'Skip step' }) as HTMLButtonElement;
    expect(confirm.disabled).toBe(true);
    fireEvent.change(within(s).getByLabelText('Why skip this step?'), { target: { value: 'it is a migration' } });
    fireEvent.click(confirm);
    expect(s.dataset.status).toBe('skipped');
    expect(s.textContent).toContain('it is a migration');
  });

  it('adds a note with Enter and keeps nested sub-steps', () => {
    setup('shift/shift-start.md');
    const s = step(/^Send a test page/);
    fireEvent.click(within(s).getByRole('button', { name: 'Add note' }));
    const input = within(s).getByLabelText('Note');
    fireEvent.change(input, { target: { value: 'pager app got it in 4 s' } });
    fireEvent.keyDown(input, { key: 'Enter' });
    expect(s.textContent).toContain('ann: pager app got it in 4 s');
    expect(step(/^Test the paging paths/).querySelectorAll('.checklist-substeps > li')).toHaveLength(2);
  });

  it('shows elapsed time, and warns when the runbook file changed since the start', () => {
    const rb = parseRunbook('## Steps\n\n1. a\n2. b\n', { path: 'x.md' });
    const run = startRun(rb, { id: 'r', by: 'ann' }, T0).run;
    render(
      <I18nextProvider i18n={setupI18n('en')}>
        <Checklist run={run} now={T0 + 12 * MIN} by="ann" changed handlers={{ onOpenExternal: vi.fn(), onOpenRunbook: vi.fn(), onCopy: vi.fn() }} onAction={vi.fn()} />
      </I18nextProvider>,
    );
    expect(screen.getByRole('timer').textContent).toBe('Elapsed 12 min');
    expect(screen.getByRole('status').textContent).toMatch(/changed after this run started/);
  });
});
