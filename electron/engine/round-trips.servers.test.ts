/**
 * Round-trip savings per file (server-quirks.ts) against the real servers: where they are on
 * (vsftpd) and where they are off (ProFTPD, pure-ftpd), files still arrive whole (SHA-256 on
 * both sides), a cancelled transfer leaves the session in step, and the log shows whether the
 * next EPSV went out before the previous transfer's final reply.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { PassThrough, Readable, Writable } from 'node:stream';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { LogLine } from '../../shared/models';
import { startHostileServer, type HostileServer } from '../../test/hostile/hostile-server';
import { startServer, stopAll, type ServerKind } from '../../test/servers/servers';
import { FaultProxy } from '../../test/support/fault-proxy';
import { FtpsClient } from './client';
import { FerryError } from './errors';
import { connectOptionsFor } from '../../test/support/engine';

const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');
// 200 KB: within the early close_notify's limit, and larger than one socket write (ProFTPD cut it).
const sizes = [0, 1, 16 * 1024, 16 * 1024 + 1, 200_000, 1024 * 1024, 3 * 1024 * 1024 + 17];
const files = sizes.map((size) => randomBytes(size));

afterAll(async () => {
  await stopAll();
});

function collect(): { sink: Writable; data: () => Buffer } {
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk);
      done();
    },
  });
  return { sink, data: () => Buffer.concat(chunks) };
}

/** Commands matching `sent` while a transfer command still waited for its final reply. */
function overlapped(log: LogLine[], sent: RegExp): number {
  let inTransfer = false;
  let count = 0;
  for (const line of log) {
    if (line.direction === 'command' && /^(RETR|STOR|LIST|MLSD)\b/.test(line.text)) {
      inTransfer = true;
    } else if (line.direction === 'command' && sent.test(line.text) && inTransfer) {
      count++;
    } else if (line.direction === 'reply' && /^(2|4|5)\d\d /.test(line.text) && inTransfer) {
      if (!line.text.startsWith('229')) inTransfer = false;
    }
  }
  return count;
}

/** Commands matching `sent` while an upload's SIZE still waited for its reply (one round trip). */
function withSize(log: LogLine[], sent: RegExp): number {
  let sizePending = false;
  let count = 0;
  for (const line of log) {
    if (line.direction === 'command' && line.text.startsWith('SIZE ')) sizePending = true;
    else if (line.direction === 'command' && sent.test(line.text) && sizePending) count++;
    else if (line.direction === 'reply' && /^213 \d+$/.test(line.text)) sizePending = false;
  }
  return count;
}

const KEPT_TIME = new Date('2020-02-02T02:02:02Z');

