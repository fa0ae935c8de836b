// The recursive commands of the built `ferry` (get -r, put -r, mirror, mirror --reverse) run as a
// child process against real vsftpd and ProFTPD servers (explicit TLS, up to 1.3). Both trees are
// compared file by file by SHA-256, empty folders included, and the per-file JSON results are
// checked against what really moved. Stdout and stderr are pipes, so no progress line may appear.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOG_PATTERNS, startServer, type RunningServer } from '../../test/servers/servers';
import {
  baseUrl,
  describeRun,
  expectExit,
  ferry,
  setUpCliTests,
  sha256,
  type FerryJson,
  type FerryRun,
} from '../../test/support/cli';
import type { RecursiveFileResult } from './commands/recursive';

/** `result` of get -r, put -r and mirror. */
interface RecursiveResult {
  direction: 'upload' | 'download';
  local: string;
  remote: string;
  files: RecursiveFileResult[];
  bytes: number;
  seconds: number;
}

type Files = Record<string, Buffer>;

/** The tree every scenario starts from: nested, Unicode and spaces, an empty file, ~3 MiB. */
const FILES: Files = {
  '日本語.txt': Buffer.from('日本語のテキスト\n'),
  'zero.bin': Buffer.alloc(0),
  'naïve café/with space.txt': Buffer.from('a name with a space\n'),
  'naïve café/deep/er/leaf.txt': Buffer.from('leaf\n'),
  'sub/big.bin': randomBytes(3 * 1024 * 1024 + 123),
  'sub/notes.md': Buffer.from('# notes\n'),
};
const EMPTY_DIRS = ['empty', 'naïve café/empty too'];

/** Neither test server offers HASH or XSHA* by default, so the queue verifies by size. */
const VERIFICATION = 'size';
const SAME = 'same size and not older';
/** Long ago: a copy with this time is older than any other. */
const LONG_AGO = new Date('2001-01-01T00:00:00Z');
/**
 * Ten seconds into a minute a few minutes ago: LIST shows it as `HH:MM` (the seconds lost), and a
 * file rewritten at +30 s lists with the same time. Only MDTM or MLSD tell the two apart.
 */
const MINUTE_START = Math.floor(Date.now() / 60_000) * 60_000 - 5 * 60_000;
const FIRST_VERSION = new Date(MINUTE_START + 10_000);
const SAME_MINUTE_REWRITE = new Date(MINUTE_START + 40_000);

const localFolder = setUpCliTests('ferry-cli-recursive-');

async function writeTree(root: string, files: Files, emptyDirs: readonly string[]): Promise<void> {
  for (const dir of emptyDirs) await mkdir(join(root, ...dir.split('/')), { recursive: true });
  for (const [relative, data] of Object.entries(files)) {
    const full = join(root, ...relative.split('/'));
    await mkdir(dirname(full), { recursive: true });
    await writeFile(full, data);
  }
}

/** Every folder (`dir`) and file (`<size> <sha256>`) below `root`, by `/`-separated path. */
async function snapshot(root: string, prefix = ''): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(join(root, ...prefix.split('/')), { withFileTypes: true })) {
    const relative = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory()) {
      out[relative] = 'dir';
      Object.assign(out, await snapshot(root, relative));
    } else if (entry.isFile()) {
      const data = await readFile(join(root, ...relative.split('/')));
      out[relative] = `${data.length} ${sha256(data)}`;
    } else {
      out[relative] = 'other';
    }
  }
  return out;
}

/** The snapshot a tree of `files` plus `emptyDirs` must have. */
function expectedSnapshot(files: Files, emptyDirs: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  const parents = (relative: string): void => {
    const parts = relative.split('/');
    for (let i = 1; i < parts.length; i++) out[parts.slice(0, i).join('/')] = 'dir';
  };
  for (const dir of emptyDirs) {
    parents(dir);
    out[dir] = 'dir';
  }
  for (const [relative, data] of Object.entries(files)) {
    parents(relative);
    out[relative] = `${data.length} ${sha256(data)}`;
  }
  return out;
}

function byPath(a: Expected, b: Expected): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

/** Per-file results of files that were sent in full, first try, over resumed TLS sessions. */
function transferred(files: Files): Expected[] {
  return Object.entries(files).map(([path, data]) => ({
    path,
    state: 'done',
    bytes: data.length,
    retries: 0,
    sha256: sha256(data),
    verification: VERIFICATION,
    tlsResumed: true,
  }));
}

function skipped(paths: readonly string[], reason: string): Expected[] {
  return paths.map((path) => ({ path, state: 'done', bytes: 0, retries: 0, skipped: reason }));
}

