import { fireEvent, render, screen, within } from '@testing-library/react';
import { useState } from 'react';
import { I18nextProvider } from 'react-i18next';
import { describe, expect, it, vi } from 'vitest';
import { createIncident } from '../../../../src/core/incidents/incident';
import { defaultWorkingHours } from '../../../../src/core/incidents/targets';
import { applySignal } from '../../../../src/core/page';
import { acknowledgeHandover, buildHandover, editHandover, type Handover } from '../../../../src/core/reports/handover';
import { HandoverView } from '../../../../src/renderer/features/reports/handover-view';
import { setupI18n } from '../../../../src/renderer/i18n';

const START = Date.parse('2026-03-02T08:00:00Z');
const END = START + 12 * 3_600_000;

function handover(): Handover {
  const pages = ['a', 'b', 'c'].map(
    (id, i) =>
      applySignal(
        undefined,
        { id, source: 'alertmanager', fingerprint: id, groupKey: 'g', status: 'firing', title: i === 2 ? 'ApiDown' : 'DiskFull', severity: i === 2 ? 'P1' : 'P3', summary: '', instance: '', labels: { alertname: i === 2 ? 'ApiDown' : 'DiskFull' }, annotations: {}, startsAt: START + i * 3_600_000, endsAt: null, generatorUrl: null, runbookUrl: null },
        START + i * 3_600_000,
      ).page,
  );
  const open = createIncident({ id: 'i', by: 'ann', title: 'API down', severity: 'P1' }, START + 2 * 3_600_000).incident;
  return buildHandover({ window: { start: START, end: END, timeZone: 'UTC' }, outgoing: 'ann', incoming: 'ben', pages, incidents: [open], runs: [], workingHours: defaultWorkingHours('UTC') }, END);
}

function Harness({ onChange, onCopy }: { onChange: (h: Handover) => void; onCopy: () => void }) {
  const [h, setH] = useState(handover);
  const update = (next: Handover) => {
    setH(next);
    onChange(next);
  };
  return <HandoverView value={h} onEdit={(e) => update(editHandover(h, e))} onCopyForChat={onCopy} onExport={vi.fn()} onAcknowledge={() => update(acknowledgeHandover(h, h.incoming, END + 60_000))} />;
}

describe('the handover view', () => {
  it('shows three pages and one open incident, takes notes and watch items, and is acknowledged', () => {
    const onChange = vi.fn();
    const onCopy = vi.fn();
    render(
      <I18nextProvider i18n={setupI18n('en')}>
        <Harness onChange={onChange} onCopy={onCopy} />
      </I18nextProvider>,
    );
    const pages = screen.getByRole('region', { name: 'Pages received' });
    expect(within(pages).getAllByRole('row').map((r) => r.textContent)).toEqual(['SeverityThis shiftPrevious shift', 'P110', 'P200', 'P320', 'P400', 'Total30']);
    expect(within(screen.getByRole('region', { name: 'Open incidents' })).getByText('API down')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Notes'), { target: { value: 'Vendor ticket open' } });
    const watch = screen.getByLabelText('Watch items');
    fireEvent.change(watch, { target: { value: 'db-2 disk\n\n  queue lag  ' } });
    fireEvent.blur(watch);
    expect(onChange.mock.lastCall![0]).toMatchObject({ notes: 'Vendor ticket open', watchItems: ['db-2 disk', 'queue lag'] });
    fireEvent.click(screen.getByRole('button', { name: 'Handover acknowledged by ben' }));
    expect(screen.getByText('Acknowledged by ben at 2026-03-02 20:01:00 UTC+00:00')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Copy for chat' }));
    expect(onCopy).toHaveBeenCalledOnce();
  });
});
