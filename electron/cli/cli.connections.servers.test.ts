// How many connections the built `ferry` opens, counted in real vsftpd's log: --parallel for a
// folder (automatic by default: up to 8), and --segments / --no-segments for one large download
// (REST ranges over several connections). Every file's SHA-256 is compared with the server's.
import { randomBytes } from 'node:crypto';
import { readFile, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { LOG_PATTERNS, startServer, type RunningServer } from '../../test/servers/servers';
import {
  baseUrl,
  expectExit,
  ferry,
  setUpCliTests,
  sha256,
  type FerryJson,
} from '../../test/support/cli';

const localFolder = setUpCliTests('ferry-cli-connections-');
const BIG = randomBytes(64 * 1024 * 1024);
/** The server's files are this old: a downloaded copy that kept its time says so. */
const LONG_AGO = new Date('2018-08-08T08:08:08Z');
let server: RunningServer;
let pin: string[];

beforeAll(async () => {
  server = await startServer({ kind: 'vsftpd', mode: 'explicit', tlsMax: '1.3' });
  pin = ['--pin', server.fingerprint256];
  await server.writeFile('big.bin', BIG);
  for (let i = 0; i < 12; i++) {
    await server.writeFile(`many/f${i}.bin`, Buffer.alloc(2_000_000, i));
    await utimes(server.path(`many/f${i}.bin`), LONG_AGO, LONG_AGO);
  }
});

/** What the server logged while `run` ran: its logins and REST commands. */
async function counted(run: () => Promise<void>): Promise<{ logins: number; rests: number }> {
  const count = async (pattern: RegExp): Promise<number> =>
    ((await server.readLog()).match(new RegExp(pattern.source, 'g')) ?? []).length;
  const rest = /FTP command: Client "[^"]*", "REST /;
  const before = {
    logins: await count(LOG_PATTERNS.vsftpd.userReceived),
    rests: await count(rest),
  };
  await run();
  return {
    logins: (await count(LOG_PATTERNS.vsftpd.userReceived)) - before.logins,
    rests: (await count(rest)) - before.rests,
  };
}

it.each([
  [[], 3],
  [['--segments', '3'], 2],
  [['--no-segments'], 0],
])('get of a 64 MiB file %j: REST ranges over several connections', async (extra, rests) => {
  const local = join(await localFolder('big-'), 'big.bin');
  let json: FerryJson | undefined;
  const seen = await counted(async () => {
    const run = await ferry([
      'get',
      '--json',
      ...extra,
      ...pin,
      `${baseUrl(server)}big.bin`,
      local,
    ]);
    json = expectExit(run, 0);
  });
  // Every range's data connection is in the report, TLS 1.3 and resumed.
  expect(json?.dataConnections).toHaveLength(rests + 1);
  expect(json?.dataConnections.every((r) => r.tls && r.resumed)).toBe(true);
  // Default: 16 MiB at least per range, so four ranges (three with REST) of the 8 allowed.
  expect(seen.rests).toBe(rests);
  expect(seen.logins).toBe(rests + 1);
  expect(sha256(await readFile(local))).toBe(sha256(BIG));
});

it.each([
  [[], 8],
  [['--parallel', 'auto'], 8],
  [['--parallel', '2'], 2],
])('get -r of 12 files %j: logins', async (extra, logins) => {
  const local = await localFolder('many-');
  const seen = await counted(async () => {
    const run = await ferry(['get', '-r', ...extra, ...pin, `${baseUrl(server)}many`, local]);
    expectExit(run, 0);
  });
  expect(seen.logins).toBe(logins);
  for (let i = 0; i < 12; i++)
    expect(sha256(await readFile(join(local, `f${i}.bin`)))).toBe(
      sha256(Buffer.alloc(2_000_000, i)),
    );
});

it('the JSON report lists the data connections of every connection, not only the first', async () => {
  const local = await localFolder('report-');
  const run = await ferry(['get', '-r', '--json', ...pin, `${baseUrl(server)}many`, local]);
  const json: FerryJson = expectExit(run, 0);
  const retrs = json.dataConnections.filter((record) => record.command === 'RETR');
  expect(retrs).toHaveLength(12);
  expect(json.dataConnections.every((r) => r.tls && r.protocol === 'TLSv1.3')).toBe(true);
});

it.each([
  [[], true],
  [['--no-keep-times'], false],
])(
  'get -r %j: the source times, and vsftpd asked MDTM for them (LIST gives minutes)',
  async (extra, kept) => {
    const local = await localFolder('times-');
    const log = async (): Promise<number> =>
      ((await server.readLog()).match(/FTP command: Client "[^"]*", "MDTM /g) ?? []).length;
    const before = await log();
    const run = await ferry(['get', '-r', ...extra, ...pin, `${baseUrl(server)}many`, local]);
    expectExit(run, 0);
    expect((await log()) - before).toBe(kept ? 12 : 0);
    const local0 = (await stat(join(local, 'f0.bin'))).mtime;
    if (kept) expect(local0).toEqual(LONG_AGO);
    else expect(Date.now() - local0.getTime()).toBeLessThan(60_000);
  },
);

it.each([
  [[], true],
  [['--no-keep-times'], false],
])('put %j to ProFTPD: the local time is kept with MFMT, or not', async (extra, kept) => {
  const proftpd = await startServer({ kind: 'proftpd', mode: 'explicit', tlsMax: '1.3' });
  const file = join(await localFolder('put-'), 'dated.txt');
  await writeFile(file, 'dated\n');
  const when = new Date('2019-09-09T09:09:09Z');
  await utimes(file, when, when);
  const run = await ferry([
    'put',
    ...extra,
    '--pin',
    proftpd.fingerprint256,
    file,
    `${baseUrl(proftpd)}dated.txt`,
  ]);
  expectExit(run, 0);
  expect(run.stderr).not.toMatch(/warning/);
  const onServer = (await stat(proftpd.path('dated.txt'))).mtime;
  if (kept) expect(onServer).toEqual(when);
  else expect(Date.now() - onServer.getTime()).toBeLessThan(60_000);
  await proftpd.stop();
});
