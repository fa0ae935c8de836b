// Shared by the tests that run the built `ferry` (out/cli/ferry.mjs) as a child process against
// the real servers of test/servers.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect } from 'vitest';
import type { CertificateReport, DataConnectionRecord, RemoteEntry } from '../../shared/models';
import { stopAll, type RunningServer } from '../servers/servers';
import { assertServersAllowed } from '../servers/lane';
import type { CliIo } from '../../electron/cli/io';
import { runCli } from '../../electron/cli/run';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));
export const BUNDLE = join(REPO, 'out', 'cli', 'ferry.mjs');

/** `result` of the single-file commands (ls, get, put, cert). */
export interface SingleResult {
  entries?: RemoteEntry[];
  bytes?: number;
  sha256?: string;
  remotePath?: string;
  localPath?: string;
  verdict?: CertificateReport['verdict'];
}

export interface FerryJson<Result extends object = SingleResult> {
  exitCode: number;
  command: string | null;
  control: { protocol?: string; cipher?: string; mode: string } | null;
  certificate: CertificateReport | null;
  dataConnections: DataConnectionRecord[];
  result: Result | null;
  error?: { kind: string; message: string; fingerprint256?: string };
}

export interface FerryRun<Result extends object = SingleResult> {
  code: number | null;
  stdout: string;
  stderr: string;
  json: FerryJson<Result> | undefined;
}

/** Builds the bundle exactly as `npm install` does (the build replaces the files atomically). */
export async function buildBundle(): Promise<void> {
  const build = await new Promise<{ code: number | null; output: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [join(REPO, 'scripts', 'build-cli.mjs')], {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
  expect(build.code, build.output).toBe(0);
  expect(existsSync(BUNDLE)).toBe(true);
}

/**
 * The set-up every CLI test file shares: the bundle is built before its tests, and servers and a
 * temporary folder are removed after them. Returns a maker of fresh local folders inside it.
 */
export function setUpCliTests(prefix: string): (name: string) => Promise<string> {
  let work: string | undefined;
  beforeAll(async () => {
    await buildBundle();
    work = await mkdtemp(join(tmpdir(), prefix));
  });
  afterAll(async () => {
    await stopAll();
    if (work) await rm(work, { recursive: true, force: true });
  });
  return (name) => {
    if (!work) throw new Error('setUpCliTests: no folder before beforeAll ran');
    return mkdtemp(join(work, name));
  };
}

/** Runs `ferry` with pipes for stdout and stderr (so not a terminal) and FERRY_PASSWORD empty. */
export function ferry<Result extends object = SingleResult>(
  args: string[],
  options: { env?: Record<string, string>; cwd?: string } = {},
): Promise<FerryRun<Result>> {
  assertServersAllowed('a ferry child process');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BUNDLE, ...args], {
      cwd: options.cwd ?? REPO,
      env: { ...process.env, FERRY_PASSWORD: '', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      let json: FerryJson<Result> | undefined;
      if (args.includes('--json')) {
        try {
          json = JSON.parse(stdout) as FerryJson<Result>;
        } catch {
          json = undefined;
        }
      }
      resolve({ code, stdout, stderr, json });
    });
  });
}

export function describeRun(run: FerryRun<object>): string {
  return `exit ${run.code}\nstdout: ${run.stdout.slice(0, 2000)}\nstderr: ${run.stderr.slice(0, 2000)}`;
}

export function expectExit<Result extends object>(
  run: FerryRun<Result>,
  code: number,
): FerryJson<Result> {
  expect(run.code, describeRun(run)).toBe(code);
  if (run.json) expect(run.json.exitCode).toBe(code);
  return run.json as FerryJson<Result>;
}

export function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** `ftpes://user:password@127.0.0.1:port/` (or `ftps://`), ending with a slash. */
export function baseUrl(
  server: RunningServer,
  credentials: 'user' | 'user:password' = 'user:password',
): string {
  const scheme = server.mode === 'implicit' ? 'ftps' : 'ftpes';
  const auth =
    credentials === 'user' ? server.user : `${server.user}:${encodeURIComponent(server.password)}`;
  return `${scheme}://${auth}@${server.host}:${server.port}/`;
}

/** What an in-process run printed; `output` is both streams in the order written. */
export interface CapturedRun {
  code: number;
  stdout: string;
  stderr: string;
  output: string;
}

/** Runs the CLI in this process (no bundle), capturing what it prints. */
export async function runCaptured(
  argv: string[],
  cwd: string,
  env: Record<string, string> = {},
): Promise<CapturedRun> {
  let stdout = '';
  let stderr = '';
  let output = '';
  const io: CliIo = {
    writeStdout: (text) => {
      stdout += text;
      output += text;
    },
    writeStderr: (text) => {
      stderr += text;
      output += text;
    },
    stderrIsTTY: false,
    env,
    cwd,
  };
  const code = await runCli(argv, io);
  return { code, stdout, stderr, output };
}
