/**
 * No silent downgrade, through `dispatch` against a real vsftpd without TLS: "explicit if
 * available" stops before USER and asks; Cancel sends nothing; Continue logs in and the session
 * says it is not encrypted; "remember for this site" skips the question next time, for that site.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import type { InsecureDecision, InsecurePrompt, SessionState } from '../../shared/ipc';
import { defaultSiteInput } from '../../shared/sites';
import { startServer, stopAll, type RunningServer } from '../../test/servers/servers';
import { createBackend, type Backend } from './backend';
import { connectFtps } from './engine-client';
import { aesGcmCipher } from './secrets/aes-cipher';

let server: RunningServer;
const cleanups: Array<() => Promise<void>> = [];

beforeAll(async () => {
  server = await startServer({ kind: 'vsftpd', mode: 'explicit', tlsMax: '1.3', plain: true });
});
afterAll(stopAll);
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const USER_SENT = /FTP command: .*"USER /;

/** A backend whose plain-FTP prompts are answered with `answer`, recording the log at that time. */
async function make(answer: InsecureDecision) {
  const dataDir = await mkdtemp(join(tmpdir(), 'ferry-plain-'));
  const prompts: Array<{ prompt: InsecurePrompt; logAtPrompt: string }> = [];
  const backend: Backend = createBackend({
    dataDir,
    emit: (event, payload) => {
      if (event !== 'insecurePrompt') return;
      const prompt = payload as InsecurePrompt;
      void server.readLog({ sinceReady: true }).then(async (logAtPrompt) => {
        prompts.push({ prompt, logAtPrompt });
        await backend.dispatch('answerInsecure', [prompt.promptId, answer]);
      });
    },
    connectClient: connectFtps,
    runtime: 'bridge',
    version: '0.0.0',
    platform: process.platform,
    secretCipher: aesGcmCipher(),
  });
  cleanups.push(async () => {
    await backend.dispose();
    await rm(dataDir, { recursive: true, force: true });
  });
  return { backend, prompts };
}

const quick = () => ({
  host: server.host,
  port: server.port,
  mode: 'explicit-if-available' as const,
  user: server.user,
  password: server.password,
});

it('Cancel (the default answer) stops before USER: nothing of the login is sent', async () => {
  const before = (await server.readLog()).length;
  const { backend, prompts } = await make('cancel');
  const result = await backend.dispatch('connect', [quick()]);
  expect(result).toMatchObject({ ok: false, error: { kind: 'insecure-refused' } });
  expect(prompts).toHaveLength(1);
  expect(prompts[0]?.prompt).toMatchObject({ host: server.host, port: server.port });
  expect(prompts[0]?.prompt.siteName).toBeUndefined();
  expect((await server.readLog()).slice(before)).not.toMatch(USER_SENT);
});

it('Continue is asked before USER, then logs in and the session says it is not encrypted', async () => {
  const { backend, prompts } = await make('continue');
  const result = await backend.dispatch('connect', [quick()]);
  expect(result).toMatchObject({
    ok: true,
    value: { status: 'connected', security: { insecureFallback: true, dataProtection: 'none' } },
  });
  expect(prompts).toHaveLength(1);
  // The log read when the question arrived: AUTH refused, no USER yet.
  const at = prompts[0]?.logAtPrompt ?? '';
  expect(at.slice(at.lastIndexOf('"AUTH TLS"'))).not.toMatch(USER_SENT);
  expect(at).toMatch(/"AUTH TLS"/);
  const listing = await backend.dispatch('listRemote', []);
  expect(listing).toMatchObject({ ok: true });
});

it('"remember for this site" is kept for that site only while its host, port and mode stay', async () => {
  const { backend, prompts } = await make('always');
  const saved = await backend.dispatch('createSite', [
    {
      ...defaultSiteInput(),
      name: 'Old box',
      host: server.host,
      port: server.port,
      mode: 'explicit-if-available',
      user: server.user,
    },
    { password: server.password },
  ]);
  const id = (saved as { value: { site: { id: string } } }).value.site.id;
  const first = await backend.dispatch('connectSite', [id, {}]);
  expect(first).toMatchObject({ ok: true, value: { status: 'session' } });
  expect(prompts.map((p) => p.prompt.siteName)).toEqual(['Old box']);
  await backend.dispatch('disconnect', []);

  const again = await backend.dispatch('connectSite', [id, {}]);
  expect(again).toMatchObject({
    ok: true,
    value: { session: { status: 'connected', security: { insecureFallback: true } } },
  });
  expect(prompts).toHaveLength(1);
  await backend.dispatch('disconnect', []);

  expect(await backend.dispatch('getSites', [])).toMatchObject({
    ok: true,
    value: { plainFallback: [id] },
  });
  // Moving the site (another port) voids the answer; so does "Ask again".
  await backend.dispatch('updateSite', [
    id,
    {
      ...defaultSiteInput(),
      name: 'Old box',
      host: server.host,
      port: server.port + 1,
      mode: 'explicit-if-available',
      user: server.user,
    },
    {},
  ]);
  expect(await backend.dispatch('getSites', [])).toMatchObject({ value: { plainFallback: [] } });
  expect(await backend.dispatch('forgetPlainFallback', [id])).toEqual({ ok: true, value: [] });

  // Quick connect to the same server is not covered by the site's answer.
  const quickResult = await backend.dispatch('connect', [quick()]);
  expect((quickResult as { value: SessionState }).value.status).toBe('connected');
  expect(prompts).toHaveLength(2);
});
