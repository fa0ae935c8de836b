import { getSharedCerts } from '../../../test/servers/certs';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultSiteInput, secretKey, validateSite, type SiteInput } from '../../../shared/sites';
import { memoryPinStore } from '../../engine/pin-store';
import type { PinnedCertificate, PinStore } from '../../engine/types';
import { PersistentPinStore } from '../pins/pin-store';
import { aesGcmCipher } from '../secrets/aes-cipher';
import { EncryptedFileSecretStore, SecretsUnavailableError } from '../secrets/secret-store';
import { SettingsStore, SettingsValidationError } from '../settings/settings-store';
import { checkSiteFiles, resolveSecrets, toConnectOptions } from './connect-options';
import { SiteStore, SiteStoreError } from './site-store';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ferry-sites-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const site = (patch: Partial<SiteInput> = {}): SiteInput => ({
  ...defaultSiteInput(),
  name: 'Prod',
  host: 'ftp.example.com',
  user: 'alice',
  ...patch,
});

describe('validateSite', () => {
  it('accepts a good site and names each bad field', () => {
    expect(validateSite(site())).toEqual([]);
    const fields = validateSite(
      site({
        name: ' ',
        host: 'ftp://x',
        port: 70000,
        user: '',
        tlsMin: '1.3',
        tlsMax: '1.2',
        maxConnections: 11,
        remoteDir: 'rel',
      }),
    ).map((e) => e.field);
    expect(fields).toEqual([
      'name',
      'host',
      'port',
      'user',
      'tlsMax',
      'maxConnections',
      'remoteDir',
    ]);
    expect(validateSite(site({ host: '300.1.1.1' }))[0]?.message).toMatch(/IPv4/);
    expect(validateSite(site({ host: '[::1]' }))).toEqual([]);
    expect(validateSite(site({ host: 'bad_host!' }))[0]?.field).toBe('host');
    expect(validateSite(site({ logonType: 'anonymous', user: '' }))).toEqual([]);
    expect(validateSite(site({ mode: 'plain', ccc: true }))[0]?.field).toBe('ccc');
    const badList = site({ listCommand: 'nlst' as never });
    expect(validateSite(badList)[0]?.field).toBe('listCommand');
  });
});

describe('secret store', () => {
  it('encrypts with the injected cipher, persists, and refuses when unavailable', async () => {
    const key = randomBytes(32);
    const file = join(dir, 'secrets.json');
    const store = new EncryptedFileSecretStore(file, aesGcmCipher(key));
    await store.set('a', 'hunter2');
    expect(await readFile(file, 'utf8')).not.toContain('hunter2');
    expect(await new EncryptedFileSecretStore(file, aesGcmCipher(key)).get('a')).toBe('hunter2');
    // Another key (a reset keychain) cannot read it: missing, not garbage.
    expect(await new EncryptedFileSecretStore(file, aesGcmCipher()).get('a')).toBeUndefined();
    await store.delete('a');
    expect(await store.get('a')).toBeUndefined();

    const off = new EncryptedFileSecretStore(file, aesGcmCipher(key, { available: () => false }));
    expect(off.available()).toBe(false);
    expect(off.unavailableReason()).toMatch(/keychain/);
    await expect(off.set('b', 'x')).rejects.toBeInstanceOf(SecretsUnavailableError);
    expect(await readFile(file, 'utf8')).not.toContain('"b"');
  });
});

