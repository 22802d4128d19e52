import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { FuseV1Options, FuseVersion } from '@electron/fuses';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

// The packaged binary cannot be built here (no Electron download), so the hook's configuration is
// what is checked: electron-builder calls it, and it flips exactly these fuses.
const require = createRequire(import.meta.url);
type Hook = ((context: unknown, fuses?: unknown) => Promise<void>) & { FUSES: Record<string, boolean> };
const hook = require(path.resolve('scripts/after-pack.cjs')) as Hook;

describe('Electron fuses', () => {
  it('electron-builder runs the afterPack hook, with the app in an asar', () => {
    const config = parse(readFileSync('electron-builder.yml', 'utf8')) as Record<string, unknown>;
    expect(config['afterPack']).toBe('scripts/after-pack.cjs');
    expect(config['asar']).not.toBe(false);
    expect(config['asarUnpack']).not.toContainEqual(expect.stringMatching(/dist\/main/));
  });

  it('turns off running as Node, NODE_OPTIONS and --inspect; turns on asar integrity, asar-only and cookie encryption', () => {
    expect(hook.FUSES).toMatchObject({
      RunAsNode: false,
      EnableNodeOptionsEnvironmentVariable: false,
      EnableNodeCliInspectArguments: false,
      EnableEmbeddedAsarIntegrityValidation: true,
      OnlyLoadAppFromAsar: true,
      EnableCookieEncryption: true,
    });
  });

  it('flips them in the packed binary of each platform, by the enum values @electron/fuses defines', async () => {
    const flips: Array<{ binary: string; config: Record<string | number, unknown> }> = [];
    const fuses = { FuseVersion, FuseV1Options, flipFuses: async (binary: string, config: Record<string | number, unknown>) => void flips.push({ binary, config }) };
    const context = (platform: string, arch: number) => ({
      electronPlatformName: platform,
      arch,
      appOutDir: '/out',
      packager: { appInfo: { productFilename: 'On-Call Companion' }, executableName: 'on-call-companion' },
    });
    await hook(context('linux', 1), fuses);
    await hook(context('win32', 1), fuses);
    await hook(context('darwin', 3), fuses);
    expect(flips.map((f) => f.binary)).toEqual([path.join('/out', 'on-call-companion'), path.join('/out', 'On-Call Companion.exe'), path.join('/out', 'On-Call Companion.app')]);
    const config = flips[0]!.config;
    expect(config).toMatchObject({
      version: FuseVersion.V1,
      [FuseV1Options.RunAsNode]: false,
      [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
      [FuseV1Options.EnableNodeCliInspectArguments]: false,
      [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
      [FuseV1Options.OnlyLoadAppFromAsar]: true,
      [FuseV1Options.EnableCookieEncryption]: true,
    });
    expect(flips.map((f) => f.config['resetAdHocDarwinSignature'])).toEqual([false, false, true]);
  });
});
