import { fireEvent, render, screen, within } from '@testing-library/react';
import { useState } from 'react';
import { I18nextProvider } from 'react-i18next';
import { describe, expect, it, vi } from 'vitest';
import { applyIncidentAction, createIncident, createIncidentFromPages, type IncidentAction } from '../../../../src/core/incidents/incident';
import type { Incident } from '../../../../src/core/incidents/model';
import { defaultWorkingHours } from '../../../../src/core/incidents/targets';
import { buildTimeline } from '../../../../src/core/incidents/timeline';
import { acknowledge, applySignal } from '../../../../src/core/page';
import { IncidentView } from '../../../../src/renderer/features/incidents/incident-view';
import { IncidentsList } from '../../../../src/renderer/features/incidents/incidents-list';
import { setupI18n } from '../../../../src/renderer/i18n';

const T0 = Date.parse('2026-03-02T10:00:00Z');
const MIN = 60_000;
const hours = defaultWorkingHours('UTC');

function firstPage() {
  const received = applySignal(
    undefined,
    { id: 'p1', source: 'alertmanager', fingerprint: 'p1', groupKey: 'g', status: 'firing', title: 'KubePodCrashLooping', severity: 'P1', summary: '', instance: '', labels: {}, annotations: {}, startsAt: T0 - 2 * MIN, endsAt: null, generatorUrl: null, runbookUrl: null },
    T0,
  );
  const acked = acknowledge(received.page, T0 + MIN);
  return { page: acked.page, events: [...received.events, ...acked.events] };
}

/** The parent a real page would be: applies actions at the fake clock's time and rebuilds the timeline. */
function Harness({ start, clock }: { start: Incident; clock: { now: number } }) {
  const p = firstPage();
  const [incident, setIncident] = useState(start);
  const act = (a: IncidentAction) => setIncident((cur) => applyIncidentAction(cur, a, clock.now).incident);
  const timeline = buildTimeline(incident, { pages: [p.page], pageEvents: p.events, me: 'ann' });
  return <IncidentView incident={incident} timeline={timeline} runs={[]} now={clock.now} by="ann" workingHours={hours} onAction={act} />;
}

function setup() {
  const clock = { now: T0 + 2 * MIN };
  const start = createIncidentFromPages([firstPage().page], { id: 'inc', by: 'ann' }, clock.now).incident;
  render(
    <I18nextProvider i18n={setupI18n('en')}>
      <Harness start={start} clock={clock} />
    </I18nextProvider>,
  );
  return clock;
}

const lines = () => within(screen.getByRole('region', { name: 'Timeline' })).getAllByRole('listitem').map((li) => li.textContent);

describe('the incident page', () => {
  it('adds a note to the timeline with Enter', () => {
    const clock = setup();
    clock.now = T0 + 5 * MIN;
    const box = screen.getByLabelText('Note');
    fireEvent.change(box, { target: { value: 'restarted the pod' } });
    fireEvent.keyDown(box, { key: 'Enter' });
    expect((box as HTMLInputElement).value).toBe('');
    expect(lines().at(-1)).toMatch(/annNote: restarted the pod$/);
    expect(lines()[0]).toMatch(/alertmanagerPage received: KubePodCrashLooping$/);
  });

  it('posts the text as a status update, which moves the next update due', () => {
    const clock = setup();
    const due = () => screen.getByText(/Next status update due/).textContent;
    const before = due();
    clock.now = T0 + 20 * MIN;
    fireEvent.change(screen.getByLabelText('Note'), { target: { value: 'Rolled back, watching' } });
    fireEvent.click(screen.getByRole('button', { name: 'Post as status update' }));
    expect(lines().at(-1)).toMatch(/Rolled back, watching/);
    expect(due()).not.toBe(before);
  });

  it('resolving shows all four metrics', () => {
    const clock = setup();
    expect(screen.getByText('Time to resolve').nextSibling!.textContent).toBe('not yet');
    clock.now = T0 + 30 * MIN;
    fireEvent.change(screen.getByRole('combobox'), { target: { value: 'resolved' } });
    const metric = (m: string) => document.querySelector(`[data-metric="${m}"]`)!.textContent;
    expect([metric('timeToDetect'), metric('timeToAcknowledge'), metric('timeToMitigate'), metric('timeToResolve')]).toEqual(['2m', '1m', '32m', '32m']);
    expect(lines().at(-1)).toMatch(/Status Investigating → Resolved$/);
  });

  it('names roles', () => {
    setup();
    fireEvent.change(screen.getByLabelText('Direct Contributors'), { target: { value: 'cem' } });
    fireEvent.click(screen.getByRole('button', { name: 'Communications Manager' }));
    expect(screen.getByText('Communications Manager', { selector: 'dt' }).nextSibling!.textContent).toBe('cem');
    expect(lines().at(-1)).toMatch(/Communications Manager: cem$/);
  });

  it('warns when the response target was missed', () => {
    const late = createIncident({ id: 'i', by: 'ann', title: 'Late', severity: 'P1' }, T0).incident;
    render(
      <I18nextProvider i18n={setupI18n('en')}>
        <IncidentView incident={late} timeline={buildTimeline(late)} runs={[]} now={T0 + 20 * MIN} by="ann" workingHours={hours} onAction={vi.fn()} />
      </I18nextProvider>,
    );
    expect(screen.getByRole('alert').textContent).toContain('Response target missed');
  });

  it('opens a long timeline at its newest 300 lines and shows the rest on request', () => {
    let inc = createIncident({ id: 'big', by: 'ann', title: 'Big', severity: 'P2' }, T0).incident;
    for (let i = 0; i < 799; i++) inc = applyIncidentAction(inc, { type: 'note', by: 'ann', text: `n${i}` }, T0 + i * 1000).incident;
    render(
      <I18nextProvider i18n={setupI18n('en')}>
        <IncidentView incident={inc} timeline={buildTimeline(inc)} runs={[]} now={T0} by="ann" workingHours={hours} onAction={vi.fn()} />
      </I18nextProvider>,
    );
    // role queries walk the accessibility tree and are slow on 2,000 rows; CSS is enough here
    const rows = () => document.querySelectorAll('.incident-timeline li');
    expect(rows()).toHaveLength(300);
    expect(rows()[299]!.textContent).toMatch(/Note: n798$/);
    fireEvent.click(screen.getByRole('button', { name: 'Show 500 earlier events' }));
    expect(rows()).toHaveLength(800);
    expect(rows()[0]!.textContent).toMatch(/Incident opened \(P2\)$/);
  });

  it('lists open incidents before resolved ones', () => {
    const onOpen = vi.fn();
    const a = applyIncidentAction(createIncident({ id: 'a', by: 'x', title: 'Old one', severity: 'P1' }, T0).incident, { type: 'setStatus', by: 'x', status: 'resolved' }, T0 + MIN).incident;
    const b = createIncident({ id: 'b', by: 'x', title: 'Open one', severity: 'P3' }, T0).incident;
    render(
      <I18nextProvider i18n={setupI18n('en')}>
        <IncidentsList incidents={[a, b]} onOpen={onOpen} />
      </I18nextProvider>,
    );
    const buttons = screen.getAllByRole('button');
    expect(buttons.map((x) => x.textContent)).toEqual(['P3 Open one', 'P1 Old one']);
    fireEvent.click(buttons[0]!);
    expect(onOpen).toHaveBeenCalledWith('b');
  });
});