describe('round trips per file on real servers', () => {
  it.each<[ServerKind, boolean]>([
    ['vsftpd', true],
    ['proftpd', false],
    ['pureftpd', false],
  ])('%s: files arrive whole down and up (next EPSV early: %s)', async (kind, overlaps) => {
    const server = await startServer({ kind, mode: 'explicit', tlsMax: '1.3' });
    const log: LogLine[] = [];
    let mfmt = false;
    try {
      for (const [i, data] of files.entries()) await server.writeFile(`down/f${i}.bin`, data);
      await server.mkdir('up');
      const client = await FtpsClient.connect(
        connectOptionsFor(server, { onLog: (line) => log.push(line) }),
      );
      try {
        for (const [i, data] of files.entries()) {
          const target = collect();
          await client.download(`/down/f${i}.bin`, target.sink, { expectedSize: data.length });
          expect(sha256(target.data()), `download f${i}`).toBe(sha256(data));
        }
        // Without a size the download must end on close_notify: the early close is not used.
        const unsized = collect();
        await client.download('/down/f5.bin', unsized.sink);
        expect(sha256(unsized.data())).toBe(sha256(files[5] ?? Buffer.alloc(0)));
        for (const [i, data] of files.entries()) {
          const result = await client.upload(Readable.from([data]), `/up/u${i}.bin`, {
            size: data.length,
            sizeAfter: true,
            modifiedTimeAfter: KEPT_TIME,
          });
          expect(result.remoteSize, `SIZE after u${i}`).toBe(data.length);
          // vsftpd offers no MFMT: no time is set there.
          mfmt = client.features.mfmt;
          expect(result.timeKept).toBe(mfmt ? true : undefined);
          if (mfmt) expect((await stat(server.path(`up/u${i}.bin`))).mtime).toEqual(KEPT_TIME);
        }
        expect((await client.list('/up')).length).toBe(files.length);
        for (const [i, data] of files.entries()) {
          const onDisk = await readFile(server.path(`up/u${i}.bin`));
          expect(sha256(onDisk), `upload u${i}`).toBe(sha256(data));
        }
        // pure-ftpd sends no TLS 1.3 tickets, so its data connections cannot resume.
        if (kind !== 'pureftpd') {
          expect(client.dataConnections.every((record) => record.resumed)).toBe(true);
        }
      } finally {
        await client.close();
      }
      const early = overlapped(log, /^EPSV$/);
      // The upload's SIZE rides along with its STOR where the next EPSV does.
      const sizeEarly = overlapped(log, /^SIZE /);
      if (overlaps) {
        expect(early).toBeGreaterThan(files.length);
        expect(sizeEarly).toBe(files.length);
      } else {
        expect(early).toBe(0);
        expect(sizeEarly).toBe(0);
        // After the 226, the SIZE, the MFMT and the next file's EPSV go together.
        expect(withSize(log, /^EPSV$/)).toBe(files.length);
        expect(withSize(log, /^MFMT /)).toBe(mfmt ? files.length : 0);
      }
    } finally {
      await server.stop();
    }
  });

  it('vsftpd: small downloads through a proxy that closes both directions on a FIN still arrive whole', async () => {
    // The early close_notify must not half-close TCP: such a proxy would cut the server's data.
    const server = await startServer({ kind: 'vsftpd', mode: 'explicit', tlsMax: '1.3' });
    const proxy = await FaultProxy.start({
      controlPort: server.port,
      passivePorts: server.pasvPorts,
    });
    try {
      for (const [i, data] of files.entries()) await server.writeFile(`p/f${i}.bin`, data);
      const client = await FtpsClient.connect(connectOptionsFor(server, { host: proxy.host }));
      try {
        for (let round = 0; round < 3; round++) {
          for (const [i, data] of files.entries()) {
            const target = collect();
            await client.download(`/p/f${i}.bin`, target.sink, { expectedSize: data.length });
            expect(sha256(target.data()), `f${i}`).toBe(sha256(data));
          }
        }
      } finally {
        await client.close();
      }
    } finally {
      await proxy.stop();
      await server.stop();
    }
  });

  it('vsftpd: small downloads ended early reach a slow reader whole (no stall when it pushes back)', async () => {
    // The early close_notify ended our TLS side; pausing the TLS socket after that (a sink's
    // backpressure) left it paused for good: 200 KB into a 64 KiB sink never finished.
    const server = await startServer({ kind: 'vsftpd', mode: 'explicit', tlsMax: '1.3' });
    try {
      const data = randomBytes(200_000);
      await server.writeFile('slow.bin', data);
      const client = await FtpsClient.connect(connectOptionsFor(server));
      try {
        for (let round = 0; round < 5; round++) {
          const chunks: Buffer[] = [];
          const slow = new Writable({
            highWaterMark: 16 * 1024,
            write(chunk: Buffer, _encoding, done) {
              chunks.push(chunk);
              setTimeout(done, 2);
            },
          });
          const finished = client.download('/slow.bin', slow, { expectedSize: data.length });
          let timer: NodeJS.Timeout | undefined;
          const stalled = new Promise<string>((resolve) => {
            timer = setTimeout(resolve, 10_000, 'stalled');
          });
          const outcome = await Promise.race([finished.then(() => 'done'), stalled]);
          clearTimeout(timer);
          expect(outcome).toBe('done');
          expect(sha256(Buffer.concat(chunks))).toBe(sha256(data));
        }
      } finally {
        await client.close();
      }
    } finally {
      await server.stop();
    }
  });

  it('vsftpd: a download cancelled with the next EPSV outstanding leaves the session in step', async () => {
    const server = await startServer({ kind: 'vsftpd', mode: 'explicit', tlsMax: '1.3' });
    try {
      const big = randomBytes(32 * 1024 * 1024);
      await server.writeFile('big.bin', big);
      await server.writeFile('small.bin', files[2] ?? Buffer.alloc(0));
      const client = await FtpsClient.connect(connectOptionsFor(server));
      try {
        const controller = new AbortController();
        // A reader that never drains: the transfer stalls until it is cancelled.
        const stuck = new PassThrough({ highWaterMark: 1024 });
        const cancelled = client.download('/big.bin', stuck, {
          expectedSize: big.length,
          signal: controller.signal,
        });
        await new Promise((resolve) => setTimeout(resolve, 300));
        controller.abort();
        const error = await cancelled.then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(FerryError);
        expect((error as FerryError).kind).toBe('cancelled');
        for (let i = 0; i < 3; i++) {
          const target = collect();
          await client.download('/small.bin', target.sink, { expectedSize: 16 * 1024 });
          expect(sha256(target.data())).toBe(sha256(files[2] ?? Buffer.alloc(0)));
        }
        expect(await client.pwd()).toBe('/');
      } finally {
        await client.close();
      }
    } finally {
      await server.stop();
    }
  });
});

describe('round-trip savings against a hostile server', () => {
  let hostile: HostileServer | undefined;
  afterEach(async () => {
    await hostile?.stop();
    hostile = undefined;
  });

  it('a server posing as vsftpd that answers the early EPSV instead of the RETR fails the file, not passes it', async () => {
    const content = randomBytes(4096);
    hostile = await startHostileServer({
      greeting: '220 (vsFTPd 3.0.3)',
      files: { '/a.bin': content, '/b.bin': content },
      // The data arrives whole, but the RETR's final reply never comes: the next reply is the
      // 229 answering the early EPSV.
      retr: (path) => (path === '/a.bin' ? { content, finalReply: null } : undefined),
    });
    const client = await FtpsClient.connect(connectOptionsFor(hostile));
    try {
      const error = await client
        .download('/a.bin', collect().sink, { expectedSize: content.length })
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(error).toBeInstanceOf(FerryError);
      expect((error as FerryError).detail).toMatchObject({ kind: 'protocol' });
      expect(client.closed).toBe(true);
    } finally {
      await client.close().catch(() => undefined);
    }
  });

  it('an unknown server gets no early EPSV', async () => {
    const content = randomBytes(4096);
    hostile = await startHostileServer({ files: { '/a.bin': content, '/b.bin': content } });
    const client = await FtpsClient.connect(connectOptionsFor(hostile));
    try {
      for (const path of ['/a.bin', '/b.bin']) {
        const target = collect();
        await client.download(path, target.sink, { expectedSize: content.length });
        expect(sha256(target.data())).toBe(sha256(content));
      }
    } finally {
      await client.close();
    }
    const commands = hostile.commands.filter((c) => /^(EPSV|RETR)/.test(c));
    expect(commands).toEqual(['EPSV', 'RETR /a.bin', 'EPSV', 'RETR /b.bin']);
  });
});
