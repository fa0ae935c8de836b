import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { secretKey } from '../../../shared/sites';
import { PersistentPinStore } from '../pins/pin-store';
import { aesGcmCipher } from '../secrets/aes-cipher';
import { EncryptedFileSecretStore } from '../secrets/secret-store';
import { SiteStore } from '../sites/site-store';
import { exportSites } from './ferry-json';
import { applyImport, parseImport, readImport } from './import';
import { decodeSafePath, encodeUnixSafePath } from './safe-path';

const fixtures = join(import.meta.dirname, 'fixtures');
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ferry-fz-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function stores(key = randomBytes(32)): {
  secrets: EncryptedFileSecretStore;
  sites: SiteStore;
  pins: PersistentPinStore;
} {
  const secrets = new EncryptedFileSecretStore(join(dir, 'secrets.json'), aesGcmCipher(key));
  return {
    secrets,
    sites: new SiteStore({ file: join(dir, 'sites.json'), secrets }),
    pins: new PersistentPinStore(join(dir, 'pins.json')),
  };
}

describe('FileZilla safe path', () => {
  it('reads segments by their lengths, keeping spaces', () => {
    expect(decodeSafePath('1 0 4 home 10 with space')).toMatchObject({
      ok: true,
      path: '/home/with space',
    });
    expect(decodeSafePath('1 0 3 a b 2  x')).toMatchObject({ ok: true, path: '/a b/ x' });
    expect(decodeSafePath('1 0')).toMatchObject({ ok: true, path: '/' });
    expect(decodeSafePath('3 0 2 C: 5 Users')).toMatchObject({ ok: true, path: 'C:\\Users' });
  });

  it('refuses a length that does not match and unsupported server types', () => {
    const bad = decodeSafePath('1 0 4 home 9 with space');
    expect(bad.ok).toBe(false);
    expect(decodeSafePath('1 0 40 home').ok).toBe(false);
    expect(decodeSafePath('2 4 DISK 3 dir')).toMatchObject({ ok: false });
    expect(decodeSafePath('x').ok).toBe(false);
  });

  it('round-trips encoded Unix paths', () => {
    for (const path of ['/', '/home/with space', '/a/ b /c  d', '/ünïcode/ö']) {
      expect(decodeSafePath(encodeUnixSafePath(path))).toMatchObject({ ok: true, path });
    }
  });
});

