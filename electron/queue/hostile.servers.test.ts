// The queue (the app's and `get -r`'s transfers) against a hostile server and a hostile disk.
import { createHash } from 'node:crypto';
import { existsSync, rmSync, symlinkSync } from 'node:fs';
import {
  lstat,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rm,
  stat,
  symlink,
  utimes,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  startHostileServer,
  type HostileScript,
  type HostileServer,
} from '../../test/hostile/hostile-server';
import { FerryError } from '../engine/errors';
import { TransferQueue } from './queue';
import { hostileSite } from '../../test/support/queue';

let server: HostileServer | undefined;
let work: string;

beforeEach(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'ferry-hostile-queue-'));
});

afterEach(async () => {
  await server?.stop();
  server = undefined;
  await rm(work, { recursive: true, force: true });
});

const sha = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');

async function queueFor(
  script: HostileScript,
  onExists: 'overwrite' | 'skip' | 'ask' = 'overwrite',
): Promise<TransferQueue> {
  server = await startHostileServer(script);
  const s = server;
  const queue = new TransferQueue({
    retry: { baseDelayMs: 20, maxDelayMs: 50 },
    computeSha256: true,
    onExists: { upload: onExists, download: onExists },
  });
  queue.setSite(hostileSite(s, 'h', 2));
  return queue;
}

