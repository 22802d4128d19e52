import { describe, expect, it } from 'vitest';
import { parseShortcut } from '../../../src/core/alarms/shortcut';

describe('the acknowledge shortcut', () => {
  it('accepts Electron accelerators and spells them canonically', () => {
    expect(parseShortcut('CmdOrCtrl+Shift+A')).toBe('CommandOrControl+Shift+A');
    expect(parseShortcut(' ctrl + alt + f12 ')).toBe('Control+Alt+F12');
    expect(parseShortcut('Super+Plus')).toBe('Super+Plus');
    expect(parseShortcut('Alt+enter')).toBe('Alt+Enter');
    expect(parseShortcut('F13')).toBe('F13');
    expect(parseShortcut('Shift+num5')).toBe('Shift+num5');
  });

  it('refuses bad shortcuts, saying what is wrong', () => {
    const cases: Array<[string, string]> = [
      ['', 'empty'],
      ['A', 'needs a modifier such as CommandOrControl or Alt'],
      ['Ctrl+Shift', 'no key, only modifiers'],
      ['Ctrl+A+B', 'two keys: A and B'],
      ['Ctrl+Hyper', 'unknown key "Hyper"'],
      ['Ctrl+Ctrl+A', 'Control twice'],
      ['Ctrl++', 'an empty part: write "Plus" for the + key'],
      ['Ctrl+F25', 'unknown key "F25"'],
    ];
    for (const [text, message] of cases) {
      expect(() => parseShortcut(text), text).toThrow(expect.objectContaining({ alarmCode: 'badShortcut', params: { shortcut: text, message } }));
    }
  });
});