describe('sitemanager.xml import', () => {
  it('reads folders, protocols, logon types, passwords and every site field', async () => {
    const pending = await readImport(join(fixtures, 'sitemanager.xml'));
    const { report } = pending;
    expect(pending.kind).toBe('filezilla-sites');
    expect(report.applied).toBe(false);
    expect(report.folders.map((f) => f.path)).toEqual([
      ['Clients'],
      ['Clients', 'Acme & Co'],
      ['Misc'],
    ]);

    const byName = new Map(report.sites.map((site) => [site.name, site]));
    const top = byName.get('Top level (TLS if available)');
    expect(top).toMatchObject({
      folder: [],
      host: 'ftp.example.com',
      port: 21,
      mode: 'explicit-if-available',
      logonType: 'normal',
      user: 'alice',
      passwordIncluded: true,
      remoteDir: '/home/with space',
      localDir: '/home/alice/site',
      transferMode: 'passive',
      maxConnections: null,
      comments: 'Main web server',
      colour: 'blue',
    });
    expect(pending.sites.find((s) => s.input.name === top?.name)?.password).toBe('p4ss wörd');
    expect(top?.notes.join(' ')).toMatch(/refuses TLS, Ferry stops before sending .* and asks/);

    const implicit = byName.get('Implicit, plain-text password');
    expect(implicit).toMatchObject({
      folder: ['Clients'],
      mode: 'implicit',
      port: 990,
      transferMode: 'active',
      maxConnections: 3,
      colour: 'red',
      remoteDir: '/srv/ftp',
      passwordIncluded: true,
    });
    expect(pending.sites.find((s) => s.input.name === implicit?.name)?.password).toBe(
      'plain-text-secret',
    );

    const crypt = byName.get('Acme production (master password)');
    expect(crypt).toMatchObject({
      folder: ['Clients', 'Acme & Co'],
      mode: 'explicit',
      port: 2121,
      passwordIncluded: false,
      remoteDir: '/var/www/acme sites',
      comments: 'Deploy target\nsecond line',
      transferMode: 'passive',
    });
    expect(crypt?.notes.join(' ')).toMatch(/master password/);
    expect(crypt?.notes.join(' ')).toMatch(/1 bookmark ignored/);
    expect(crypt?.notes.join(' ')).toMatch(/time zone offset \(60 minutes\)/);

    expect(byName.get('Ask for password')).toMatchObject({
      logonType: 'ask',
      user: 'carol',
      passwordIncluded: false,
    });
    expect(byName.get('Ask for password')?.notes.join(' ')).toMatch(/ISO-8859-1/);
    expect(byName.get('Anonymous mirror (plain FTP)')).toMatchObject({
      mode: 'plain',
      logonType: 'anonymous',
      user: '',
    });

    const damaged = byName.get('Damaged remote folder');
    expect(damaged).toMatchObject({ port: 21, remoteDir: '' });
    expect(damaged?.notes.join(' ')).toMatch(/Remote folder not imported/);

    const legacy = byName.get('Legacy name in element text');
    expect(legacy).toMatchObject({
      host: 'legacy.example.com',
      maxConnections: 10,
      passwordIncluded: true,
    });
    expect(legacy?.notes.join(' ')).toMatch(/25 lowered to 10/);

    const skipped = new Map(report.skipped.map((entry) => [entry.name, entry]));
    expect(skipped.get('Acme SFTP')?.reason).toMatch(/SFTP .*protocol 1/);
    expect(skipped.get('Acme SFTP')?.folder).toEqual(['Clients', 'Acme & Co']);
    expect(skipped.get('HTTPS thing')?.reason).toMatch(/HTTPS \(protocol 5\)/);
    expect(skipped.get('Unknown protocol')?.reason).toMatch(/unknown protocol number 42/);
    expect(report.sites).toHaveLength(7);
    expect(report.skipped).toHaveLength(3);
    expect(report.notes.join(' ')).toMatch(/1 bookmark ignored/);
    // The report never carries a password.
    expect(JSON.stringify(report)).not.toMatch(/p4ss|plain-text-secret|legacy"/);
  });

  it('applies into the stores: folders, sites, passwords in the secret store only', async () => {
    const { sites, secrets } = stores();
    const report = await applyImport(await readImport(join(fixtures, 'sitemanager.xml')), {
      sites,
    });
    expect(report.applied).toBe(true);
    const tree = await sites.tree();
    expect(tree.folders.map((f) => f.name).sort()).toEqual(['Acme & Co', 'Clients', 'Misc']);
    expect(tree.sites).toHaveLength(7);
    const top = tree.sites.find((s) => s.host === 'ftp.example.com');
    expect(top?.hasPassword).toBe(true);
    expect(await secrets.get(secretKey(top?.id ?? '', 'password'))).toBe('p4ss wörd');
    const acme = tree.sites.find((s) => s.host === 'files.acme.example');
    expect(await sites.folderPath(acme?.parentId ?? null)).toEqual(['Clients', 'Acme & Co']);
    expect(acme?.hasPassword).toBe(false);
    const onDisk = await readFile(join(dir, 'sites.json'), 'utf8');
    expect(onDisk).not.toMatch(/p4ss|plain-text-secret/);
    expect(await readFile(join(dir, 'secrets.json'), 'utf8')).not.toMatch(/p4ss|plain-text-secret/);
  });

  it('rejects files that are not FileZilla site files', () => {
    expect(() => parseImport('<FileZilla3><Settings/></FileZilla3>', 'x.xml')).toThrow(
      /not a FileZilla site manager file/,
    );
    expect(() => parseImport('not xml at all <', 'x.xml')).toThrow();
    expect(() => parseImport('{"hello":1}', 'x.json')).toThrow(/not a Ferry site export/);
  });
});

describe('trustedcerts.xml import', () => {
  it('turns trusted certificates into pins and skips damaged ones', async () => {
    const expected = (await readFile(join(fixtures, 'expected-fingerprint.txt'), 'utf8')).trim();
    const pending = await readImport(join(fixtures, 'trustedcerts.xml'));
    expect(pending.kind).toBe('filezilla-trusted-certs');
    expect(pending.report.pins).toEqual([
      expect.objectContaining({ host: 'ftp.example.com', port: 21, fingerprint256: expected }),
    ]);
    expect(pending.report.pins[0]?.subject).toMatch(/CN=ftp.example.com/);
    expect(pending.report.skipped[0]).toMatchObject({ name: 'bad.example.com:21' });
    const { sites, pins } = stores();
    await applyImport(pending, { sites, pins });
    const reopened = new PersistentPinStore(join(dir, 'pins.json'));
    const pin = await reopened.get('FTP.example.com', 21);
    expect(pin?.fingerprint256).toBe(expected);
    expect(pin?.certificate.rawBase64.length).toBeGreaterThan(100);
  });
});

describe('Ferry JSON export', () => {
  it('round-trips the tree without secrets unless asked', async () => {
    const first = stores();
    await applyImport(await readImport(join(fixtures, 'sitemanager.xml')), { sites: first.sites });
    const tree = await first.sites.tree();

    const plain = await exportSites(tree, { secrets: first.secrets });
    const plainText = JSON.stringify(plain);
    expect(plainText).not.toMatch(/p4ss|plain-text-secret|hasPassword/);
    expect(plain.secrets).toBeUndefined();

    const withSecrets = await exportSites(tree, { secrets: first.secrets, includeSecrets: true });
    expect(JSON.stringify(withSecrets)).toMatch(/p4ss wörd/);

    // Import both into fresh folders with a different key.
    const strip = (t: Awaited<ReturnType<SiteStore['tree']>>) =>
      t.sites
        .map(
          ({ id: _i, parentId: _p, createdAt: _c, updatedAt: _u, hasPassword: _h, ...rest }) =>
            rest,
        )
        .sort((a, b) => a.name.localeCompare(b.name));
    await rm(dir, { recursive: true, force: true });
    const second = stores();
    const report = await applyImport(parseImport(plainText, 'export.json'), {
      sites: second.sites,
    });
    expect(report.sites.every((s) => !s.passwordIncluded)).toBe(true);
    const secondTree = await second.sites.tree();
    expect(strip(secondTree)).toEqual(strip(tree));
    const folderPaths = async (store: SiteStore, t: typeof tree) =>
      (await Promise.all(t.folders.map((f) => store.folderPath(f.id))))
        .map((p) => p.join('/'))
        .sort();
    expect(await folderPaths(second.sites, secondTree)).toEqual(
      await folderPaths(first.sites, tree),
    );
    expect(secondTree.sites.some((s) => s.hasPassword)).toBe(false);

    await rm(dir, { recursive: true, force: true });
    const third = stores();
    await applyImport(parseImport(JSON.stringify(withSecrets), 'export.json'), {
      sites: third.sites,
    });
    const top = (await third.sites.tree()).sites.find((s) => s.host === 'ftp.example.com');
    expect(top?.hasPassword).toBe(true);
    expect(await third.secrets.get(secretKey(top?.id ?? '', 'password'))).toBe('p4ss wörd');
  });
});