describe('queue against a hostile server and disk', () => {
  it('case 1: a single download named ../../x.txt is refused before anything is written', async () => {
    const queue = await queueFor({ files: { '/x.txt': 'evil' } });
    const target = path.join(work, 'a', 'b');
    await mkdir(target, { recursive: true });
    expect(() =>
      queue.add({
        siteKey: 'h',
        direction: 'download',
        remotePath: '/pub/../../x.txt',
        localPath: path.join(target, '..', '..', 'x.txt'),
      }),
    ).toThrow(FerryError);
    await queue.whenIdle();
    expect(await readdir(work)).toEqual(['a']);
  });

  it('keeping the time of a download never follows a link planted at its name after the rename', async () => {
    const victim = path.join(work, 'victim.txt');
    await writeFile(victim, 'precious');
    const before = new Date('2001-01-01T00:00:00Z');
    await utimes(victim, before, before);
    const target = path.join(work, 'file.txt');
    let planted = false;
    const queue = await queueFor({
      // No MLST: the listing's time is coarse, so the exact one is asked (MDTM) after the rename.
      features: ['UTF8', 'SIZE', 'MDTM', 'REST STREAM', 'EPSV'],
      files: { '/file.txt': 'server bytes' },
      on: (verb) => {
        if (verb === 'MDTM' && existsSync(target)) {
          // Another local program swaps the finished file for a link while the reply is on its way.
          rmSync(target);
          symlinkSync(victim, target);
          planted = true;
        }
        return undefined;
      },
    });
    queue.add({ siteKey: 'h', direction: 'download', remotePath: '/file.txt', localPath: target });
    await queue.whenIdle();
    expect(planted).toBe(true);
    expect((await stat(victim)).mtime).toEqual(before);
    expect(await readFile(victim, 'utf8')).toBe('precious');
    expect((await lstat(target)).isSymbolicLink()).toBe(true);
  });

  it('case 2: a symlinked sub-folder in the target is not followed by a folder download', async () => {
    const outside = path.join(work, 'outside');
    const target = path.join(work, 'target');
    await mkdir(outside);
    await mkdir(target);
    await writeFile(path.join(outside, 'victim.txt'), 'precious');
    await symlink(outside, path.join(target, 'sub'));
    const queue = await queueFor({
      files: { '/tree/sub/victim.txt': 'server bytes', '/tree/ok.txt': 'fine' },
    });
    queue.add({
      siteKey: 'h',
      direction: 'download',
      remotePath: '/tree',
      localPath: target,
      isDirectory: true,
    });
    await queue.whenIdle();
    expect(await readFile(path.join(outside, 'victim.txt'), 'utf8')).toBe('precious');
    expect(await readdir(outside)).toEqual(['victim.txt']);
    expect(await readFile(path.join(target, 'ok.txt'), 'utf8')).toBe('fine');
    const failed = queue.list().filter((i) => i.state === 'failed');
    expect(failed.length).toBeGreaterThan(0);
    expect(failed[0]?.error?.kind).toBe('unsafe-input');
  });

  it('case 2: symlinks at the target and at its old temp name are never written through', async () => {
    const outside = path.join(work, 'outside.txt');
    const outsidePart = path.join(work, 'outside-part.txt');
    await writeFile(outside, 'precious');
    await writeFile(outsidePart, 'precious too');
    await symlink(outside, path.join(work, 'file.txt'));
    await symlink(outsidePart, path.join(work, 'file.txt.part'));
    const queue = await queueFor({ files: { '/file.txt': 'server bytes' } });
    queue.add({
      siteKey: 'h',
      direction: 'download',
      remotePath: '/file.txt',
      localPath: path.join(work, 'file.txt'),
    });
    await queue.whenIdle();
    expect(await readFile(outside, 'utf8')).toBe('precious');
    expect(await readFile(outsidePart, 'utf8')).toBe('precious too');
    expect(await readFile(path.join(work, 'file.txt'), 'utf8')).toBe('server bytes');
  });

  it('case 3: a listed name and its temp name both arrive whole', async () => {
    // Two connections: both files are in flight at once.
    const a = Buffer.alloc(3_000_000, 1);
    const b = Buffer.alloc(2_000_000, 2);
    const queue = await queueFor({
      files: { '/d/report.bin': a, '/d/report.bin.part': b },
      // report.bin is slow to start: report.bin.part finishes while report.bin is being written.
      retr: (file) => (file === '/d/report.bin' ? { content: a, delayMs: 500 } : undefined),
    });
    queue.add({
      siteKey: 'h',
      direction: 'download',
      remotePath: '/d',
      localPath: path.join(work, 'd'),
      isDirectory: true,
    });
    await queue.whenIdle();
    expect(queue.list().map((i) => i.state)).toEqual(['done', 'done']);
    expect(sha(await readFile(path.join(work, 'd', 'report.bin')))).toBe(sha(a));
    expect(sha(await readFile(path.join(work, 'd', 'report.bin.part')))).toBe(sha(b));
    expect((await readdir(path.join(work, 'd'))).sort()).toEqual(['report.bin', 'report.bin.part']);
  });

  it('case 9: REST refused after a cut restarts from zero and the file arrives whole', async () => {
    const content = Buffer.alloc(2_000_000, 5);
    let cuts = 0;
    const queue = await queueFor({
      files: { '/big.bin': content },
      on: (verb) => (verb === 'REST' ? '502 REST not implemented' : undefined),
      retr: () => (cuts++ === 0 ? { content, cutAfter: 500_000 } : undefined),
    });
    queue.add({
      siteKey: 'h',
      direction: 'download',
      remotePath: '/big.bin',
      localPath: path.join(work, 'big.bin'),
    });
    await queue.whenIdle();
    const [item] = queue.list();
    expect(item?.state).toBe('done');
    expect(sha(await readFile(path.join(work, 'big.bin')))).toBe(sha(content));
    expect(await readdir(work)).toEqual(['big.bin']);
  });

  it('case 10: a server without SIZE still downloads (no made-up SIZE 550)', async () => {
    const content = Buffer.alloc(123_456, 9);
    const queue = await queueFor({
      features: ['UTF8', 'MLST type*;size*;modify*;', 'EPSV'],
      files: { '/nosize.bin': content },
      on: (verb) => (verb === 'SIZE' ? '502 SIZE not implemented' : undefined),
    });
    queue.add({
      siteKey: 'h',
      direction: 'download',
      remotePath: '/nosize.bin',
      localPath: path.join(work, 'nosize.bin'),
    });
    await queue.whenIdle();
    const [item] = queue.list();
    expect(item?.error).toBeUndefined();
    expect(item?.state).toBe('done');
    expect(sha(await readFile(path.join(work, 'nosize.bin')))).toBe(sha(content));
  });

  it('an empty upload answered 426 counts as done only because SIZE says the empty file is there', async () => {
    await writeFile(path.join(work, 'empty.bin'), '');
    await writeFile(path.join(work, 'full.bin'), 'data');
    const queue = await queueFor({
      // The server keeps both names (as vsftpd does after this race) but answers 426 to STOR.
      files: { '/empty.bin': '', '/full.bin': 'da' },
      on: (verb) => (verb === 'STOR' ? '426 Failure reading network stream.' : undefined),
    });
    for (const name of ['empty.bin', 'full.bin']) {
      queue.add({
        siteKey: 'h',
        direction: 'upload',
        localPath: path.join(work, name),
        remotePath: `/${name}`,
      });
    }
    await queue.whenIdle();
    const byName = new Map(queue.list().map((i) => [path.basename(i.localPath), i]));
    expect(byName.get('empty.bin')?.state).toBe('done');
    expect(byName.get('empty.bin')?.verification).toBe('size');
    expect(byName.get('full.bin')?.state).toBe('failed');
    expect(byName.get('full.bin')?.error).toMatchObject({ kind: 'ftp-reply', code: 426 });
  });

  it.each([
    ['posing as vsftpd (SIZE sent with the STOR)', '220 (vsFTPd 3.0.3)'],
    ['of another kind (SIZE after the 226)', '220 Hostile FTP server ready'],
  ])(
    'a server %s whose SIZE after an upload is short does not get the upload taken as done',
    async (_kind, greeting) => {
      await writeFile(path.join(work, 'four.bin'), 'data');
      const queue = await queueFor({
        greeting,
        on: (verb) => (verb === 'SIZE' ? '213 1' : undefined),
      });
      queue.add({
        siteKey: 'h',
        direction: 'upload',
        localPath: path.join(work, 'four.bin'),
        remotePath: '/four.bin',
      });
      await queue.whenIdle();
      const [item] = queue.list();
      expect(item?.state).toBe('failed');
      expect(item?.error).toMatchObject({ kind: 'protocol' });
      expect(JSON.stringify(item?.error)).toMatch(/size differs \(expected 4, got 1\)/);
    },
  );

  it('case 5: a folder download from a LIST server gets its dotfiles', async () => {
    const queue = await queueFor({
      features: ['UTF8', 'SIZE', 'EPSV'],
      files: { '/site/.htaccess': 'deny', '/site/.env': 'SECRET=1', '/site/index.html': 'hi' },
    });
    queue.add({
      siteKey: 'h',
      direction: 'download',
      remotePath: '/site',
      localPath: path.join(work, 'site'),
      isDirectory: true,
    });
    await queue.whenIdle();
    expect((await readdir(path.join(work, 'site'))).sort()).toEqual([
      '.env',
      '.htaccess',
      'index.html',
    ]);
    expect(queue.listJobs()[0]?.error).toBeUndefined();
  });

  it('case 5: where LIST -a is refused, the folder job does not read as complete', async () => {
    const queue = await queueFor({
      features: ['UTF8', 'SIZE', 'EPSV'],
      files: { '/site/.htaccess': 'deny', '/site/index.html': 'hi' },
      on: (verb, arg) => (verb === 'LIST' && arg.startsWith('-a') ? '501 Bad option' : undefined),
    });
    queue.add({
      siteKey: 'h',
      direction: 'download',
      remotePath: '/site',
      localPath: path.join(work, 'site'),
      isDirectory: true,
    });
    await queue.whenIdle();
    expect(await readdir(path.join(work, 'site'))).toEqual(['index.html']);
    expect(queue.listJobs()[0]?.error).toMatchObject({
      kind: 'ftp-reply',
      command: 'LIST -a',
      code: 501,
    });
  });

  it('"apply to all" covers the batch it was answered for, not a later one (issue 14)', async () => {
    const names = ['a1.txt', 'a2.txt', 'b1.txt', 'b2.txt'];
    for (const name of names) await writeFile(path.join(work, name), 'local');
    const queue = await queueFor(
      { files: Object.fromEntries(names.map((name) => [`/${name}`, 'server'])) },
      'ask',
    );
    const asked: string[] = [];
    queue.on('question', (q) => {
      asked.push(path.basename(q.target.path));
      // The first question of each batch: overwrite, for all.
      queue.answerFileExists({ questionId: q.questionId, action: 'overwrite', applyToAll: true });
    });
    const add = (name: string, batchId: string): void => {
      queue.add({
        siteKey: 'h',
        direction: 'download',
        remotePath: `/${name}`,
        localPath: path.join(work, name),
        batchId,
      });
    };
    add('a1.txt', 'A');
    add('a2.txt', 'A');
    await queue.whenIdle();
    add('b1.txt', 'B');
    add('b2.txt', 'B');
    await queue.whenIdle();
    // One question per batch: batch B was asked again.
    expect(asked).toHaveLength(2);
    expect(asked[1]?.startsWith('b')).toBe(true);
    for (const name of names) expect(await readFile(path.join(work, name), 'utf8')).toBe('server');
  });
});
