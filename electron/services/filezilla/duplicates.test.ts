import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultSiteInput, secretKey } from '../../../shared/sites';
import { aesGcmCipher } from '../secrets/aes-cipher';
import { EncryptedFileSecretStore, UnavailableSecretStore } from '../secrets/secret-store';
import { SiteStore } from '../sites/site-store';
import { markDuplicates } from './duplicates';
import { applyImport, readImport } from './import';

const sitemanager = join(import.meta.dirname, 'fixtures', 'sitemanager.xml');
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ferry-fz-dup-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function store(): { sites: SiteStore; secrets: EncryptedFileSecretStore } {
  const secrets = new EncryptedFileSecretStore(
    join(dir, 'secrets.json'),
    aesGcmCipher(randomBytes(32)),
  );
  return { secrets, sites: new SiteStore({ file: join(dir, 'sites.json'), secrets }) };
}

const TOP = 'Top level (TLS if available)';

describe('FileZilla re-import: duplicates', () => {
  it('a second import of the same file skips every site by default and says so', async () => {
    const { sites } = store();
    const first = await applyImport(await readImport(sitemanager), { sites });
    expect(first.sites.map((s) => s.outcome)).toEqual(Array(7).fill('added'));
    expect(first.sites.every((s) => s.duplicateOf === undefined)).toBe(true);

    const pending = await readImport(sitemanager);
    // The preview marks them before anything is written.
    const preview = markDuplicates(pending.report.sites, await sites.tree());
    expect(preview.every((s) => s.duplicateOf?.reason === 'same-server')).toBe(true);
    expect(
      preview.find((s) => s.name === 'Acme production (master password)')?.duplicateOf,
    ).toEqual({
      name: 'Acme production (master password)',
      folder: ['Clients', 'Acme & Co'],
      reason: 'same-server',
    });

    const again = await applyImport(pending, { sites });
    expect(again.sites.map((s) => s.outcome)).toEqual(Array(7).fill('skipped'));
    expect((await sites.tree()).sites).toHaveLength(7);
  });

  it('keep both adds a second copy under a free name', async () => {
    const { sites } = store();
    await applyImport(await readImport(sitemanager), { sites });
    const report = await applyImport(await readImport(sitemanager), {
      sites,
      duplicates: 'keep-both',
    });
    expect(report.sites.map((s) => s.outcome)).toEqual(Array(7).fill('kept-both'));
    const tree = await sites.tree();
    expect(tree.sites).toHaveLength(14);
    expect(tree.sites.filter((s) => s.name === `${TOP} (2)`)).toHaveLength(1);
    expect(report.sites.find((s) => s.name === TOP)?.notes).toContain(`Saved as "${TOP} (2)".`);
  });

  it('replace updates the existing site in place (same id, same folder)', async () => {
    const { sites } = store();
    await applyImport(await readImport(sitemanager), { sites });
    const before = (await sites.tree()).sites.find((s) => s.name === TOP);
    if (!before) throw new Error('no site');
    // The user changed something since; the file's version comes back.
    const { id, createdAt, updatedAt, hasPassword, ...input } = before;
    void createdAt;
    void updatedAt;
    void hasPassword;
    await sites.updateSite(id, { ...input, comments: 'edited in Ferry', remoteDir: '/elsewhere' });
    const report = await applyImport(await readImport(sitemanager), {
      sites,
      duplicates: 'replace',
    });
    expect(report.sites.find((s) => s.name === TOP)?.outcome).toBe('replaced');
    const tree = await sites.tree();
    expect(tree.sites).toHaveLength(7);
    const after = tree.sites.find((s) => s.id === id);
    expect(after?.remoteDir).toBe('/home/with space');
    expect(after?.parentId).toBe(before.parentId);
  });

  it('a site with the same name in the same folder is a duplicate even for another server', async () => {
    const { sites } = store();
    await sites.createSite({
      ...defaultSiteInput(),
      name: TOP,
      host: 'other.example.org',
      user: 'someone',
    });
    const pending = await readImport(sitemanager);
    const marked = markDuplicates(pending.report.sites, await sites.tree());
    expect(marked.find((s) => s.name === TOP)?.duplicateOf?.reason).toBe('same-name');
    expect(marked.filter((s) => s.duplicateOf)).toHaveLength(1);
  });
});

describe('FileZilla import: the summary says what the secret store holds', () => {
  it('password stored: yes only where the secret store has it', async () => {
    const { sites, secrets } = store();
    const report = await applyImport(await readImport(sitemanager), { sites });
    const top = report.sites.find((s) => s.name === TOP);
    expect(top).toMatchObject({ passwordIncluded: true, passwordStored: true });
    const saved = (await sites.tree()).sites.find((s) => s.name === TOP);
    expect(await secrets.get(secretKey(saved?.id ?? '', 'password'))).toBe('p4ss wörd');
    // Master-password protected: nothing came along, nothing stored.
    expect(report.sites.find((s) => s.name.startsWith('Acme production'))).toMatchObject({
      passwordIncluded: false,
      passwordStored: false,
    });
  });

  it('a password in the file but no keychain: not stored, and the summary says so', async () => {
    const sites = new SiteStore({
      file: join(dir, 'sites.json'),
      secrets: new UnavailableSecretStore('no keychain here'),
    });
    const report = await applyImport(await readImport(sitemanager), { sites });
    const withPassword = report.sites.filter((s) => s.passwordIncluded);
    expect(withPassword.length).toBeGreaterThan(0);
    for (const site of withPassword) {
      expect(site.passwordStored).toBe(false);
      expect(site.notes.join(' ')).toMatch(/Password not stored/);
    }
  });
});
