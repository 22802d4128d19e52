import { describe, expect, it } from 'vitest';
import { deadmanPageId, deadmanSignal, evaluateDeadman, type DeadmanConfig } from '../../../src/core/sources/deadman';
import { createI18n } from '../../../src/core/i18n';

const cfg: DeadmanConfig = { sourceId: 'am-prod', sourceKind: 'alertmanager', sourceName: 'Prod Alertmanager', maxSilenceMs: 10 * 60_000, watch: 'heartbeat' };
const T0 = Date.parse('2026-11-21T03:00:00Z');
const min = 60_000;

describe('dead-man switch', () => {
  it('stays quiet while the heartbeat arrives within the limit, and says when to look again', () => {
    expect(evaluateDeadman(cfg, { lastSeen: T0 + 5 * min, armedAt: T0, raised: false }, T0 + 9 * min)).toEqual({ action: 'none', nextCheckAt: T0 + 15 * min });
  });

  it('raises once the heartbeat is older than the limit, and only once', () => {
    const d = evaluateDeadman(cfg, { lastSeen: T0 + 5 * min, armedAt: T0, raised: false }, T0 + 15 * min);
    expect(d).toEqual({ action: 'raise', since: T0 + 5 * min, nextCheckAt: null });
    expect(evaluateDeadman(cfg, { lastSeen: T0 + 5 * min, armedAt: T0, raised: true }, T0 + 40 * min).action).toBe('none');
  });

  it('gives a fresh start a full interval, then raises if nothing ever came', () => {
    expect(evaluateDeadman(cfg, { lastSeen: null, armedAt: T0, raised: false }, T0 + 9 * min).action).toBe('none');
    expect(evaluateDeadman(cfg, { lastSeen: null, armedAt: T0, raised: false }, T0 + 10 * min).action).toBe('raise');
  });

  it('clears when the heartbeat returns, not merely because the app restarted', () => {
    expect(evaluateDeadman(cfg, { lastSeen: T0 + 30 * min, armedAt: T0, raised: true }, T0 + 31 * min).action).toBe('clear');
    // restarted at T0+30 with the alarm open and no heartbeat since: keep it open
    expect(evaluateDeadman(cfg, { lastSeen: T0, armedAt: T0 + 30 * min, raised: true }, T0 + 31 * min).action).toBe('none');
  });

  it('raises a P1 "Paging path broken" page and resolves the same page', () => {
    const t = createI18n('en');
    const title = t.t('sources.deadman.title', { source: cfg.sourceName });
    const up = deadmanSignal(cfg, { action: 'raise', since: T0 }, T0 + 10 * min, title, T0 + 10 * min);
    const down = deadmanSignal(cfg, { action: 'clear' }, T0 + 20 * min, title, T0 + 10 * min);
    expect(up).toMatchObject({ id: deadmanPageId('am-prod'), severity: 'P1', status: 'firing', title: 'Paging path broken: Prod Alertmanager' });
    expect(down).toMatchObject({ id: up.id, status: 'resolved', endsAt: T0 + 20 * min });
    expect(createI18n('de').t('sources.deadman.title', { source: 'X' })).toBe('Alarmierungsweg unterbrochen: X');
  });
});
