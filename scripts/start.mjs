// npm start: build, make sure Electron's binary is there, launch the app.
// npm ci skips Electron's own download (.npmrc ignore-scripts, because it fails without
// network), so the first start fetches the binary where the network allows it.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';

const require = createRequire(import.meta.url);
const electronDir = path.dirname(require.resolve('electron/package.json'));
const version = JSON.parse(readFileSync(path.join(electronDir, 'package.json'), 'utf8')).version;

function binaryPath() {
  const pathFile = path.join(electronDir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const bin = path.join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(bin) ? bin : null;
}

let electron = binaryPath();
if (!electron) {
  console.log(`Electron ${version}'s binary is not installed yet; downloading it once…`);
  const result = spawnSync(process.execPath, [path.join(electronDir, 'install.js')], { encoding: 'utf8', env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '' } });
  electron = result.status === 0 ? binaryPath() : null;
  if (!electron) {
    const reason = `${result.stderr ?? ''}${result.stdout ?? ''}`.split('\n').find((l) => /error/i.test(l)) ?? `exit ${result.status}`;
    console.error(`The download failed: ${reason.trim()}`);
  }
}
if (!electron) {
  console.error(`
On-Call Companion cannot start: Electron ${version}'s binary is missing and could not be downloaded.

Get it in one of these ways, then run npm start again:
  • on a machine with internet access:   node node_modules/electron/install.js
  • through a mirror you can reach:      ELECTRON_MIRROR=https://your-mirror/electron/ node node_modules/electron/install.js
  • from a zip you copied here:          put electron-v${version}-${process.platform}-${process.arch}.zip in the
                                         Electron cache (see @electron/get's docs) and run the install command above

Everything except the Electron window works without it: npm test runs the app's services,
the real renderer in Chromium and real Alertmanager.`);
  process.exit(1);
}

const build = spawnSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
const child = spawn(electron, ['.', ...process.argv.slice(2)], { stdio: 'inherit' });
child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 0)));
