import { AlarmError } from './errors';

const MODIFIERS = new Map(
  [
    ['command', 'Command'], ['cmd', 'Command'], ['control', 'Control'], ['ctrl', 'Control'], ['commandorcontrol', 'CommandOrControl'],
    ['cmdorctrl', 'CommandOrControl'], ['alt', 'Alt'], ['option', 'Alt'], ['altgr', 'AltGr'], ['shift', 'Shift'], ['super', 'Super'], ['meta', 'Super'],
  ] as const,
);

const NAMED_KEYS = [
  'Plus', 'Space', 'Tab', 'Capslock', 'Numlock', 'Scrolllock', 'Backspace', 'Delete', 'Insert', 'Return', 'Enter', 'Up', 'Down', 'Left', 'Right',
  'Home', 'End', 'PageUp', 'PageDown', 'Escape', 'Esc', 'VolumeUp', 'VolumeDown', 'VolumeMute', 'MediaNextTrack', 'MediaPreviousTrack',
  'MediaStop', 'MediaPlayPause', 'PrintScreen', 'numdec', 'numadd', 'numsub', 'nummult', 'numdiv',
];
const KEYS = new Map(NAMED_KEYS.map((k) => [k.toLowerCase(), k]));
const PUNCTUATION = new Set([...')!@#$%^&*(:;=<,_->.?/~`{}[]|\\"\'']);

function normalKey(part: string): string | null {
  if (/^[a-z0-9]$/i.test(part)) return part.toUpperCase();
  if (PUNCTUATION.has(part)) return part;
  const f = /^f([1-9]|1\d|2[0-4])$/i.exec(part);
  if (f) return `F${f[1]}`;
  const num = /^num([0-9])$/i.exec(part);
  if (num) return `num${num[1]}`;
  return KEYS.get(part.toLowerCase()) ?? null;
}

/**
 * Checks a global shortcut ("acknowledge the newest page") in Electron's accelerator syntax and
 * returns it in canonical spelling. It needs one key and, except for F1–F24, a modifier: a bare
 * letter as a global shortcut would swallow that letter in every other program.
 */
export function parseShortcut(text: string): string {
  const fail = (message: string) => new AlarmError('badShortcut', { shortcut: text, message });
  const tokens = text.trim().split('+').map((t) => t.trim());
  if (tokens.length === 1 && tokens[0] === '') throw fail('empty');
  if (tokens.some((t) => t === '')) throw fail('an empty part: write "Plus" for the + key');
  const modifiers: string[] = [];
  let key: string | null = null;
  for (const token of tokens) {
    const mod = MODIFIERS.get(token.toLowerCase() as never);
    if (mod) {
      if (modifiers.includes(mod)) throw fail(`${mod} twice`);
      modifiers.push(mod);
      continue;
    }
    const k = normalKey(token);
    if (!k) throw fail(`unknown key "${token}"`);
    if (key) throw fail(`two keys: ${key} and ${k}`);
    key = k;
  }
  if (!key) throw fail('no key, only modifiers');
  if (modifiers.length === 0 && !/^F\d+$/.test(key)) throw fail('needs a modifier such as CommandOrControl or Alt');
  return [...modifiers, key].join('+');
}
