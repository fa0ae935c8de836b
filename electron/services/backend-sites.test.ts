import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultSiteInput } from '../../shared/sites';
import { createBackend, type Backend } from './backend';
import type { ConnectClient } from './remote-client';
import { aesGcmCipher } from './secrets/aes-cipher';

const refuse: ConnectClient = () => Promise.reject(new Error('no network in this test'));
const dirs: string[] = [];
const backends: Backend[] = [];

async function make(options: { available?: boolean; dataDir?: string } = {}) {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'ferry-backend-')));
  if (!options.dataDir) dirs.push(dataDir);
  const events: string[] = [];
  const backend = createBackend({
    dataDir,
    emit: (event) => void events.push(event),
    connectClient: refuse,
    runtime: 'bridge',
    version: '0.0.0',
    platform: process.platform,
    secretCipher: aesGcmCipher(undefined, { available: () => options.available ?? true }),
  });
  backends.push(backend);
  return { backend, dataDir, events };
}

afterEach(async () => {
  for (const backend of backends.splice(0)) await backend.dispose();
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

const site = { ...defaultSiteInput(), name: 'Harbour', host: 'ftp.example.com', user: 'alice' };

describe('backend: sites, secrets, pins and settings over dispatch', () => {
  it('saves a site with its password encrypted, and asks at connect time for an ask-each-time site', async () => {
    const { backend, dataDir, events } = await make();
    const saved = await backend.dispatch('createSite', [site, { password: 's3cret' }]);
    expect(saved).toMatchObject({ ok: true, value: { ok: true, site: { hasPassword: true } } });
    expect(events).toContain('sites');
    expect(await readFile(join(dataDir, 'sites.json'), 'utf8')).not.toContain('s3cret');
    expect(await readFile(join(dataDir, 'secrets.json'), 'utf8')).not.toContain('s3cret');

    const ask = await backend.dispatch('createSite', [
      { ...site, name: 'Ask', logonType: 'ask' },
      {},
    ]);
    const askId = (ask as { value: { site: { id: string } } }).value.site.id;
    const result = await backend.dispatch('connectSite', [askId, {}]);
    expect(result).toMatchObject({
      ok: true,
      value: { status: 'needs-secrets', prompt: { fields: ['password'] } },
    });
    // With the password typed, the connection is attempted (and fails here: no network).
    expect(await backend.dispatch('connectSite', [askId, { password: 'typed' }])).toMatchObject({
      ok: false,
    });
  });

  it('without a keychain keeps the site, drops the password and says why at connect time', async () => {
    const { backend } = await make({ available: false });
    const snapshot = await backend.dispatch('getSites', []);
    expect(snapshot).toMatchObject({ ok: true, value: { secrets: { available: false } } });
    const saved = await backend.dispatch('createSite', [site, { password: 's3cret' }]);
    expect(saved).toMatchObject({ ok: true, value: { ok: true, site: { hasPassword: false } } });
    expect((saved as { value: { secretsWarning?: string } }).value.secretsWarning).toMatch(
      /keychain/,
    );
    const id = (saved as { value: { site: { id: string } } }).value.site.id;
    const result = await backend.dispatch('connectSite', [id, {}]);
    expect(result).toMatchObject({ ok: true, value: { status: 'needs-secrets' } });
    expect(JSON.stringify(result)).toMatch(/cannot be saved/);
  });

  it('refuses invalid arguments before a store sees them', async () => {
    const { backend } = await make();
    const result = await backend.dispatch('createSite', [{ ...site, extra: true }, {}]);
    expect(result).toMatchObject({ ok: false, error: { kind: 'usage' } });
    expect(await backend.dispatch('getSites', [])).toMatchObject({
      ok: true,
      value: { tree: { sites: [] } },
    });
  });

  it('moves pins of the old file to pins.json, lists, shows and removes them', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'ferry-backend-'));
    dirs.push(dataDir);
    const certificate = {
      fingerprint256: 'AA:BB',
      subject: { text: 'CN=old.example' },
      issuer: { text: 'CN=old.example' },
      validTo: '2030-01-01T00:00:00.000Z',
    };
    await writeFile(
      join(dataDir, 'pinned-certificates.json'),
      JSON.stringify({
        'old.example:21': {
          host: 'old.example',
          port: 21,
          fingerprint256: 'AA:BB',
          certificate,
          pinnedAt: '2026-01-01T00:00:00.000Z',
        },
      }),
    );
    const { backend } = await make({ dataDir });
    expect(await backend.dispatch('listPins', [])).toMatchObject({
      ok: true,
      value: [{ host: 'old.example', port: 21, subject: 'CN=old.example', expired: false }],
    });
    expect(await backend.dispatch('getPinnedCertificate', ['old.example', 21])).toMatchObject({
      ok: true,
      value: { host: 'old.example', port: 21, certificate: { fingerprint256: 'AA:BB' } },
    });
    expect(await backend.dispatch('removePin', ['old.example', 21])).toEqual({
      ok: true,
      value: [],
    });
  });

  it('updates settings and reports a corrupt settings file as a notice', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'ferry-backend-'));
    dirs.push(dataDir);
    await writeFile(join(dataDir, 'settings.json'), '{ not json');
    const { backend, events } = await make({ dataDir });
    const snapshot = await backend.dispatch('getSettings', []);
    expect(snapshot).toMatchObject({ ok: true, value: { settings: { theme: 'system' } } });
    expect(JSON.stringify(snapshot)).toMatch(/"notices":\[\{"file":"[^"]*settings/);
    expect(await backend.dispatch('updateSettings', [{ theme: 'dark' }])).toMatchObject({
      ok: true,
      value: { theme: 'dark' },
    });
    expect(events).toContain('settings');
  });
});
