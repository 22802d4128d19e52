// electron-builder afterPack hook: flips Electron's fuses in the packaged binary, before signing.
// Fuses are compiled-in switches that cannot be turned back on at run time, so features the app
// never uses cannot be abused to run arbitrary code with the app's identity.
const path = require('node:path');

/** The fuse settings, by @electron/fuses' FuseV1Options name; read by the unit test too. */
const FUSES = {
  // ELECTRON_RUN_AS_NODE would turn the signed app into a plain Node.js for any script
  RunAsNode: false,
  // NODE_OPTIONS could preload code into main
  EnableNodeOptionsEnvironmentVariable: false,
  // --inspect would open a debugger on main
  EnableNodeCliInspectArguments: false,
  // the app.asar must match the hash embedded at build time
  EnableEmbeddedAsarIntegrityValidation: true,
  // no loading an app from a loose folder next to the binary
  OnlyLoadAppFromAsar: true,
  // cookies at rest are encrypted with the OS keychain
  EnableCookieEncryption: true,
  // the renderer comes from app://, so file:// needs none of its legacy privileges
  GrantFileProtocolExtraPrivileges: false,
};

/** The Electron binary electron-builder just packed, per platform. */
function executablePath(context) {
  const platform = context.electronPlatformName;
  const { productFilename } = context.packager.appInfo;
  if (platform === 'darwin' || platform === 'mas') return path.join(context.appOutDir, `${productFilename}.app`);
  if (platform === 'win32') return path.join(context.appOutDir, `${productFilename}.exe`);
  return path.join(context.appOutDir, context.packager.executableName);
}

/** The options handed to flipFuses: every fuse above by its enum value, strictly. */
function fuseConfig(fuses, platform, arch) {
  const { FuseVersion, FuseV1Options } = fuses;
  const config = {
    version: FuseVersion.V1,
    // arm64 macOS refuses to run a binary whose ad-hoc signature no longer matches
    resetAdHocDarwinSignature: (platform === 'darwin' || platform === 'mas') && arch === 'arm64',
  };
  for (const [name, value] of Object.entries(FUSES)) {
    if (!(name in FuseV1Options)) throw new Error(`@electron/fuses has no fuse ${name}`);
    config[FuseV1Options[name]] = value;
  }
  return config;
}

/** The hook; `fuses` is injectable so the unit test can check what would be flipped. */
async function afterPack(context, injected) {
  // @electron/fuses 2 is ESM-only: import(), not require()
  const fuses = injected ?? (await import('@electron/fuses'));
  // electron-builder's Arch enum: 0 ia32, 1 x64, 2 armv7l, 3 arm64, 4 universal
  const arch = ['ia32', 'x64', 'armv7l', 'arm64', 'universal'][context.arch] ?? String(context.arch);
  const binary = executablePath(context);
  await fuses.flipFuses(binary, fuseConfig(fuses, context.electronPlatformName, arch));
  console.log(`  • fuses flipped in ${binary}`);
}

module.exports = afterPack;
module.exports.default = afterPack;
module.exports.FUSES = FUSES;
module.exports.fuseConfig = fuseConfig;
module.exports.executablePath = executablePath;
