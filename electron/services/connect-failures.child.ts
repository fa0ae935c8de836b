// Run by connect-failures.servers.test.ts as its own Node process, under Node's default
// `--unhandled-rejections=throw`: a promise left rejected by a failed connect kills this process,
// as it would kill the app's main process. For each target it connects through the engine
// (FtpsClient.connect and probeCertificate) and through the services the renderer uses
// (backend `dispatch('connect')`), then stays alive longer than the connect timeout, so a timer
// armed before TCP or TLS failed gets to fire. It prints one JSON line with what each path
// reported, and exits 0 only if it got that far.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FerryErrorDetail } from '../../shared/errors';
import type { TrustPrompt } from '../../shared/ipc';
import type { SecurityMode } from '../../shared/models';
import { FtpsClient } from '../engine/client';
import { FerryError } from '../engine/errors';
import { createBackend, type Backend } from './backend';
import { connectFtps } from './engine-client';

export interface ChildTarget {
  label: string;
  port: number;
  mode: Extract<SecurityMode, 'explicit' | 'implicit'>;
}

export interface ChildOutcome {
  label: string;
  path: 'engine connect' | 'engine probe' | 'services connect';
  /** The error detail, or null when the connection unexpectedly succeeded. */
  error: (FerryErrorDetail & { message: string }) | null;
}

const CONNECT_SECONDS = 1;

async function engineOutcome(
  label: string,
  path: ChildOutcome['path'],
  attempt: () => Promise<unknown>,
): Promise<ChildOutcome> {
  try {
    await attempt();
    return { label, path, error: null };
  } catch (error) {
    if (!(error instanceof FerryError)) throw error;
    return { label, path, error: { ...error.detail, message: error.message } };
  }
}

async function main(): Promise<void> {
  const targets = JSON.parse(process.argv[2] ?? '[]') as ChildTarget[];
  const dataDir = await mkdtemp(join(tmpdir(), 'ferry-connect-failures-'));
  const backend: Backend = createBackend({
    dataDir,
    // The user trusts the self-signed test certificate, as in the app's prompt.
    emit: (event, payload) => {
      if (event === 'trustPrompt') {
        void backend.dispatch('answerTrust', [(payload as TrustPrompt).promptId, 'once']);
      }
    },
    connectClient: connectFtps,
    runtime: 'bridge',
    version: '0.0.0',
    platform: process.platform,
  });
  const outcomes: ChildOutcome[] = [];
  try {
    const patched = await backend.dispatch('updateSettings', [
      { timeouts: { connectSeconds: CONNECT_SECONDS, replySeconds: 2, dataIdleSeconds: 2 } },
    ]);
    if (!patched.ok) throw new Error(`updateSettings failed: ${JSON.stringify(patched.error)}`);
    for (const target of targets) {
      const options = {
        host: '127.0.0.1',
        port: target.port,
        mode: target.mode,
        user: 'nobody',
        password: 'not-sent',
        keepaliveMs: 0,
        timeouts: { connectMs: CONNECT_SECONDS * 1000 },
        decideTrust: () => Promise.resolve('once' as const),
      };
      outcomes.push(
        await engineOutcome(target.label, 'engine connect', () => FtpsClient.connect(options)),
        await engineOutcome(target.label, 'engine probe', () =>
          FtpsClient.probeCertificate(options),
        ),
      );
      const result = await backend.dispatch('connect', [
        {
          host: '127.0.0.1',
          port: target.port,
          mode: target.mode,
          user: 'nobody',
          password: 'not-sent',
        },
      ]);
      outcomes.push({
        label: target.label,
        path: 'services connect',
        error: result.ok ? null : { ...result.error, message: describe(result.error) },
      });
    }
    // Longer than the connect timeout: a greeting timer armed before the failure fires now.
    await new Promise((resolve) => setTimeout(resolve, CONNECT_SECONDS * 1000 + 1500));
  } finally {
    await backend.dispose();
    await rm(dataDir, { recursive: true, force: true });
  }
  process.stdout.write(`${JSON.stringify(outcomes)}\n`);
}

function describe(detail: FerryErrorDetail): string {
  return new FerryError(detail).message;
}

await main();