describe('site store', () => {
  function open(
    available = true,
    key = randomBytes(32),
  ): { sites: SiteStore; secrets: EncryptedFileSecretStore } {
    const secrets = new EncryptedFileSecretStore(
      join(dir, 'secrets.json'),
      aesGcmCipher(key, { available: () => available }),
    );
    return { secrets, sites: new SiteStore({ file: join(dir, 'sites.json'), secrets }) };
  }

  it('creates, edits, moves, duplicates, renames, searches and deletes; survives a restart', async () => {
    const key = randomBytes(32);
    const { sites, secrets } = open(true, key);
    const bad = await sites.createSite(site({ port: 0 }));
    expect(bad).toMatchObject({ ok: false, errors: [{ field: 'port' }] });

    const created = await sites.createSite(site(), { password: 's3cret' });
    if (!created.ok) throw new Error('not created');
    expect(created.site.hasPassword).toBe(true);
    expect(await readFile(join(dir, 'sites.json'), 'utf8')).not.toContain('s3cret');

    const folder = await sites.createFolder('Clients');
    const sub = await sites.createFolder('Acme', folder.id);
    // A new port would drop the password (trust-boundary.test.ts); a new name keeps it.
    const edited = await sites.updateSite(
      created.site.id,
      site({ name: 'Prod 2', comments: 'renamed' }),
    );
    expect(edited).toMatchObject({
      ok: true,
      site: { name: 'Prod 2', comments: 'renamed', hasPassword: true },
    });
    await sites.move(created.site.id, sub.id);
    await expect(sites.move(folder.id, sub.id)).rejects.toBeInstanceOf(SiteStoreError);
    const copy = await sites.duplicateSite(created.site.id);
    expect(copy.name).toBe('Prod 2 (copy)');
    expect(await secrets.get(secretKey(copy.id, 'password'))).toBe('s3cret');
    await sites.renameSite(copy.id, 'Staging');
    await sites.renameFolder(folder.id, 'Customers');
    expect((await sites.search('stag')).sites.map((s) => s.name)).toEqual(['Staging']);
    expect((await sites.search('acme')).folders.map((f) => f.name)).toEqual(['Acme']);

    // Restart: a new instance on the same folder.
    const again = open(true, key);
    const tree = await again.sites.tree();
    const moved = tree.sites.find((s) => s.id === created.site.id);
    expect(await again.sites.folderPath(moved?.parentId ?? null)).toEqual(['Customers', 'Acme']);
    expect(await again.secrets.get(secretKey(created.site.id, 'password'))).toBe('s3cret');

    // Switching to "ask" drops the stored password.
    const ask = await again.sites.updateSite(created.site.id, {
      ...site({ name: 'Prod 2', port: 2121 }),
      parentId: sub.id,
      logonType: 'ask',
    });
    expect(ask).toMatchObject({ ok: true, site: { hasPassword: false } });
    expect(await again.secrets.get(secretKey(created.site.id, 'password'))).toBeUndefined();

    await again.sites.deleteFolder(folder.id);
    expect((await again.sites.tree()).sites.map((s) => s.name)).toEqual([]);
    expect(await again.secrets.get(secretKey(copy.id, 'password'))).toBeUndefined();
  });

  it('saves the site but not the password without a keychain, and asks at connect time', async () => {
    const { sites, secrets } = open(false);
    const saved = await sites.createSite(site(), { password: 'nope' });
    expect(saved).toMatchObject({
      ok: true,
      site: { hasPassword: false },
    });
    if (!saved.ok) return;
    expect(saved.secretsWarning).toMatch(/keychain/);
    const resolved = await resolveSecrets(saved.site, secrets);
    expect(resolved).toMatchObject({ ok: false, prompt: { fields: ['password'] } });
    expect(resolved.ok ? '' : resolved.prompt.reason).toMatch(/cannot be saved/);
    expect(await resolveSecrets(saved.site, secrets, { password: 'typed' })).toEqual({
      ok: true,
      secrets: { password: 'typed' },
    });
  });

  it('sets a corrupt sites.json aside with a notice', async () => {
    await writeFile(
      join(dir, 'sites.json'),
      '{"schemaVersion":1,"data":{"folders":[],"sites":[{"id":1}]}}',
    );
    const { sites } = open();
    expect((await sites.tree()).sites).toEqual([]);
    expect((await sites.notice())?.setAsideAs).toMatch(/sites\.corrupt-.*\.json$/);
  });

  it('reads a sites.json from before the listing setting with the automatic choice', async () => {
    const old = {
      id: 's1',
      parentId: null,
      name: 'Old',
      host: 'ftp.example.com',
      port: 21,
      mode: 'explicit',
      logonType: 'normal',
      user: 'alice',
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
    };
    await writeFile(
      join(dir, 'sites.json'),
      JSON.stringify({ schemaVersion: 1, data: { folders: [], sites: [old] } }),
    );
    const { sites } = open();
    expect((await sites.tree()).sites[0]).toMatchObject({ name: 'Old', listCommand: 'auto' });
  });
});

describe('toConnectOptions', () => {
  it('builds engine options, reads certificate files, and names missing files', async () => {
    const secrets = new EncryptedFileSecretStore(join(dir, 's.json'), aesGcmCipher());
    const sites = new SiteStore({ file: join(dir, 'sites.json'), secrets });
    const ca = join(dir, 'ca.pem');
    // A real certificate: the loader checks that the CA file holds one (files/tls-material.ts).
    await writeFile(ca, (await getSharedCerts()).ca.certPem);
    const saved = await sites.createSite(
      site({
        mode: 'implicit',
        port: 990,
        transferMode: 'active',
        dataProtection: 'C',
        ccc: true,
        tlsMin: '1.3',
        caFile: ca,
        listCommand: 'list',
      }),
      { password: 'pw' },
    );
    if (!saved.ok) throw new Error('not saved');
    const resolved = await resolveSecrets(saved.site, secrets);
    if (!resolved.ok) throw new Error('no secrets');
    const options = await toConnectOptions(saved.site, resolved.secrets);
    expect(options).toMatchObject({
      host: 'ftp.example.com',
      port: 990,
      mode: 'implicit',
      user: 'alice',
      password: 'pw',
      dataProtection: 'C',
      ccc: true,
      listCommand: 'list',
      active: {},
      tls: { minVersion: '1.3', maxVersion: '1.3' },
    });
    expect(options.tls?.ca?.toString()).toContain('BEGIN CERTIFICATE');

    const missing = {
      ...saved.site,
      clientCertificate: {
        kind: 'pfx' as const,
        pfxFile: join(dir, 'nope.p12'),
        hasPassphrase: false,
      },
    };
    await expect(toConnectOptions(missing, {})).rejects.toMatchObject({
      detail: { kind: 'not-found', side: 'local', reason: 'the PKCS#12 file does not exist' },
    });
    const fileErrors = await checkSiteFiles(missing);
    expect(fileErrors.map((e) => e.field)).toEqual(['clientCertificate.pfxFile']);
    expect(fileErrors[0]?.message).toMatch(/does not exist/);
    const anonymous = await toConnectOptions(
      { ...saved.site, logonType: 'anonymous', caFile: null },
      {},
    );
    expect(anonymous).toMatchObject({ user: 'anonymous', password: 'anonymous@' });
  });
});

