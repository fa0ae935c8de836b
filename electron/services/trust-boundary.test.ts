/**
 * What a compromised renderer can do through `dispatch` (the exact path IPC takes), and what it
 * cannot: stored passwords stay with the host, port, user and mode they were saved for; exports
 * with passwords go only where the main-process save dialog says; trust answers only count for a
 * prompt main raised, once.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { InsecurePrompt, PickFileOptions } from '../../shared/ipc';
import type { CertificateReport, TrustDecision } from '../../shared/models';
import { defaultSiteInput, type SiteInput } from '../../shared/sites';
import { FerryError } from '../engine/errors';
import type { ConnectOptions } from '../engine/types';
import { createBackend, type Backend, type BackendOptions } from './backend';
import type { ConnectClient, RemoteClient } from './remote-client';
import { aesGcmCipher } from './secrets/aes-cipher';

const dirs: string[] = [];
const backends: Backend[] = [];

/** Records what each connection attempt would have sent, then fails it (no network here). */
function recordingClient(seen: ConnectOptions[]): ConnectClient {
  return (options) => {
    seen.push(options);
    return Promise.reject(
      new FerryError({ kind: 'closed', step: 'connect', reason: 'test: no server' }),
    );
  };
}

async function make(extra: Partial<BackendOptions> = {}) {
  const dataDir = await mkdtemp(join(tmpdir(), 'ferry-boundary-'));
  dirs.push(dataDir);
  const events: Array<{ event: string; payload: unknown }> = [];
  const seen: ConnectOptions[] = [];
  const backend = createBackend({
    dataDir,
    emit: (event, payload) => void events.push({ event, payload }),
    connectClient: recordingClient(seen),
    runtime: 'bridge',
    version: '0.0.0',
    platform: process.platform,
    secretCipher: aesGcmCipher(),
    ...extra,
  });
  backends.push(backend);
  return { backend, dataDir, events, seen };
}

