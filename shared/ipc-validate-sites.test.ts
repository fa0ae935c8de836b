import { describe, expect, it } from 'vitest';
import { validateCommandArgs, ValidationError } from './ipc-validate';
import { defaultSiteInput } from './sites';

const site = { ...defaultSiteInput(), name: 'Harbour', host: 'ftp.example.com', user: 'alice' };

describe('site manager and settings commands', () => {
  it('accepts a complete site, secrets, moves, settings patches and file dialogs', () => {
    expect(validateCommandArgs('createSite', [site, { password: 'secret' }])).toEqual([
      site,
      { password: 'secret' },
    ]);
    const pem = {
      ...site,
      clientCertificate: {
        kind: 'pem',
        certFile: '/c.pem',
        keyFile: '/k.pem',
        hasPassphrase: true,
      },
    };
    expect(
      validateCommandArgs('updateSite', ['id-1', pem, { clientCertPassphrase: null }]),
    ).toEqual(['id-1', pem, { clientCertPassphrase: null }]);
    expect(validateCommandArgs('moveSiteItem', ['id-1', null])).toEqual(['id-1', null]);
    expect(validateCommandArgs('connectSite', ['id-1', {}])).toEqual(['id-1', {}]);
    expect(
      validateCommandArgs('updateSettings', [{ theme: 'dark', timeouts: { connectSeconds: 5 } }]),
    ).toEqual([{ theme: 'dark', timeouts: { connectSeconds: 5 } }]);
    expect(validateCommandArgs('updateSettings', [{ preserveTimes: false }])).toEqual([
      { preserveTimes: false },
    ]);
    for (const transferConcurrency of ['auto', 1, 10])
      expect(validateCommandArgs('updateSettings', [{ transferConcurrency }])).toEqual([
        { transferConcurrency },
      ]);
    expect(validateCommandArgs('pickFile', [{ title: 'Open', extensions: ['xml'] }])).toHaveLength(
      1,
    );
    expect(validateCommandArgs('exportSites', ['/tmp/sites.json', false])).toHaveLength(2);
  });

  it('refuses malformed or hostile values', () => {
    const bad: Array<[Parameters<typeof validateCommandArgs>[0], unknown]> = [
      ['createSite', [{ ...site, hasPassword: true }, {}]],
      ['createSite', [{ ...site, port: 70000 }, {}]],
      ['createSite', [{ ...site, mode: 'sftp' }, {}]],
      ['createSite', [{ ...site, user: 'a\r\nDELE x' }, {}]],
      ['createSite', [{ ...site, remoteDir: '/a\nb' }, {}]],
      ['createSite', [{ ...site, clientCertificate: { kind: 'p11' } }, {}]],
      ['createSite', [{ ...site, maxConnections: 50 }, {}]],
      ['createSite', [{ ...site, listCommand: 'NLST' }, {}]],
      ['createSite', [site, { password: 42 }]],
      ['createSite', [site, { token: 'x' }]],
      ['renameSite', ['id', '']],
      ['moveSiteItem', ['id', 5]],
      ['connectSite', ['id', { password: null }]],
      ['updateSettings', [{ theme: 'neon' }]],
      ['updateSettings', [{ transferConcurrency: 0 }]],
      ['updateSettings', [{ transferConcurrency: 'AUTO' }]],
      ['updateSettings', [{ transferConcurrency: '4' }]],
      ['updateSettings', [{ transferConcurrency: 11 }]],
      ['updateSettings', [{ preserveTimes: 'no' }]],
      ['updateSettings', [{ timeouts: { connectSeconds: 1.5 } }]],
      ['updateSettings', [{ confirm: { deleteRemote: 'yes' } }]],
      ['updateSettings', [{ unknown: true }]],
      ['removePin', ['host name', 21]],
      ['previewImport', ['/a\0b']],
      ['applyImport', ['/a.xml', 'merge']],
      ['exportSites', ['/tmp/x.json', 'yes']],
      ['pickFile', [{ title: 'x', extensions: ['../x'] }]],
    ];
    for (const [name, args] of bad) {
      expect(() => validateCommandArgs(name, args), `${name} ${JSON.stringify(args)}`).toThrow(
        ValidationError,
      );
    }
  });
});
