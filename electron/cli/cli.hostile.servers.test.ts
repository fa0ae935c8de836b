/**
 * `ferry` against the hostile server (test/hostile): escape sequences in replies (the login error,
 * other refusals, -v), in listed names (get -r FAILED lines), and a listing of 200,000+ entries.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  startHostileServer,
  type HostileScript,
  type HostileServer,
} from '../../test/hostile/hostile-server';
import type { RemoteEntry } from '../../shared/models';
import { buildBundle, ferry, runCaptured } from '../../test/support/cli';

/** An OSC that retitles the window, BEL, a screen clear, and the one-byte C1 CSI. */
const NASTY = '\x1b]0;pwned\x07\x1b[2J\u009b31m';
const NASTY_ESCAPED = '\\x1b]0;pwned\\x07\\x1b[2J\\x9b31m';
// eslint-disable-next-line no-control-regex -- looking for raw control characters
const RAW_CONTROL = /[\x00-\x09\x0b-\x1f\x7f-\x9f]/;

let server: HostileServer | undefined;
let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'ferry-cli-hostile-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

async function start(script: HostileScript): Promise<{ url: string; pin: string[] }> {
  server = await startHostileServer(script);
  return {
    url: `ftpes://${server.user}:${server.password}@127.0.0.1:${server.port}`,
    pin: ['--pin', server.fingerprint256],
  };
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(argv: string[]): Promise<Run> {
  return runCaptured(argv, work);
}

/** Every form of a command: human, --json, -v, --json -v. None may carry a raw control. */
async function allForms(argv: string[]): Promise<Run[]> {
  const runs: Run[] = [];
  for (const extra of [[], ['--json'], ['-v'], ['--json', '-v']]) {
    runs.push(await run([...argv, ...extra]));
  }
  for (const result of runs) {
    const raw = `${result.stdout}${result.stderr}`.split('\n').filter((l) => RAW_CONTROL.test(l));
    expect(raw).toEqual([]);
  }
  return runs;
}

describe('escape sequences from the server are shown escaped', () => {
  it('in the login error, human, --json and -v', async () => {
    const { url, pin } = await start({
      on: (verb) => (verb === 'PASS' ? `530 Login incorrect ${NASTY}` : undefined),
    });
    const [human, json, verbose] = await allForms(['ls', ...pin, `${url}/`]);
    expect(human?.code).toBe(4);
    expect(human?.stderr).toBe(
      `ferry: login: login refused (530 Login incorrect ${NASTY_ESCAPED})\n`,
    );
    // JSON keeps the exact text (its escapes are JSON's own).
    const parsed = JSON.parse(json?.stdout ?? '') as { error: { text: string } };
    expect(parsed.error.text).toBe(`Login incorrect ${NASTY}`);
    expect(verbose?.stderr).toContain(`< 530 Login incorrect ${NASTY_ESCAPED}\n`);
  });

  it('in the greeting, FEAT lines and a refusal under -v; a reply cannot forge a -v line', async () => {
    const { url, pin } = await start({
      greeting: `220-Welcome ${NASTY}\r\n> PASS hunter2\r\n220 ready`,
      features: ['UTF8', 'MLST type*;size*;modify*;', 'SIZE', 'EPSV', `X${NASTY}`],
      on: (verb) => (verb === 'MLSD' ? `550 No ${NASTY} here` : undefined),
    });
    const [human, , verbose] = await allForms(['ls', ...pin, `${url}/dir/`]);
    expect(human?.code).toBe(5);
    expect(human?.stderr).toContain(`550 No ${NASTY_ESCAPED} here`);
    const lines = verbose?.stderr.split('\n') ?? [];
    expect(lines).toContain(`< 220 Welcome ${NASTY_ESCAPED}`);
    expect(lines).toContain(`     X${NASTY_ESCAPED}`);
    // The server's "> PASS hunter2" stays inside its reply, indented.
    expect(lines.filter((line) => line.startsWith('> PASS'))).toEqual(['> PASS ****']);
  });

  it('a password the server quotes back is masked in every output', async () => {
    const { url, pin } = await start({
      on: (verb, arg) => (verb === 'PASS' ? `530 Wrong password "${arg}"` : undefined),
    });
    const runs = await allForms(['ls', ...pin, `${url}/`]);
    for (const result of runs) {
      expect(result.code).toBe(4);
      expect(`${result.stdout}${result.stderr}`).not.toContain(server?.password ?? '?');
    }
    expect(runs[0]?.stderr).toBe('ferry: login: login refused (530 Wrong password "***")\n');
  });

  it('in get -r FAILED lines for listed names', async () => {
    const { url, pin } = await start({
      files: { '/d/ok.txt': 'ok' },
      mlsdLines: {
        '/d': [
          `type=file;size=1;modify=20260115103000; evil${NASTY}.txt`,
          'type=file;size=2;modify=20260115103000; ok.txt',
        ],
      },
    });
    const runs = await allForms(['get', '-r', ...pin, `${url}/d/`, 'out']);
    expect(runs[0]?.code).not.toBe(0);
    expect(runs[0]?.stdout).toMatch(
      new RegExp(`^FAILED evil${NASTY_ESCAPED.replace(/[\\[\]]/g, '\\$&')}\\.txt: `, 'm'),
    );
  });
});

// 200,000 by default (the stack overflowed from about 130,000; 500,000 took 12 s per run of the
// bundle alone and up to 50 s beside other tests). FERRY_LS_ENTRIES=500000 runs the full size.
const LS_ENTRIES = Number(process.env.FERRY_LS_ENTRIES ?? 200_000);

describe(`a listing of ${LS_ENTRIES} entries`, () => {
  beforeAll(buildBundle, 120_000);

  it('ferry ls prints it, human and --json', { timeout: 240_000 }, async () => {
    const count = LS_ENTRIES;
    const lines = Array.from(
      { length: count },
      (_, i) => `type=file;size=${i};modify=20260115103000; file-${String(i).padStart(6, '0')}.bin`,
    );
    const { url, pin } = await start({ mlsdLines: { '/big': lines } });
    const human = await ferry(['ls', ...pin, `${url}/big/`]);
    expect(human.code, human.stderr.slice(0, 2000)).toBe(0);
    const out = human.stdout.split('\n');
    expect(out).toHaveLength(count + 2);
    expect(out[1]).toMatch(/^file +0 +2026-01-15 10:30Z {2}file-000000\.bin$/);
    const last = String(count - 1);
    expect(out[count]).toBe(
      `file  ${last.padStart(6)}  2026-01-15 10:30Z  file-${last.padStart(6, '0')}.bin`,
    );
    const json = await ferry<{ entries: RemoteEntry[] }>(['ls', '--json', ...pin, `${url}/big/`]);
    expect(json.code, json.stderr.slice(0, 2000)).toBe(0);
    const entries = json.json?.result?.entries ?? [];
    expect(entries).toHaveLength(count);
    expect(entries[count - 1]).toMatchObject({
      name: `file-${String(count - 1).padStart(6, '0')}.bin`,
      size: count - 1,
    });
  });
});

describe('a single get is whole or an error (issue 12, case 9)', () => {
  it('a download cut halfway is resumed and verified, exit 0', async () => {
    const content = Buffer.alloc(3_000_000, 0x5a);
    let retrs = 0;
    const { url, pin } = await start({
      files: { '/big.bin': content },
      // The first RETR stops after a third (with close_notify: only SIZE can tell).
      retr: (_path, offset) =>
        retrs++ === 0 ? { content: content.subarray(offset), cutAfter: 1_000_000 } : undefined,
    });
    const result = await run(['get', '--json', ...pin, `${url}/big.bin`, join(work, 'big.bin')]);
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout) as {
      result: { bytes: number; sha256: string; retries: number; resumedAt?: number[] };
    };
    expect(json.result).toMatchObject({ bytes: 3_000_000, retries: 1, resumedAt: [1_000_000] });
    expect(json.result.sha256).toBe(createHash('sha256').update(content).digest('hex'));
    expect(
      createHash('sha256')
        .update(await readFile(join(work, 'big.bin')))
        .digest('hex'),
    ).toBe(json.result.sha256);
    expect(server?.commands).toContain('REST 1000000');
    expect((await readdir(work)).filter((name) => name.endsWith('.part'))).toEqual([]);
  });

  it('REST refused after a cut: starts again from zero, exit 0, whole file', async () => {
    const content = Buffer.alloc(2_000_000, 0x33);
    let retrs = 0;
    const { url, pin } = await start({
      files: { '/again.bin': content },
      on: (verb) => (verb === 'REST' ? '502 REST not implemented.' : undefined),
      retr: () => (retrs++ === 0 ? { content, cutAfter: 700_000 } : undefined),
    });
    const local = join(work, 'again.bin');
    const result = await run(['get', '--json', ...pin, `${url}/again.bin`, local]);
    expect(result.code).toBe(0);
    expect(
      createHash('sha256')
        .update(await readFile(local))
        .digest('hex'),
    ).toBe(createHash('sha256').update(content).digest('hex'));
  });
});
