import { describe, expect, it } from 'vitest';
import { createIncident } from '../../../../src/core/incidents/incident';
import { OnCallDb } from '../../../../src/renderer/db/database';
import { storeDelivery } from '../../../../src/renderer/db/pages-repo';
import { saveAppSchedule, setPref } from '../../../../src/renderer/db/rota-repo';
import { alarmFacts, collectHandover } from '../../../../src/renderer/features/reports/handover-page';
import { delivery, signal } from '../../../helpers/fixtures';

const H = 3_600_000;
const NOW = Date.parse('2026-03-17T12:00:00Z'); // Tuesday

describe('collecting the shift handover', () => {
  it('without a rota it covers the last 12 hours: pages against the 12 hours before, open incidents', async () => {
    const db = new OnCallDb(`handover-${Math.random()}`);
    const at = [NOW - 1 * H, NOW - 2 * H, NOW - 3 * H, NOW - 13 * H];
    for (const [i, t] of at.entries()) await storeDelivery(db, delivery({ id: `d${i}`, receivedAt: t, signals: [signal({ id: `p${i}`, groupKey: `g${i}`, title: `Alert${i}` })] }), t);
    await db.incidents.put(createIncident({ id: 'i1', by: 'ann', title: 'Checkout slow', severity: 'P2' }, NOW - H).incident);
    const h = await collectHandover(db, NOW, 'UTC');
    expect(h.window).toEqual({ start: NOW - 12 * H, end: NOW, timeZone: 'UTC' });
    expect(h.pages.thisShift.total).toBe(3);
    expect(h.pages.previousShift.total).toBe(1);
    expect(h.openIncidents.map((i) => i.title)).toEqual(['Checkout slow']);
  });

  it('with a rota it takes my last shift and who comes next', async () => {
    const db = new OnCallDb(`handover-${Math.random()}`);
    await setPref(db, 'me', 'ann');
    await setPref(db, 'timeZone', 'UTC');
    // daily handoff at 09:00 UTC, ann then ben
    await saveAppSchedule(db, { id: 'mine', name: 'Mine', timeZone: 'UTC', layers: [{ id: 'l', participants: ['ann', 'ben'], rotation: 'FREQ=DAILY', start: '2026-03-16', handoff: '09:00' }] });
    const h = await collectHandover(db, NOW + 24 * H, 'UTC');
    expect(h.outgoing).toBe('ann');
    expect(h.incoming).toBe('ben');
    expect(h.window.end - h.window.start).toBe(24 * H);
  });

  it('snoozes and a failing self-test from main go into the report', () => {
    const facts = alarmFacts(
      {
        snoozes: [{ kind: 'group', target: 'KubePodCrashLooping', until: NOW + H }],
        selfTest: { failing: [{ check: 'notificationSeen', outcome: 'fail', at: NOW - H, reason: { code: 'alarms.selfTest.reasons.x', params: {} } }], lastPassedAt: NOW - 5 * H, lastRunAt: NOW - H },
      } as never,
      (key) => `t(${key})`,
    );
    expect(facts.silences).toEqual([{ id: 'group:KubePodCrashLooping', kind: 'snooze', description: 'KubePodCrashLooping', endsAt: NOW + H }]);
    expect(facts.selfTest).toEqual({ ok: false, at: NOW - H, detail: 't(alarms.selfTest.reasons.x)' });
  });
});
