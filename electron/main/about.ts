/**
 * The About dialog: Ferry's version, the Electron, Chromium and Node versions it runs on, its
 * licence and its icon. Only types come from Electron, so this runs in plain Node under test.
 */
import { join } from 'node:path';
import type { AboutPanelOptionsOptions, MessageBoxOptions } from 'electron';
import { homepage, license, productName, version } from '../../package.json';

export interface AboutInfo {
  productName: string;
  version: string;
  electron: string;
  chromium: string;
  node: string;
  v8: string;
  license: string;
  homepage: string;
}

/** The versions `process.versions` carries in Electron's main process. */
export interface RuntimeVersions {
  electron?: string;
  chrome?: string;
  node?: string;
  v8?: string;
}

export interface PackageFacts {
  productName: string;
  version: string;
  license: string;
  homepage: string;
}

const PACKAGE: PackageFacts = { productName, version, license, homepage };

export function aboutInfo(
  versions: RuntimeVersions = process.versions,
  pkg: PackageFacts = PACKAGE,
): AboutInfo {
  return {
    productName: pkg.productName,
    version: pkg.version,
    electron: versions.electron ?? 'unknown',
    chromium: versions.chrome ?? 'unknown',
    node: versions.node ?? 'unknown',
    v8: versions.v8 ?? 'unknown',
    license: pkg.license,
    homepage: pkg.homepage,
  };
}

/** The dialog's body, one fact a line. */
export function aboutDetail(info: AboutInfo): string {
  return [
    `Version ${info.version}`,
    '',
    `Electron ${info.electron}`,
    `Chromium ${info.chromium}`,
    `Node ${info.node}`,
    `V8 ${info.v8}`,
    '',
    `Licence: ${info.license}`,
    info.homepage,
  ].join('\n');
}

/** Options for `dialog.showMessageBox(window, …)`, the About dialog on every platform. */
export function aboutMessageBoxOptions(info: AboutInfo, iconPath?: string): MessageBoxOptions {
  return {
    type: 'info',
    title: `About ${info.productName}`,
    message: info.productName,
    detail: aboutDetail(info),
    buttons: ['OK'],
    defaultId: 0,
    cancelId: 0,
    noLink: true,
    ...(iconPath ? { icon: iconPath } : {}),
  };
}

/** Options for `app.setAboutPanelOptions` (the native panel of the macOS app menu and Linux). */
export function aboutPanelOptions(info: AboutInfo, iconPath?: string): AboutPanelOptionsOptions {
  return {
    applicationName: info.productName,
    applicationVersion: info.version,
    version: `Electron ${info.electron}, Chromium ${info.chromium}, Node ${info.node}`,
    copyright: `${info.license} licence`,
    website: info.homepage,
    ...(iconPath ? { iconPath } : {}),
  };
}

export interface IconLocation {
  /** `app.isPackaged` */
  isPackaged: boolean;
  /** `process.resourcesPath` */
  resourcesPath: string;
  /** `app.getAppPath()`: the project folder in development. */
  appPath: string;
}

/**
 * The window and About icon: packaged, `resources/icon.png` (electron-builder's extraResources,
 * outside the asar); in development, the rendered PNG in build/icons/.
 */
export function appIconPath(where: IconLocation): string {
  return where.isPackaged
    ? join(where.resourcesPath, 'icon.png')
    : join(where.appPath, 'build', 'icons', '256x256.png');
}
