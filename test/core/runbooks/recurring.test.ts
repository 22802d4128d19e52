import { describe, expect, it } from 'vitest';
import { createI18n } from '../../../src/core/i18n';
import { checklistAsRunbook, defaultRecurringChecklists, dueBetween, nextDue, validateTrigger, type RecurringChecklist } from '../../../src/core/runbooks/recurring';
import { startRun } from '../../../src/core/runbooks/run';

const t = createI18n('en').t.bind(createI18n('en'));
const iso = (ms: number) => new Date(ms).toISOString();

describe('recurring checklists', () => {
  const lists = defaultRecurringChecklists((k) => t(k), 'Europe/Berlin');

  it('brings the seed handbook tasks in English and German', () => {
    expect(lists.map((l) => l.id)).toEqual(['daily', 'weekly', 'monthly', 'quarterly', 'shiftStart']);
    expect(lists[3]!.items).toContain('Penetration test');
    const de = createI18n('de');
    const deLists = defaultRecurringChecklists((k) => de.t(k), 'Europe/Berlin');
    expect(deLists[0]!.items).toContain('Backup-Verifizierung (automatisiert)');
    expect(deLists[4]!.items).toEqual(['Offene Incidents und bekannte Problemzonen durchgehen', 'Aufrufwege testen (Chat, Telefon, Pager)', 'Zugänge prüfen (VPN, 2FA)']);
  });

  it('daily at 09:00 Berlin stays at 09:00 local across the DST change', () => {
    const daily = lists.filter((l) => l.id === 'daily');
    const due = dueBetween(daily, Date.parse('2026-03-27T00:00:00Z'), Date.parse('2026-03-31T00:00:00Z'));
    expect(due.map((d) => iso(d.dueAt))).toEqual(['2026-03-27T08:00:00.000Z', '2026-03-28T08:00:00.000Z', '2026-03-29T07:00:00.000Z', '2026-03-30T07:00:00.000Z']);
  });

  it('weekly on Mondays, monthly on the first working day, quarterly every three months', () => {
    const from = Date.parse('2026-01-01T00:00:00Z');
    const to = Date.parse('2026-12-31T23:00:00Z');
    const weekly = dueBetween(lists.filter((l) => l.id === 'weekly'), from, to);
    expect(weekly).toHaveLength(52);
    expect(weekly.every((d) => new Date(d.dueAt).getUTCDay() === 1)).toBe(true);
    const monthly = dueBetween(lists.filter((l) => l.id === 'monthly'), from, to).map((d) => iso(d.dueAt).slice(0, 10));
    expect(monthly.slice(0, 4)).toEqual(['2026-01-01', '2026-02-02', '2026-03-02', '2026-04-01']);
    const quarterly = dueBetween(lists.filter((l) => l.id === 'quarterly'), from, to).map((d) => iso(d.dueAt).slice(0, 7));
    expect(quarterly).toEqual(['2026-01', '2026-04', '2026-07', '2026-10']);
  });

  it('is half-open so consecutive ticks never remind twice or miss one', () => {
    const from = Date.parse('2026-05-01T00:00:00Z');
    const all = dueBetween(lists, from, from + 40 * 86_400_000, [from + 3 * 86_400_000]);
    const ticked = [];
    for (let t0 = from; t0 < from + 40 * 86_400_000; t0 += 3_600_000 * 7) ticked.push(...dueBetween(lists, t0, Math.min(t0 + 3_600_000 * 7, from + 40 * 86_400_000), [from + 3 * 86_400_000]));
    expect(ticked).toEqual(all);
  });

  it('the shift-start checklist comes due 15 minutes before each of my shifts', () => {
    const shift = Date.parse('2026-05-04T07:00:00Z');
    const due = dueBetween(lists.filter((l) => l.id === 'shiftStart'), shift - 3_600_000, shift, [shift, shift + 7 * 86_400_000]);
    expect(due).toEqual([{ checklistId: 'shiftStart', title: 'Shift start', dueAt: shift - 15 * 60_000 }]);
    expect(nextDue(lists.filter((l) => l.id === 'shiftStart'), shift, [shift, shift + 86_400_000])).toBe(shift + 86_400_000 - 15 * 60_000);
  });

  it('refuses bad rules when saved', () => {
    const base = { kind: 'rrule', rule: 'FREQ=DAILY', start: '2026-01-01', time: '09:00', timeZone: 'UTC' } as const;
    expect(() => validateTrigger({ ...base, rule: 'FREQ=MINUTELY' })).toThrow(/recurrenceInvalid/);
    expect(() => validateTrigger({ ...base, rule: 'NOPE' })).toThrow(/recurrenceInvalid/);
    expect(() => validateTrigger({ ...base, time: '25:00' })).toThrow(/time/);
    expect(() => validateTrigger({ ...base, timeZone: 'Mars/Olympus' })).toThrow(/timeZone/);
    expect(() => validateTrigger({ kind: 'shiftStart', leadMinutes: -1 })).toThrow(/leadMinutes/);
    expect(() => validateTrigger(base)).not.toThrow();
  });

  it('runs like any runbook, every item a task step', () => {
    const c: RecurringChecklist = lists[4]!;
    const rb = checklistAsRunbook(c);
    const { run } = startRun(rb, { id: 'shift-1', by: 'ann' }, 0);
    expect(run.steps.map((s) => s.text)).toEqual(c.items);
    expect(checklistAsRunbook({ ...c, items: [...c.items, 'new'] }).version).not.toBe(rb.version);
  });
});
