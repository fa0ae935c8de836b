// electron-builder afterPack hook: flips Electron's fuses in the packaged binary, before signing.
// Fuses are switches compiled into the Electron executable; flipping them at package time turns off
// ways to make the shipped binary run something other than Ferry's own code from its asar.
'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS hook, loaded by electron-builder */

const { open, stat } = require('node:fs/promises');
const path = require('node:path');
const { flipFuses, FuseV1Options, FuseVersion } = require('@electron/fuses');

/**
 * The fuse settings. GrantFileProtocolExtraPrivileges is off: the renderer is served from the
 * app:// protocol (electron/main/app-protocol.ts, with its CSP as a response header), so no page
 * needs file:// privileges.
 */
const FUSES = Object.freeze({
  version: FuseVersion.V1,
  // macOS on Apple silicon refuses a binary whose ad-hoc signature no longer matches.
  resetAdHocDarwinSignature: true,
  [FuseV1Options.RunAsNode]: false,
  [FuseV1Options.EnableCookieEncryption]: true,
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  // Checked against the hash electron-builder records (Info.plist on macOS, a resource on
  // Windows); Electron does not validate asar integrity on Linux.
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
});

/** The path flipFuses wants: the .app bundle on macOS, the executable elsewhere. */
function electronBinaryPath(context) {
  const { appOutDir, electronPlatformName, packager } = context;
  const info = packager.appInfo;
  if (electronPlatformName === 'darwin' || electronPlatformName === 'mas') {
    return path.join(appOutDir, `${info.productFilename}.app`);
  }
  const name = packager.executableName ?? info.productFilename;
  return path.join(appOutDir, electronPlatformName === 'win32' ? `${name}.exe` : name);
}

/**
 * A stand-in Electron (a script, as CI's packaging test uses: the real runtime cannot be downloaded
 * there) has no fuse wire to flip. A real Electron binary is tens of megabytes.
 */
async function isStubElectron(binary) {
  const info = await stat(binary);
  if (info.isDirectory()) return false; // a macOS .app bundle
  if (info.size < 1024 * 1024) return true;
  const handle = await open(binary, 'r');
  try {
    const head = Buffer.alloc(2);
    await handle.read(head, 0, 2, 0);
    return head.toString('latin1') === '#!';
  } finally {
    await handle.close();
  }
}

async function afterPack(context) {
  const binary = electronBinaryPath(context);
  if (await isStubElectron(binary)) {
    console.log(
      `  • fuses skipped: ${path.basename(binary)} is a stub Electron, not a real binary`,
    );
    return;
  }
  await flipFuses(binary, FUSES);
  console.log(`  • fuses flipped in ${path.basename(binary)}`);
}

module.exports = afterPack;
module.exports.default = afterPack;
module.exports.FUSES = FUSES;
module.exports.electronBinaryPath = electronBinaryPath;
module.exports.isStubElectron = isStubElectron;
