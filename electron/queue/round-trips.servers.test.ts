/**
 * Round trips per file: MDTM (one round trip) is sent only where the time decides something.
 * vsftpd lists with LIST only, so its times are to the minute and an exact time costs an MDTM.
 * Mirror ("size differs or newer") needs the time only for targets of the same size; keeping
 * times (a setting) needs it for every file it writes.
 */
import { mkdtemp, rm, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LogLine } from '../../shared/models';
import { startServer, stopAll, type RunningServer } from '../../test/servers/servers';
import { TransferQueue } from './queue';
import { siteFor, writeLocal } from '../../test/support/queue';

let server: RunningServer;
let work: string;

beforeAll(async () => {
  server = await startServer({ kind: 'vsftpd', mode: 'explicit', tlsMax: '1.3' });
  work = await mkdtemp(path.join(tmpdir(), 'ferry-round-trips-'));
});

afterAll(async () => {
  await stopAll();
  await rm(work, { recursive: true, force: true });
});

/** Runs one folder transfer with the mirror policy; returns the MDTM commands sent. */
async function mirror(
  direction: 'download' | 'upload',
  local: string,
  remote: string,
  preserveTimes: boolean,
): Promise<string[]> {
  const commands: string[] = [];
  const onLog = (line: LogLine): void => {
    if (line.direction === 'command') commands.push(line.text);
  };
  const queue = new TransferQueue({
    onExists: {
      upload: 'overwrite-if-size-differs-or-newer',
      download: 'overwrite-if-size-differs-or-newer',
    },
    preserveTimes,
    retry: { baseDelayMs: 50, maxDelayMs: 200 },
  });
  queue.setSite(siteFor(server, 'vs', { onLog, maxConnections: 1 }));
  queue.add({ siteKey: 'vs', direction, localPath: local, remotePath: remote, isDirectory: true });
  await queue.whenIdle();
  const items = queue.list();
  await queue.dispose();
  expect(items.filter((item) => item.state !== 'done')).toEqual([]);
  return commands.filter((command) => command.startsWith('MDTM '));
}

/** Local files older than the server's, so that "newer" would overwrite the same-size one. */
async function writeOld(root: string, rel: string, text: string): Promise<void> {
  await writeLocal(root, rel, Buffer.from(text));
  const old = new Date(Date.now() - 3600_000);
  await utimes(path.join(root, rel), old, old);
}

describe('a folder download starts moving files before the walk ends', () => {
  it('the first RETR goes out before the last folder is listed', async () => {
    for (let i = 0; i < 60; i++) await server.writeFile(`walk/d${i % 12}/f${i}.bin`, 'x');
    const commands: string[] = [];
    const queue = new TransferQueue({
      onExists: { upload: 'overwrite', download: 'overwrite' },
      preserveTimes: false,
    });
    queue.setSite(
      siteFor(server, 'vs', {
        maxConnections: 2,
        onLog: (line) => {
          if (line.direction === 'command') commands.push(line.text);
        },
      }),
    );
    queue.add({
      siteKey: 'vs',
      direction: 'download',
      localPath: path.join(work, 'walk'),
      remotePath: '/walk',
      isDirectory: true,
    });
    await queue.whenIdle();
    const items = queue.list();
    await queue.dispose();
    expect(items).toHaveLength(60);
    expect(items.filter((item) => item.state !== 'done')).toEqual([]);
    const firstRetr = commands.findIndex((command) => command.startsWith('RETR '));
    const lists = commands.flatMap((command, index) =>
      command.startsWith('LIST ') ? [index] : [],
    );
    expect(lists).toHaveLength(13);
    // Every listing is several round trips: waiting for all twelve folders before the first
    // file (as when the first batch was 500 files) cost seconds on a WAN link.
    expect(firstRetr).toBeGreaterThan(-1);
    expect(firstRetr).toBeLessThan(lists[lists.length - 1] ?? 0);
  });
});

describe('MDTM only where the time decides', () => {
  it('download mirror: only the same-size target needs the exact source time', async () => {
    for (const [name, text] of [
      ['same.bin', 'AAAA'],
      ['differs.bin', 'BBBBBB'],
      ['new.bin', 'CC'],
    ] as const)
      await server.writeFile(`down/${name}`, text);
    const local = path.join(work, 'down');
    await writeOld(local, 'same.bin', 'XXXX');
    await writeOld(local, 'differs.bin', 'B');
    expect(await mirror('download', local, '/down', false)).toEqual(['MDTM /down/same.bin']);
  });

  it('download mirror keeping times: one MDTM per file, for the decision or for the kept time, never twice', async () => {
    for (const [name, text] of [
      ['same.bin', 'AAAA'],
      ['differs.bin', 'BBBBBB'],
      ['new.bin', 'CC'],
    ] as const)
      await server.writeFile(`keep/${name}`, text);
    const local = path.join(work, 'keep');
    await writeOld(local, 'differs.bin', 'B');
    // Same size, and newer than the server's copy: skipped after its MDTM.
    await writeLocal(local, 'same.bin', Buffer.from('XXXX'));
    const future = new Date(Date.now() + 3600_000);
    await utimes(path.join(local, 'same.bin'), future, future);
    const mdtm = await mirror('download', local, '/keep', true);
    expect([...mdtm].sort()).toEqual([
      'MDTM /keep/differs.bin',
      'MDTM /keep/new.bin',
      'MDTM /keep/same.bin',
    ]);
  });

  it('upload mirror: MDTM of the remote target only when the sizes are equal', async () => {
    const local = path.join(work, 'up');
    await writeLocal(local, 'same.bin', Buffer.from('AAAA'));
    await writeLocal(local, 'differs.bin', Buffer.from('BBBBBB'));
    await writeLocal(local, 'new.bin', Buffer.from('CC'));
    await server.writeFile('up/same.bin', 'XXXX');
    await server.writeFile('up/differs.bin', 'B');
    expect(await mirror('upload', local, '/up', false)).toEqual(['MDTM /up/same.bin']);
  });
});