/** Exit 0, a pinned TLS 1.3 session, and nothing on stderr (no progress line, no warning). */
function expectDone(
  run: FerryRun<RecursiveResult>,
  dataCommands: readonly string[],
): FerryJson<RecursiveResult> & { result: RecursiveResult } {
  const json = expectExit(run, 0);
  expect(run.stderr, describeRun(run)).toBe('');
  expect(run.stdout).not.toContain('\r');
  expect(json.control?.protocol).toBe('TLSv1.3');
  expect(json.certificate?.verdict).toEqual({ status: 'pinned' });
  // Only the session's own connection is recorded (the pool's others are not).
  for (const record of json.dataConnections) {
    expect(dataCommands).toContain(record.command);
    expect(record).toMatchObject({ resumed: true, protocol: 'TLSv1.3', tls: true });
  }
  expect(json.result).not.toBeNull();
  return json as FerryJson<RecursiveResult> & { result: RecursiveResult };
}

/** A per-file result without `target`, which `expectFiles` checks on its own. */
type Expected = Omit<RecursiveFileResult, 'target'>;

/** The results equal `files`, and each one's target is its path under the root. */
function expectFiles(result: RecursiveResult, files: Expected[]): void {
  for (const file of result.files) expect(file.target.endsWith(`/${file.path}`)).toBe(true);
  const withoutTarget = result.files.map(({ target: _target, ...rest }) => rest);
  expect(withoutTarget.sort(byPath)).toEqual([...files].sort(byPath));
  expect(result.bytes).toBe(files.reduce((sum, file) => sum + file.bytes, 0));
}

/** USER commands the server has received so far: one per control connection. */
async function logins(server: RunningServer): Promise<number> {
  const pattern = new RegExp(LOG_PATTERNS[server.kind].userReceived.source, 'g');
  return (await server.readLog({ sinceReady: true })).match(pattern)?.length ?? 0;
}

const LISTS = ['LIST', 'MLSD'];