describe('pin store', () => {
  const pin = (host: string, fingerprint256: string): PinnedCertificate => ({
    host,
    port: 21,
    fingerprint256,
    pinnedAt: '2025-01-01T00:00:00.000Z',
    certificate: {
      subject: { CN: host, text: `CN=${host}` },
      issuer: { CN: host, text: `CN=${host}` },
      subjectAltNames: [],
      validFrom: '2024-01-01T00:00:00.000Z',
      validTo: '2030-01-01T00:00:00.000Z',
      expired: false,
      notYetValid: false,
      serialNumber: '01',
      publicKeyAlgorithm: 'rsa',
      signatureAlgorithm: 'sha256WithRSAEncryption',
      weakSignature: false,
      selfSigned: true,
      isCA: false,
      fingerprint256,
      fingerprint1: 'AA',
      rawBase64: 'AAAA',
    },
  });

  it('persists across instances, lists, removes, and serves the engine interface', async () => {
    const file = join(dir, 'pins.json');
    const store: PinStore = new PersistentPinStore(file);
    await store.set(pin('B.example', 'BB'));
    await store.set(pin('a.example', 'AA'));
    const reopened = new PersistentPinStore(file);
    expect((await reopened.get('b.EXAMPLE', 21))?.fingerprint256).toBe('BB');
    expect(await reopened.get('b.example', 990)).toBeUndefined();
    expect((await reopened.summaries()).map((s) => [s.host, s.subject, s.expired])).toEqual([
      ['a.example', 'CN=a.example', false],
      ['B.example', 'CN=B.example', false],
    ]);
    expect(await reopened.remove('b.example', 21)).toBe(true);
    expect(await new PersistentPinStore(file).get('b.example', 21)).toBeUndefined();
    // Same behaviour as the engine's in-memory store.
    const memory = memoryPinStore();
    await memory.set(pin('a.example', 'AA'));
    expect(await memory.get('A.example', 21)).toEqual(await reopened.get('A.example', 21));
  });

  it('reads the unversioned pinned-certificates format and sets a corrupt file aside', async () => {
    const legacy = join(dir, 'legacy.json');
    await writeFile(legacy, JSON.stringify({ 'a.example:21': pin('a.example', 'AA') }));
    expect((await new PersistentPinStore(legacy).get('a.example', 21))?.fingerprint256).toBe('AA');
    const broken = join(dir, 'pins.json');
    await writeFile(broken, '{"schemaVersion":1,"data":{"pins":[{"host":"x"}]}}');
    const store = new PersistentPinStore(broken);
    expect(await store.list()).toEqual([]);
    expect((await store.notice())?.reason).toMatch(/incomplete/);
  });
});

describe('settings store', () => {
  it('has defaults, validates, persists, and sets unknown files aside', async () => {
    const file = join(dir, 'settings.json');
    const store = new SettingsStore(file);
    expect((await store.get()).transferConcurrency).toBe('auto');
    await store.update({ theme: 'dark', confirm: { deleteLocal: false } });
    await expect(store.update({ transferConcurrency: 0 })).rejects.toBeInstanceOf(
      SettingsValidationError,
    );
    await expect(store.update({ transferConcurrency: 'many' as never })).rejects.toBeInstanceOf(
      SettingsValidationError,
    );
    const reopened = await new SettingsStore(file).get();
    expect(reopened).toMatchObject({
      theme: 'dark',
      transferConcurrency: 'auto',
      confirm: { deleteLocal: false, deleteRemote: true },
    });

    await writeFile(file, '{"schemaVersion":99,"data":{}}');
    const snapshot = await new SettingsStore(file).load();
    expect(snapshot.settings.theme).toBe('system');
    expect(snapshot.notice?.reason).toMatch(/newer Ferry/);
    await writeFile(file, 'garbage');
    expect((await new SettingsStore(file).load()).notice?.reason).toMatch(/not valid JSON/);
  });
});
