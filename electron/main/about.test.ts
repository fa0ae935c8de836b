import { join } from 'node:path';
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import {
  aboutDetail,
  aboutInfo,
  aboutMessageBoxOptions,
  aboutPanelOptions,
  appIconPath,
} from './about';

const pkg = JSON.parse(await readFile(join(import.meta.dirname, '../../package.json'), 'utf8')) as {
  version: string;
  license: string;
};
const versions = { electron: '45.4.1', chrome: '142.0.7444.59', node: '22.20.0', v8: '14.2.231' };

describe('about', () => {
  it("takes Ferry's version and licence from package.json and the runtime's from process.versions", () => {
    const info = aboutInfo(versions);
    expect(info).toMatchObject({
      productName: 'Ferry',
      version: pkg.version,
      license: pkg.license,
      electron: '45.4.1',
      chromium: '142.0.7444.59',
      node: '22.20.0',
    });
  });

  it('says unknown for versions a plain Node process does not have', () => {
    expect(aboutInfo({ node: '20.0.0' })).toMatchObject({
      electron: 'unknown',
      chromium: 'unknown',
    });
  });

  it('lists every version and the licence in the dialog', () => {
    const info = aboutInfo(versions);
    const detail = aboutDetail(info);
    for (const text of [
      `Version ${pkg.version}`,
      'Electron 45.4.1',
      'Chromium 142.0.7444.59',
      'Node 22.20.0',
      `Licence: ${pkg.license}`,
    ]) {
      expect(detail).toContain(text);
    }
    const box = aboutMessageBoxOptions(info, '/res/icon.png');
    expect(box).toMatchObject({
      type: 'info',
      title: 'About Ferry',
      message: 'Ferry',
      icon: '/res/icon.png',
    });
    expect(aboutMessageBoxOptions(info)).not.toHaveProperty('icon');
    expect(aboutPanelOptions(info, '/res/icon.png')).toMatchObject({
      applicationName: 'Ferry',
      applicationVersion: pkg.version,
      iconPath: '/res/icon.png',
    });
  });

  it('finds the icon in resources when packaged and in build/icons in development', () => {
    expect(
      appIconPath({ isPackaged: true, resourcesPath: '/opt/Ferry/resources', appPath: '/x' }),
    ).toBe(join('/opt/Ferry/resources', 'icon.png'));
    expect(appIconPath({ isPackaged: false, resourcesPath: '/r', appPath: '/src/ferry' })).toBe(
      join('/src/ferry', 'build/icons/256x256.png'),
    );
  });
});