describe.concurrent('ferry get -r, put -r and mirror against real servers', () => {
  it.each(['vsftpd', 'proftpd'] as const)(
    '%s: put -r, get -r, mirror and mirror --reverse keep both trees equal',
    async (kind) => {
      const srv = await startServer({ kind, mode: 'explicit', tlsMax: '1.3' });
      const pin = ['--pin', srv.fingerprint256];
      const local = await localFolder(`${kind}-`);
      const remote = 'nested/copy of tree';
      const url = `${baseUrl(srv)}nested/copy%20of%20tree`;
      const source = join(local, 'source');
      await writeTree(source, FILES, EMPTY_DIRS);
      const expected = expectedSnapshot(FILES, EMPTY_DIRS);
      expect(await snapshot(source)).toEqual(expected);

      // put -r into a folder that does not exist yet, three connections at most.
      const beforePut = await logins(srv);
      const put = expectDone(
        await ferry<RecursiveResult>([
          'put',
          '-r',
          '--parallel',
          '3',
          '--json',
          ...pin,
          source,
          url,
        ]),
        ['STOR'],
      );
      expect(put.result).toMatchObject({ direction: 'upload', local: source, remote });
      expectFiles(put.result, transferred(FILES));
      expect(await snapshot(srv.path(remote))).toEqual(expected);
      const putLogins = (await logins(srv)) - beforePut;
      expect(putLogins).toBeGreaterThanOrEqual(1);
      expect(putLogins).toBeLessThanOrEqual(3);

      // get -r into a fresh folder.
      const back = join(local, 'back');
      const beforeGet = await logins(srv);
      const get = expectDone(
        await ferry<RecursiveResult>(['get', '-r', '--parallel', '3', '--json', ...pin, url, back]),
        [...LISTS, 'RETR'],
      );
      expect(get.result).toMatchObject({ direction: 'download', local: back, remote });
      expectFiles(get.result, transferred(FILES));
      expect(await snapshot(back)).toEqual(expected);
      expect((await logins(srv)) - beforeGet).toBeLessThanOrEqual(3);

      // mirror into a fresh folder copies everything, with the server's times to the second;
      // a second mirror copies nothing.
      for (const relative of Object.keys(FILES)) {
        await utimes(srv.path(`${remote}/${relative}`), FIRST_VERSION, FIRST_VERSION);
      }
      const mirror = join(local, 'mirror');
      const first = expectDone(
        await ferry<RecursiveResult>(['mirror', '--json', ...pin, url, mirror]),
        [...LISTS, 'RETR'],
      );
      expectFiles(first.result, transferred(FILES));
      expect(await snapshot(mirror)).toEqual(expected);
      for (const relative of Object.keys(FILES)) {
        expect((await stat(join(mirror, relative))).mtimeMs, relative).toBe(
          FIRST_VERSION.getTime(),
        );
      }
      const again = await ferry(['mirror', ...pin, url, mirror]);
      expect(again.code, describeRun(again)).toBe(0);
      expect(again.stderr).toBe('');
      expect(again.stdout).toMatch(
        /^downloaded 0 file\(s\), skipped 6, failed 0; 0 bytes in \d+\.\d\d s\n$/,
      );
      expect(await snapshot(mirror)).toEqual(expected);

      // The server side changes: one file grows, one is rewritten with the same size within the
      // same minute (its LIST time unchanged), one file and one empty folder are new. Only those
      // three files move.
      const changed: Files = {
        'sub/notes.md': Buffer.from('# notes\n\nrevised on the server\n'),
        '日本語.txt': Buffer.from('にほんのテキスト\n'),
        'sub/new folder/added.txt': Buffer.from('new on the server\n'),
      };
      expect(changed['日本語.txt']?.length).toBe(FILES['日本語.txt']?.length);
      for (const [relative, data] of Object.entries(changed)) {
        await srv.writeFile(`${remote}/${relative}`, data);
      }
      await srv.mkdir(`${remote}/new empty`);
      await utimes(srv.path(`${remote}/日本語.txt`), SAME_MINUTE_REWRITE, SAME_MINUTE_REWRITE);
      const serverFiles: Files = { ...FILES, ...changed };
      const serverDirs = [...EMPTY_DIRS, 'new empty'];
      const update = expectDone(
        await ferry<RecursiveResult>(['mirror', '--json', ...pin, url, mirror]),
        [...LISTS, 'RETR'],
      );
      expectFiles(update.result, [
        ...transferred(changed),
        ...skipped(
          Object.keys(FILES).filter((path) => !(path in changed)),
          SAME,
        ),
      ]);
      const afterUpdate = expectedSnapshot(serverFiles, serverDirs);
      expect(await snapshot(mirror)).toEqual(afterUpdate);
      expect(await snapshot(srv.path(remote))).toEqual(afterUpdate);

      // mirror --reverse: the local side changes the same ways and only those files go up.
      const localChanged: Files = {
        'naïve café/with space.txt': Buffer.from('a longer name with a space, edited locally\n'),
        'naïve café/deep/er/leaf.txt': Buffer.from('LEAF\n'),
        'local only/fresh.txt': Buffer.from('new on this side\n'),
      };
      await writeTree(mirror, localChanged, ['local empty']);
      const older = srv.path(`${remote}/naïve café/deep/er/leaf.txt`);
      await utimes(older, LONG_AGO, LONG_AGO);
      const reverse = expectDone(
        await ferry<RecursiveResult>(['mirror', '--reverse', '--json', ...pin, mirror, url]),
        ['STOR'],
      );
      expect(reverse.result).toMatchObject({ direction: 'upload', local: mirror, remote });
      expectFiles(reverse.result, [
        ...transferred(localChanged),
        ...skipped(
          Object.keys(serverFiles).filter((path) => !(path in localChanged)),
          SAME,
        ),
      ]);
      const final = expectedSnapshot({ ...serverFiles, ...localChanged }, [
        ...serverDirs,
        'local empty',
      ]);
      expect(await snapshot(mirror)).toEqual(final);
      expect(await snapshot(srv.path(remote))).toEqual(final);
      await srv.stop();
    },
  );

  // One vsftpd for the two tests below, started by the first that needs it; stopped at the end.
  let shared: Promise<{ srv: RunningServer; pin: string[]; local: string }> | undefined;
  const fixture = (): Promise<{ srv: RunningServer; pin: string[]; local: string }> => {
    shared ??= (async () => {
      const srv = await startServer({ kind: 'vsftpd', mode: 'explicit', tlsMax: '1.3' });
      return { srv, pin: ['--pin', srv.fingerprint256], local: await localFolder('vs-') };
    })();
    return shared;
  };

  it('--on-exists skip leaves an existing, different target alone in both directions', async () => {
    const { srv, pin, local } = await fixture();
    const serverKeep = Buffer.from('the server copy, which is longer\n');
    const serverOnly = { 'new.txt': Buffer.from('new\n'), 'sub/other.txt': randomBytes(70_000) };
    await srv.writeFile('skip/keep.txt', serverKeep);
    for (const [relative, data] of Object.entries(serverOnly)) {
      await srv.writeFile(`skip/${relative}`, data);
    }
    const url = `${baseUrl(srv)}skip`;

    const into = join(local, 'skip-get');
    const mine = Buffer.from('mine\n');
    await writeTree(into, { 'keep.txt': mine }, []);
    await utimes(join(into, 'keep.txt'), LONG_AGO, LONG_AGO);
    const get = expectDone(
      await ferry<RecursiveResult>([
        'get',
        '-r',
        '--on-exists',
        'skip',
        '--json',
        ...pin,
        url,
        into,
      ]),
      [...LISTS, 'RETR'],
    );
    expectFiles(get.result, [
      ...transferred(serverOnly),
      ...skipped(['keep.txt'], 'target exists'),
    ]);
    expect(await readFile(join(into, 'keep.txt'))).toEqual(mine);
    expect(await snapshot(into)).toEqual(expectedSnapshot({ ...serverOnly, 'keep.txt': mine }, []));

    // rename: the server's keep.txt lands beside the local one, and the JSON says where.
    const renamed = expectDone(
      await ferry<RecursiveResult>([
        'get',
        '-r',
        '--on-exists',
        'rename',
        '--json',
        ...pin,
        url,
        into,
      ]),
      [...LISTS, 'RETR'],
    );
    const keep = renamed.result.files.find((f) => f.path === 'keep.txt');
    expect(keep?.target).toBe(join(into, 'keep (1).txt'));
    expect(await readFile(join(into, 'keep (1).txt'))).toEqual(serverKeep);
    expect(await readFile(join(into, 'keep.txt'))).toEqual(mine);
    await rm(join(into, 'keep (1).txt'));
    for (const relative of Object.keys(serverOnly)) {
      const dot = relative.lastIndexOf('.');
      await rm(join(into, `${relative.slice(0, dot)} (1)${relative.slice(dot)}`));
    }

    const from = join(local, 'skip-put');
    const localOnly = { 'local.txt': Buffer.from('only here\n') };
    await writeTree(from, { 'keep.txt': mine, ...localOnly }, []);
    const put = expectDone(
      await ferry<RecursiveResult>([
        'put',
        '-r',
        '--on-exists',
        'skip',
        '--json',
        ...pin,
        from,
        url,
      ]),
      ['STOR'],
    );
    expectFiles(put.result, [...transferred(localOnly), ...skipped(['keep.txt'], 'target exists')]);
    expect(await readFile(srv.path('skip/keep.txt'))).toEqual(serverKeep);
    expect(await snapshot(srv.path('skip'))).toEqual(
      expectedSnapshot({ ...serverOnly, ...localOnly, 'keep.txt': serverKeep }, []),
    );
  });

  it('a root that is not a folder fails before anything is transferred or created', async () => {
    const { srv, pin, local } = await fixture();
    await srv.writeFile('roots/file.txt', 'a file\n');
    const url = baseUrl(srv);
    const target = join(local, 'never');
    const localFile = join(local, 'plain.txt');
    await writeFile(localFile, 'a local file\n');
    const failedWith = <R extends object>(run: FerryRun<R>, code: number): FerryJson<R> => {
      const out = expectExit(run, code);
      expect(run.stderr).toMatch(/^ferry: /);
      return out;
    };

    // vsftpd lists a missing folder as an empty one, and a file as itself: CWD tells them apart.
    const missing = failedWith(
      await ferry(['get', '-r', '--json', ...pin, `${url}roots/nope`, target]),
      5,
    );
    expect(missing.error).toMatchObject({ kind: 'ftp-reply' });
    expect(missing.error?.message).toMatch(/^open remote folder roots\/nope: .*CWD with 550/);
    const file = failedWith(
      await ferry(['get', '-r', '--json', ...pin, `${url}roots/file.txt`, target]),
      5,
    );
    expect(file.error?.message).toMatch(/^open remote folder roots\/file\.txt: .*CWD with 550/);
    expect(existsSync(target)).toBe(false);

    // A local source that is missing (exit 7) or a file (exit 2), and a local target that is a
    // file (exit 2): no connection is opened (control and certificate null), so no remote folder
    // is created either.
    const noSource = failedWith(
      await ferry(['put', '-r', '--json', ...pin, join(local, 'absent'), `${url}roots/up`]),
      7,
    );
    expect(noSource.error).toMatchObject({ kind: 'not-found', side: 'local' });
    const fileSource = failedWith(
      await ferry(['put', '-r', '--json', ...pin, localFile, `${url}roots/up`]),
      2,
    );
    expect(fileSource.error?.message).toMatch(/is a file, not a folder/);
    const fileTarget = failedWith(
      await ferry(['get', '-r', '--json', ...pin, `${url}roots`, localFile]),
      2,
    );
    expect(fileTarget.error?.message).toMatch(/is a file, not a folder/);
    for (const failed of [noSource, fileSource, fileTarget]) {
      expect(failed).toMatchObject({ control: null, certificate: null, dataConnections: [] });
    }
    expect(existsSync(srv.path('roots/up'))).toBe(false);
    expect(await readFile(localFile, 'utf8')).toBe('a local file\n');
  });
});
