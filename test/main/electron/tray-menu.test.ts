import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { emptyAlarmState } from '../../../src/core/alarms/state';
import { trayModel, type TrayInput } from '../../../src/core/alarms/tray-model';
import { createI18n } from '../../../src/core/i18n';
import { autostartEntry, setLinuxAutostart } from '../../../src/main/electron/login-item';
import { TRAY_ICON_FILES, trayMenuTemplate, trayTooltip, type TrayMenuItem } from '../../../src/main/electron/tray-menu';

const T0 = Date.UTC(2026, 10, 23, 10, 0);
const input = (over: Partial<TrayInput> = {}): TrayInput => ({
  groups: [{ groupKey: 'db', title: 'PostgresDown', severity: 'P1', count: 2 }],
  unacknowledged: 2,
  rota: { onCall: true, changesAt: T0 + 3_600_000 },
  alarms: emptyAlarmState(),
  selfTest: { failing: [], lastPassedAt: null, lastRunAt: null },
  problems: [],
  now: T0,
  ...over,
});
const fmt = (ms: number) => new Date(ms).toISOString().slice(11, 16);

function recordingActions() {
  const calls: string[] = [];
  const rec = (name: string) => (...args: unknown[]) => void calls.push([name, ...args].join(' '));
  return {
    calls,
    actions: {
      openGroup: rec('open'),
      acknowledgeGroup: rec('ack'),
      snoozeGroup: rec('snooze'),
      acknowledgeAll: rec('ackAll'),
      selfTest: rec('selfTest'),
      dndOn: rec('dndOn'),
      dndOff: rec('dndOff'),
      open: rec('openApp'),
      quit: rec('quit'),
    },
  };
}

describe('the tray menu rendered from the model', () => {
  it('lists each waiting group with Open, Acknowledge and the three snoozes, then the actions and Quit, each wired', () => {
    const { actions, calls } = recordingActions();
    const menu = trayMenuTemplate(trayModel(input()), createI18n('en').t, fmt, actions, ['Alertmanager was refused 3 times']);
    expect(menu.map((i) => i.label ?? `—`)).toEqual([
      'Alertmanager was refused 3 times',
      '—',
      'P1 PostgresDown (2)',
      'Acknowledge all (2)',
      '—',
      'Is my pager working?',
      'Turn on Do Not Disturb',
      'Open On-Call Companion',
      '—',
      'Quit',
    ]);
    expect(menu[0]!.enabled).toBe(false);
    const clickAll = (items: TrayMenuItem[]) => items.forEach((i) => (i.submenu ? clickAll(i.submenu) : i.click?.()));
    clickAll(menu);
    expect(calls).toEqual(['open db', 'ack db', 'snooze db 15', 'snooze db 30', 'snooze db 60', 'ackAll', 'selfTest', 'dndOn', 'openApp', 'quit']);
  });

  it('tooltip: count, shift end in the user format, a failed self-test; each icon state has its own file', () => {
    const model = trayModel(input({ selfTest: { failing: [{ check: 'alarmHeard', outcome: 'fail', at: T0, reason: null }], lastPassedAt: null, lastRunAt: T0 } }));
    expect(trayTooltip(model, createI18n('de').t, fmt).split('\n')).toEqual(['2 Pages warten auf dich', 'In Bereitschaft bis 11:00', 'Pager-Selbsttest fehlgeschlagen: Alarm gehört']);
    expect(new Set(Object.values(TRAY_ICON_FILES)).size).toBe(4);
    for (const file of Object.values(TRAY_ICON_FILES)) expect(existsSync(path.resolve('assets', `${file}-32.png`))).toBe(true);
  });
});

describe('start at login on Linux', () => {
  it('writes an XDG autostart entry that starts hidden, and removes it again', () => {
    const home = mkdtempSync(path.join(tmpdir(), 'occ-autostart-'));
    try {
      setLinuxAutostart(true, { exec: '/opt/On-Call Companion/oncall', name: 'On-Call Companion', configHome: home });
      const file = path.join(home, 'autostart', 'on-call-companion.desktop');
      expect(readFileSync(file, 'utf8')).toContain('Exec="/opt/On-Call Companion/oncall" --hidden');
      setLinuxAutostart(false, { exec: 'x', name: 'x', configHome: home });
      expect(existsSync(file)).toBe(false);
      expect(autostartEntry('/usr/bin/oncall', 'N')).toContain('Exec=/usr/bin/oncall --hidden');
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
