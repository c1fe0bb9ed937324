// electron-builder afterPack hook (electron-builder.json): flips Electron's fuses in the packed binary,
// after Signal Desktop's ts/scripts/fuse-electron.ts. Fuses are compiled-in switches that no command line,
// environment variable or app code can turn back on. Runs on the build machine only, after packing and
// before signing, so the signature covers the fused binary.
// CommonJS because electron-builder loads hooks with require().
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS file by necessity (see above) */
'use strict';

const fs = require('node:fs');
const path = require('node:path');

function loadFuses() {
  try {
    return require('@electron/fuses');
  } catch (cause) {
    throw new Error(
      'fuse-electron: @electron/fuses is not installed on this build machine. Install it as a dev dependency ' +
        '(npm install --save-dev @electron/fuses) and build again; an unfused Electron must not ship ' +
        '(RunAsNode would let anyone run the signed binary as a plain Node.js).',
      { cause },
    );
  }
}

/** The packed executable: the names electron-builder may have used, first one that exists. */
function executablePath({ appOutDir, packager, electronPlatformName }) {
  const names = [
    packager.executableName, // LinuxPackager (and newer packagers)
    packager.config && packager.config.executableName,
    packager.appInfo.productFilename,
  ].filter((n) => typeof n === 'string' && n !== '');
  const candidates = names.map((n) => {
    if (electronPlatformName === 'win32') return path.join(appOutDir, `${n}.exe`);
    if (electronPlatformName === 'darwin') return path.join(appOutDir, `${n}.app`);
    return path.join(appOutDir, n);
  });
  const found = candidates.find((c) => fs.existsSync(c));
  if (!found) throw new Error(`fuse-electron: no Electron executable in ${appOutDir} (looked for ${candidates.join(', ')})`);
  return found;
}

exports.default = async function fuseElectron(context) {
  const { flipFuses, FuseVersion, FuseV1Options } = loadFuses();
  const electron = executablePath(context);
  console.log(`[fuse-electron] fusing ${electron}`);
  await flipFuses(electron, {
    version: FuseVersion.V1,
    // ELECTRON_RUN_AS_NODE=1 would turn our signed, trusted binary into a general-purpose Node.
    [FuseV1Options.RunAsNode]: false,
    // NODE_OPTIONS (e.g. --require evil.js) must not inject code into the main process.
    [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
    // --inspect/--inspect-brk would open a debugger on the main process, i.e. on the insurance keys.
    // (This is also why e2e tests drive the unpacked dev binary, never the packaged one.)
    [FuseV1Options.EnableNodeCliInspectArguments]: false,
    // Refuse an app.asar whose header hash differs from the one embedded at pack time (macOS, and
    // Windows since Electron 30; no-op on Linux). electron-builder must embed the hash: use a release
    // that does (>= 26), and build the Windows package on Windows: a Linux-built .exe has had the
    // integrity entry recorded with '/' and then crashes at start (electron-builder#8690).
    [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
    // Load the app only from app.asar, never from a loose resources/app folder someone drops beside it.
    [FuseV1Options.OnlyLoadAppFromAsar]: true,
    // We serve the UI from app://, never file://; file pages get no extra privileges.
    [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
  });
};
