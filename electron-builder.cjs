// electron-builder configuration: `npm run dist` builds the packages for the current platform.
// Product name, version, description, licence, homepage and author come from package.json.
// See docs/PACKAGING.md.
'use strict';

/** URL schemes Ferry opens (see electron/main/launch-url.ts, LAUNCH_URL_SCHEMES). */
const SCHEMES = ['ftps', 'ftpes'];

/** @type {import('electron-builder').Configuration} */
const config = {
  appId: 'io.github.ferry-ftps.ferry',
  productName: 'Ferry',
  copyright: 'Copyright © Ferry developers. MIT licence.',
  directories: { output: 'dist', buildResources: 'build' },

  // The asar holds the built app only: Vite bundles the renderer's dependencies (react, zustand, …)
  // and the main process imports nothing but Electron and Node built-ins (the packaging test
  // checks that), so no node_modules go in at all.
  files: [
    'package.json',
    'out/main/**/*',
    'out/preload/**/*',
    'out/renderer/**/*',
    '!**/*.map',
    '!node_modules/**/*',
  ],
  asar: true,
  // No native modules: nothing to rebuild for Electron.
  npmRebuild: false,
  // Electron uses desktopName as the Wayland app_id / WM_CLASS; the .desktop file is named after it.
  extraMetadata: { desktopName: 'ferry.desktop' },
  // The window and About dialog icon, outside the asar (electron/main/about.ts, appIconPath).
  extraResources: [{ from: 'build/icons/256x256.png', to: 'icon.png' }],
  protocols: [{ name: 'FTPS URL', schemes: SCHEMES, role: 'Viewer' }],
  // Fuses are flipped here, right before signing; see scripts/after-pack.cjs.
  afterPack: './scripts/after-pack.cjs',

  linux: {
    target: ['AppImage', 'deb'],
    category: 'Network',
    executableName: 'ferry',
    icon: 'build/icons',
    synopsis: 'FTPS client',
    maintainer: 'Ferry developers <ferry@users.noreply.github.com>',
    vendor: 'Ferry developers',
    syncDesktopName: true,
    desktop: {
      entry: {
        Name: 'Ferry',
        GenericName: 'FTPS Client',
        Categories: 'Network;FileTransfer;',
        Keywords: 'ftp;ftps;ftpes;tls;upload;download;transfer;',
        // Also derived from `protocols`; stated so the handler does not hinge on that.
        MimeType: SCHEMES.map((scheme) => `x-scheme-handler/${scheme}`).join(';') + ';',
      },
    },
  },
  appImage: { artifactName: '${productName}-${version}-${arch}.${ext}' },
  deb: {
    packageCategory: 'net',
    priority: 'optional',
    artifactName: '${name}_${version}_${arch}.${ext}',
  },

  win: {
    target: ['nsis'],
    icon: 'build/icons/icon.ico',
    executableName: 'Ferry',
  },
  nsis: {
    oneClick: false,
    perMachine: false,
    allowToChangeInstallationDirectory: true,
    installerIcon: 'build/icons/icon.ico',
    uninstallerIcon: 'build/icons/icon.ico',
    shortcutName: 'Ferry',
    artifactName: '${productName}-Setup-${version}-${arch}.${ext}',
  },

  mac: {
    target: ['dmg'],
    category: 'public.app-category.utilities',
    icon: 'build/icons/icon.icns',
    hardenedRuntime: true,
  },
  dmg: { artifactName: '${productName}-${version}-${arch}.${ext}' },
};

module.exports = config;
