import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCaptured } from '../../test/support/cli';

interface Captured {
  code: number;
  stdout: string;
  stderr: string;
}

let dir: string;

function run(argv: string[], env: Record<string, string> = {}): Promise<Captured> {
  return runCaptured(argv, dir, env);
}

interface ErrorJson {
  exitCode: number;
  command: string | null;
  error?: { kind: string; message: string };
  result: unknown;
  dataConnections: unknown[];
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ferry-cli-run-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('runCli without a server', () => {
  it('prints help on stdout with --help and exits 0', async () => {
    const { code, stdout } = await run(['--help']);
    expect(code).toBe(0);
    for (const name of [
      'ls <url>',
      'get <url> <local-file>',
      'put <local-file> <url>',
      'cert <url>',
      '--pin SHA256',
    ]) {
      expect(stdout).toContain(name);
    }
  });

  it('prints a command help', async () => {
    const viaHelp = await run(['help', 'get']);
    const viaFlag = await run(['get', '--help']);
    expect(viaHelp.code).toBe(0);
    expect(viaHelp.stdout).toContain('Usage: ferry get [options] <url> <local-file>');
    expect(viaHelp.stdout).toContain('--on-exists POLICY');
    expect(viaFlag.stdout).toBe(viaHelp.stdout);
  });

  it('exits 2 with help on stderr when no command is given', async () => {
    const { code, stdout, stderr } = await run([]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('Usage: ferry <command>');
  });

  it('prints the version', async () => {
    const { code, stdout } = await run(['--version']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^\d+\.\d+\.\d+/);
  });

  it.each([
    [['frobnicate'], /unknown command "frobnicate"/],
    [['ls'], /usage: ferry ls <url>/],
    [['ls', 'ftpes://h/', 'extra'], /usage: ferry ls <url>/],
    [['ls', '--bogus', 'ftpes://h/'], /unknown option --bogus/],
    [['ls', '-r', 'ftpes://h/'], /--recursive does not apply to ls/],
    [['ls', 'ftp://h/'], /ftp:\/\/ is unencrypted.*--allow-plain/],
    [['ls', 'sftp://h/'], /unsupported scheme/],
    [
      ['get', '--parallel', '2', 'ftpes://h/f', 'local'],
      /--parallel applies to recursive transfers/,
    ],
    [
      ['put', '--on-exists', 'skip', 'local', 'ftpes://h/'],
      /--on-exists applies to recursive transfers/,
    ],
    [['get', 'ftpes://h/dir/', 'local'], /names a folder/],
    [['ls', '--pin', 'zz', 'ftpes://h/'], /SHA-256 fingerprint/],
    [['cert', '--allow-plain', 'ftp://h/'], /ftp:\/\/ has no TLS/],
  ])('%j is a usage error (exit 2)', async (argv, message) => {
    const { code, stderr, stdout } = await run(argv);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(stderr.split('\n')[0]).toMatch(/^ferry: /);
    expect(stdout).toBe('');
  });

  it('prints one JSON object with the error under --json', async () => {
    const { code, stdout, stderr } = await run(['ls', '--json', 'ftp://user:secret@h/']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^ferry: .*unencrypted/);
    const json = JSON.parse(stdout) as ErrorJson & { url: string };
    expect(json.exitCode).toBe(2);
    expect(json.command).toBe('ls');
    expect(json.url).toBe('ftp://user@h/');
    expect(json.error?.kind).toBe('usage');
    expect(json.result).toBeNull();
    expect(stdout).not.toContain('secret');
  });

  it('fails a put of a missing local file with exit 7 before connecting', async () => {
    // Port 1 on loopback: were it contacted, the error would be a network one (6).
    const { code, stderr } = await run(['put', 'missing.bin', 'ftpes://127.0.0.1:1/']);
    expect(code).toBe(7);
    expect(stderr).toMatch(/missing\.bin/);
  });

  it('refuses to put a folder (exit 7)', async () => {
    const { code, stderr } = await run(['put', '.', 'ftpes://127.0.0.1:1/']);
    expect(code).toBe(7);
    expect(stderr).toMatch(/is a folder/);
  });

  it('fails on a missing --ca file and on a --ca without certificates with exit 7, naming the file', async () => {
    expect((await run(['ls', '--ca', 'nope.pem', 'ftpes://127.0.0.1:1/'])).code).toBe(7);
    await writeFile(join(dir, 'empty.pem'), 'not a certificate\n');
    const empty = await run(['ls', '--ca', 'empty.pem', 'ftpes://127.0.0.1:1/']);
    expect(empty.code).toBe(7);
    expect(empty.stderr).toMatch(/empty\.pem: the --ca file holds no PEM certificate/);
  });

  it('reports a refused connection as a network error (exit 6) and leaves no .part file', async () => {
    const { code, stdout } = await run([
      'get',
      '--json',
      'ftpes://127.0.0.1:1/file.bin',
      'file.bin',
    ]);
    expect(code).toBe(6);
    const json = JSON.parse(stdout) as ErrorJson;
    expect(json.error?.kind).toBe('network');
    expect(json.dataConnections).toEqual([]);
    expect((await readdir(dir)).filter((name) => name.startsWith('file.bin'))).toEqual([]);
  });
});