afterEach(async () => {
  for (const backend of backends.splice(0)) await backend.dispose();
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

const base: SiteInput = {
  ...defaultSiteInput(),
  name: 'Harbour',
  host: 'ftp.example.com',
  user: 'alice',
};

async function savedSite(backend: Backend): Promise<string> {
  const saved = await backend.dispatch('createSite', [base, { password: 's3cret' }]);
  expect(saved).toMatchObject({ ok: true, value: { ok: true, site: { hasPassword: true } } });
  return (saved as { value: { site: { id: string } } }).value.site.id;
}

describe('a stored password is released only where it was entered', () => {
  it('reaches the host it was saved for', async () => {
    const { backend, seen } = await make();
    const id = await savedSite(backend);
    await backend.dispatch('connectSite', [id, {}]);
    expect(seen.map((o) => [o.host, o.password])).toEqual([['ftp.example.com', 's3cret']]);
  });

  const changes: Array<[string, Partial<SiteInput>]> = [
    ['host', { host: 'evil.example.net' }],
    ['port', { port: 2121 }],
    ['user', { user: 'mallory' }],
    ['security mode', { mode: 'plain' }],
    ['trusted CA file', { caFile: '/tmp/attacker-ca.pem' }],
  ];
  for (const [what, change] of changes) {
    it(`is dropped when the site's ${what} changes, and the save says so`, async () => {
      const { backend, seen, dataDir } = await make();
      const id = await savedSite(backend);
      const updated = await backend.dispatch('updateSite', [id, { ...base, ...change }, {}]);
      expect(updated).toMatchObject({
        ok: true,
        value: { ok: true, site: { hasPassword: false } },
      });
      expect((updated as { value: { secretsWarning?: string } }).value.secretsWarning).toMatch(
        /^removed because the .* changed/,
      );
      const result = await backend.dispatch('connectSite', [id, {}]);
      expect(result).toMatchObject({ ok: true, value: { status: 'needs-secrets' } });
      expect(seen).toEqual([]);
      expect(await readFile(join(dataDir, 'secrets.json'), 'utf8')).not.toMatch(/password"/);
    });
  }

  it('is kept when other fields change, and a new password typed with the change is stored', async () => {
    const { backend, seen } = await make();
    const id = await savedSite(backend);
    await backend.dispatch('updateSite', [id, { ...base, comments: 'moved folders' }, {}]);
    await backend.dispatch('connectSite', [id, {}]);
    await backend.dispatch('updateSite', [
      id,
      { ...base, host: 'ftp2.example.com' },
      { password: 'n3w' },
    ]);
    await backend.dispatch('connectSite', [id, {}]);
    expect(seen.map((o) => [o.host, o.password])).toEqual([
      ['ftp.example.com', 's3cret'],
      ['ftp2.example.com', 'n3w'],
    ]);
  });

  it('a duplicate pointed elsewhere does not carry the password along', async () => {
    const { backend, seen } = await make();
    const id = await savedSite(backend);
    const copy = await backend.dispatch('duplicateSite', [id]);
    const copyId = (copy as { value: { id: string } }).value.id;
    await backend.dispatch('updateSite', [copyId, { ...base, host: 'evil.example.net' }, {}]);
    expect(await backend.dispatch('connectSite', [copyId, {}])).toMatchObject({
      ok: true,
      value: { status: 'needs-secrets' },
    });
    expect(seen).toEqual([]);
  });
});

describe('exporting with passwords', () => {
  it('refuses a path from the renderer and writes nothing', async () => {
    const { backend, dataDir } = await make();
    await savedSite(backend);
    const target = join(dataDir, 'loot.json');
    const result = await backend.dispatch('exportSites', [target, true]);
    expect(result).toMatchObject({ ok: false, error: { kind: 'usage' } });
    expect(JSON.stringify(result)).toMatch(/save dialog/);
    expect(existsSync(target)).toBe(false);
  });

  it('writes to the file chosen in the main-process save dialog, or nowhere when cancelled', async () => {
    const asked: PickFileOptions[] = [];
    let answer: string | null = null;
    const { backend, dataDir } = await make({
      pickFile: (options) => {
        asked.push(options);
        return Promise.resolve(answer);
      },
    });
    await savedSite(backend);
    expect(await backend.dispatch('exportSites', [null, true])).toEqual({ ok: true, value: null });
    answer = join(dataDir, 'chosen.json');
    expect(await backend.dispatch('exportSites', [null, true])).toEqual({
      ok: true,
      value: answer,
    });
    expect(asked).toHaveLength(2);
    expect(asked[0]).toMatchObject({ save: true, extensions: ['json'] });
    expect(asked[0]?.title).toMatch(/password/i);
    expect(await readFile(answer, 'utf8')).toContain('s3cret');
  });

  it('without passwords still takes a typed path (nothing secret leaves)', async () => {
    const { backend, dataDir } = await make();
    await savedSite(backend);
    const target = join(dataDir, 'plain.json');
    expect(await backend.dispatch('exportSites', [target, false])).toEqual({
      ok: true,
      value: target,
    });
    const text = await readFile(target, 'utf8');
    expect(text).toContain('ftp.example.com');
    expect(text).not.toContain('s3cret');
  });
});

const report: CertificateReport = {
  host: '127.0.0.1',
  port: 2121,
  chain: [
    {
      subject: { text: 'CN=x' },
      issuer: { text: 'CN=x' },
      subjectAltNames: [],
      validFrom: '2020-01-01T00:00:00.000Z',
      validTo: '2021-01-01T00:00:00.000Z',
      expired: true,
      notYetValid: false,
      serialNumber: '01',
      publicKeyAlgorithm: 'EC',
      signatureAlgorithm: 'ecdsa-with-SHA256',
      weakSignature: false,
      selfSigned: true,
      isCA: false,
      fingerprint256: 'AA:BB',
      fingerprint1: 'AA',
      rawBase64: '',
    },
  ],
  session: { protocol: 'TLSv1.3', cipher: 'TLS_AES_128_GCM_SHA256' },
  verdict: { status: 'untrusted', reasons: ['self-signed', 'expired'], detail: 'x' },
};

describe('trust answers', () => {
  it('count only for the prompt main raised, and only once', async () => {
    const decisions: TrustDecision[] = [];
    const { backend, events } = await make({
      connectClient: async (options) => {
        decisions.push(await options.decideTrust!(report));
        throw new FerryError({ kind: 'closed', step: 'connect', reason: 'test: stop here' });
      },
    });
    expect(await backend.dispatch('answerTrust', ['made-up-id', 'always'])).toMatchObject({
      ok: false,
      error: { kind: 'usage' },
    });
    const connecting = backend.dispatch('connect', [
      { host: '127.0.0.1', port: 2121, mode: 'explicit', user: 'u', password: 'p' },
    ]);
    await expect.poll(() => events.some((e) => e.event === 'trustPrompt')).toBe(true);
    const prompt = events.find((e) => e.event === 'trustPrompt')?.payload as { promptId: string };
    expect(await backend.dispatch('answerTrust', [prompt.promptId, 'once'])).toEqual({
      ok: true,
      value: null,
    });
    expect(await backend.dispatch('answerTrust', [prompt.promptId, 'always'])).toMatchObject({
      ok: false,
    });
    await connecting;
    expect(decisions).toEqual(['once']);
    expect(await backend.pins.summaries()).toEqual([]);
  });
});

describe('a keychain that is not one', () => {
  const basicText = () => ({ ...aesGcmCipher(), getSelectedStorageBackend: () => 'basic_text' });

  it('basic_text: nothing is stored, the password is asked at connect, and the reason is given', async () => {
    const { backend, dataDir, seen } = await make({ secretCipher: basicText() });
    const sites = await backend.dispatch('getSites', []);
    expect(sites).toMatchObject({ ok: true, value: { secrets: { available: false } } });
    expect(JSON.stringify(sites)).toMatch(/basic_text/);
    const settings = await backend.dispatch('getSettings', []);
    expect(settings).toMatchObject({ ok: true, value: { secrets: { available: false } } });
    expect(JSON.stringify(settings)).toMatch(/basic_text/);

    const saved = await backend.dispatch('createSite', [base, { password: 's3cret' }]);
    expect(saved).toMatchObject({ ok: true, value: { ok: true, site: { hasPassword: false } } });
    expect((saved as { value: { secretsWarning?: string } }).value.secretsWarning).toMatch(
      /basic_text/,
    );
    expect(existsSync(join(dataDir, 'secrets.json'))).toBe(false);
    const id = (saved as { value: { site: { id: string } } }).value.site.id;
    const result = await backend.dispatch('connectSite', [id, {}]);
    expect(result).toMatchObject({ ok: true, value: { status: 'needs-secrets' } });
    expect(JSON.stringify(result)).toMatch(/basic_text/);
    expect(seen).toEqual([]);
  });

  for (const backendName of ['gnome_libsecret', 'kwallet5']) {
    it(`${backendName}: passwords are stored`, async () => {
      const { backend } = await make({
        secretCipher: { ...aesGcmCipher(), getSelectedStorageBackend: () => backendName },
      });
      const saved = await backend.dispatch('createSite', [base, { password: 's3cret' }]);
      expect(saved).toMatchObject({ ok: true, value: { ok: true, site: { hasPassword: true } } });
    });
  }
});

describe('a plain-FTP answer lasts one session', () => {
  it('is asked again after the connection was lost, not carried into the next connect', async () => {
    const closers: Array<(error?: FerryError) => void> = [];
    const answers: boolean[] = [];
    const { backend, events } = await make({
      connectClient: async (options) => {
        answers.push(
          await options.decideInsecure!({
            host: options.host,
            port: options.port ?? 21,
            reason: 'test: AUTH refused',
          }),
        );
        return {
          report: undefined,
          security: {
            mode: options.mode,
            dataProtection: 'none',
            insecureFallback: true,
            cccActive: false,
          },
          dataConnections: [],
          onClose: (listener: (error?: FerryError) => void) => void closers.push(listener),
          pwd: () => Promise.resolve('/'),
          close: () => Promise.resolve(),
        } as unknown as RemoteClient;
      },
    });
    const prompts = () =>
      events.filter((e) => e.event === 'insecurePrompt').map((e) => e.payload as InsecurePrompt);
    const request = {
      host: '127.0.0.1',
      port: 2121,
      mode: 'explicit-if-available',
      user: 'u',
      password: 'p',
    };
    const first = backend.dispatch('connect', [request]);
    await expect.poll(() => prompts().length).toBe(1);
    await backend.dispatch('answerInsecure', [prompts()[0]?.promptId, 'continue']);
    expect(await first).toMatchObject({ ok: true, value: { status: 'connected' } });
    // The server drops the connection; the user connects again.
    closers[0]?.(new FerryError({ kind: 'closed', step: 'read', reason: 'test: dropped' }));
    const second = backend.dispatch('connect', [request]);
    await expect.poll(() => prompts().length).toBe(2);
    await backend.dispatch('answerInsecure', [prompts()[1]?.promptId, 'cancel']);
    await second;
    expect(answers).toEqual([true, false]);
  });
});
