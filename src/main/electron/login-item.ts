import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** The XDG autostart entry that starts the app hidden in the tray at login. */
export function autostartEntry(exec: string, name: string): string {
  const quoted = /[\s"'\\]/.test(exec) ? `"${exec.replace(/(["\\`$])/g, '\\$1')}"` : exec;
  return ['[Desktop Entry]', 'Type=Application', `Name=${name}`, `Exec=${quoted} --hidden`, 'X-GNOME-Autostart-enabled=true', 'NoDisplay=false', ''].join('\n');
}

/**
 * Start at login on Linux, where Electron's setLoginItemSettings does nothing: an autostart
 * .desktop file in $XDG_CONFIG_HOME/autostart, written or removed.
 */
export function setLinuxAutostart(enabled: boolean, opts: { exec: string; name: string; configHome?: string }): void {
  const dir = path.join(opts.configHome ?? process.env['XDG_CONFIG_HOME'] ?? path.join(os.homedir(), '.config'), 'autostart');
  const file = path.join(dir, 'on-call-companion.desktop');
  if (!enabled) {
    fs.rmSync(file, { force: true });
    return;
  }
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(file, autostartEntry(opts.exec, opts.name));
}
