import { fireEvent, render, screen, within } from '@testing-library/react';
import { useState } from 'react';
import { I18nextProvider } from 'react-i18next';
import { describe, expect, it, vi } from 'vitest';
import { createI18n } from '../../../../src/core/i18n';
import { applyIncidentAction, createIncident } from '../../../../src/core/incidents/incident';
import { buildTimeline } from '../../../../src/core/incidents/timeline';
import { editPostmortem, prefillPostmortem, type Postmortem } from '../../../../src/core/reports/postmortem';
import { PostmortemEditor } from '../../../../src/renderer/features/reports/postmortem-editor';
import { setupI18n } from '../../../../src/renderer/i18n';

const T0 = Date.parse('2026-03-02T10:00:00Z');

function draft(): Postmortem {
  let inc = createIncident({ id: 'inc', by: 'ann', title: 'Checkout down', severity: 'P1' }, T0).incident;
  inc = applyIncidentAction(inc, { type: 'setStatus', by: 'ann', status: 'resolved' }, T0 + 600_000).incident;
  const i18n = createI18n('en');
  return prefillPostmortem({ id: 'pm', incident: inc, timeline: buildTimeline(inc), runs: [], authors: ['ann'], timeZone: 'UTC', t: (k, p) => i18n.t(k, p as Record<string, unknown>) }, T0 + 3_600_000);
}

/** The parent a real view would be: applies edits with the core function and keeps the result. */
function Harness({ onSaved, onExport }: { onSaved: (pm: Postmortem) => void; onExport: (f: string) => void }) {
  const [pm, setPm] = useState(draft);
  return (
    <PostmortemEditor
      value={pm}
      onEdit={(edit) => {
        const next = editPostmortem(pm, edit, T0 + 7_200_000);
        setPm(next);
        onSaved(next);
      }}
      onExport={onExport}
      onCopyMarkdown={() => onExport('clipboard')}
      savedAt={pm.updatedAt}
    />
  );
}

describe('the postmortem editor', () => {
  it('edits prose, status and action items, each edit stamped for autosave', () => {
    const onSaved = vi.fn();
    render(
      <I18nextProvider i18n={setupI18n('en')}>
        <Harness onSaved={onSaved} onExport={vi.fn()} />
      </I18nextProvider>,
    );
    fireEvent.change(screen.getByLabelText('Root cause'), { target: { value: 'A flag shipped everywhere.' } });
    fireEvent.change(screen.getByLabelText('Status'), { target: { value: 'inReview' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add action item' }));
    const item = screen.getByRole('group', { name: 'Action items 1' });
    fireEvent.change(within(item).getByLabelText('Item'), { target: { value: 'Stage flags per region' } });
    fireEvent.change(within(item).getByLabelText('Due'), { target: { value: '2026-03-16' } });
    const saved: Postmortem = onSaved.mock.lastCall![0];
    expect(saved.rootCause).toBe('A flag shipped everywhere.');
    expect(saved.status).toBe('inReview');
    expect(saved.actionItems).toEqual([{ item: 'Stage flags per region', type: 'prevent', owner: 'ann', due: '2026-03-16', ticket: null }]);
    expect(saved.updatedAt).toBe(T0 + 7_200_000);
    fireEvent.click(within(item).getByRole('button', { name: 'Remove “Stage flags per region”' }));
    expect(onSaved.mock.lastCall![0].actionItems).toEqual([]);
  });

  it('shows the timeline markers and metrics read-only, and offers every export', () => {
    const onExport = vi.fn();
    render(
      <I18nextProvider i18n={setupI18n('en')}>
        <Harness onSaved={vi.fn()} onExport={onExport} />
      </I18nextProvider>,
    );
    const timeline = screen.getByRole('region', { name: 'Timeline' });
    const markers = [...timeline.querySelectorAll('li.marker')].map((li) => li.textContent);
    expect(markers).toHaveLength(3);
    expect(markers[0]).toMatch(/OUTAGE BEGINS$/);
    expect(markers[1]).toMatch(/MITIGATED$/);
    expect(markers[2]).toMatch(/ENDS$/);
    expect(screen.getByText('Time to resolve').nextSibling!.textContent).toBe('10m 00s');
    for (const name of ['Copy as Markdown', 'Save Markdown…', 'Save HTML…', 'Save PDF…', 'Save JSON…']) fireEvent.click(screen.getByRole('button', { name }));
    expect(onExport.mock.calls.map((c) => c[0])).toEqual(['clipboard', 'markdown', 'html', 'pdf', 'json']);
  });
});

describe('editing a postmortem in core', () => {
  it('refuses an invalid edit and leaves the draft as it was', () => {
    const pm = draft();
    expect(() => editPostmortem(pm, { title: '' }, T0)).toThrow(/title/);
    expect(() => editPostmortem(pm, { reviewDueBy: 'next week' }, T0)).toThrow(/reviewDueBy/);
    expect(pm.title).toBe('Checkout down');
  });
});
