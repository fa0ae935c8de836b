// The engine against a hostile or broken server (test/hostile): silence, truncation, lies.
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import {
  startHostileServer,
  type HostileScript,
  type HostileServer,
} from '../../test/hostile/hostile-server';
import { connectOptionsFor } from '../../test/support/engine';
import { FtpsClient } from './client';
import { FerryError } from './errors';
import type { ConnectOptions } from './types';

let server: HostileServer | undefined;
let client: FtpsClient | undefined;

afterEach(async () => {
  await client?.close().catch(() => undefined);
  await server?.stop();
  client = undefined;
  server = undefined;
});

async function connect(
  script: HostileScript,
  extra: Partial<ConnectOptions> = {},
): Promise<FtpsClient> {
  server = await startHostileServer(script);
  client = await FtpsClient.connect(connectOptionsFor(server, extra));
  return client;
}

function collector(): { sink: Writable; bytes: () => number } {
  let n = 0;
  const sink = new Writable({
    write(chunk: Buffer, _e, cb) {
      n += chunk.length;
      cb();
    },
  });
  return { sink, bytes: () => n };
}

async function failure(promise: Promise<unknown>): Promise<FerryError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof FerryError) return error;
    throw error;
  }
  throw new Error('expected a failure');
}

describe('engine against a hostile server', () => {
  it('case 6: a server silent after RETR fails with a timeout naming the step, not a hang', async () => {
    const c = await connect(
      {
        files: { '/f.bin': 'x'.repeat(100) },
        on: (verb) => (verb === 'RETR' ? null : undefined),
      },
      { timeouts: { replyMs: 800, dataIdleMs: 800 } },
    );
    const started = Date.now();
    const error = await failure(c.download('/f.bin', collector().sink));
    expect(error.detail.kind).toBe('timeout');
    expect(error.detail.step).toContain('/f.bin');
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('case 6: a server silent after MLSD fails with a timeout, not a hang', async () => {
    const c = await connect(
      { on: (verb) => (verb === 'MLSD' ? null : undefined) },
      { timeouts: { replyMs: 800, dataIdleMs: 800 } },
    );
    const error = await failure(c.list('/'));
    expect(error.detail.kind).toBe('timeout');
    expect(error.detail.step).toContain('list');
  });

  it('case 6: a data connection that goes quiet after 150 ends at the data idle timeout', async () => {
    const c = await connect(
      {
        files: { '/f.bin': 'x' },
        // 150 and a first part are sent, then the data connection goes quiet, still open.
        retr: () => ({ content: Buffer.alloc(100_000, 1), cutAfter: 50_000, stall: true }),
      },
      { timeouts: { replyMs: 60_000, dataIdleMs: 800 } },
    );
    const started = Date.now();
    const error = await failure(c.download('/f.bin', collector().sink));
    expect(['timeout', 'closed']).toContain(error.detail.kind);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it.each(['213 ', '213 0x10', '213 1e3', '213 -0', '213 16.5', '213 +16'])(
    'a SIZE reply that is not a decimal count of bytes (%j) is refused, not read as a number',
    async (answer) => {
      const c = await connect({
        files: { '/f.bin': 'x'.repeat(16) },
        on: (verb) => (verb === 'SIZE' ? answer : undefined),
      });
      const error = await failure(c.size('/f.bin'));
      expect(error.detail).toMatchObject({ kind: 'protocol', step: 'size of /f.bin' });
    },
  );

  it('case 8: a stream longer than SIZE stops as soon as it passes the size', async () => {
    const big = Buffer.alloc(20 * 1024 * 1024, 7);
    const c = await connect({
      files: { '/small.txt': '0123456789' },
      retr: () => ({ content: big }),
    });
    const out = collector();
    const error = await failure(c.download('/small.txt', out.sink, { expectedSize: 10 }));
    expect(error.detail.kind).toBe('protocol');
    expect(error.message).toMatch(/more than the 10 bytes/);
    // Stopped at the first chunk past the size (the temp file is the caller's to drop), not after 20 MiB.
    expect(out.bytes()).toBeLessThan(1024 * 1024);
  });

  it('case 7: under PROT P, a download cut without close_notify is an error even without a size', async () => {
    const content = Buffer.alloc(4_000_000, 3);
    const c = await connect({
      features: ['UTF8', 'EPSV'],
      files: { '/big.bin': content },
      retr: () => ({ content, cutAfter: 1_000_000, closeNotify: false }),
    });
    const error = await failure(c.download('/big.bin', collector().sink));
    expect(error.detail.kind).toBe('closed');
    expect(error.message).toMatch(/close_notify|truncated/);
  });

  it('case 7: a whole file ended with close_notify is accepted without a size', async () => {
    const content = Buffer.alloc(300_000, 3);
    const c = await connect({ features: ['UTF8', 'EPSV'], files: { '/ok.bin': content } });
    const out = collector();
    const result = await c.download('/ok.bin', out.sink);
    expect(result.bytes).toBe(300_000);
    expect(out.bytes()).toBe(300_000);
    expect(result.record.closeNotify).toBe(true);
  });
});

describe('hidden files (issue 12, case 5)', () => {
  it('a LIST server shows dotfiles: the engine asks LIST -a', async () => {
    const c = await connect({
      features: ['UTF8', 'SIZE', 'EPSV'],
      files: { '/site/.htaccess': 'deny', '/site/.env': 'SECRET=1', '/site/index.html': 'hi' },
    });
    const names = (await c.list('/site')).map((e) => e.name).sort();
    expect(names).toEqual(['.env', '.htaccess', 'index.html']);
  });

  it('a server refusing LIST -a falls back to LIST and says hidden files may be missing', async () => {
    const lines: string[] = [];
    const c = await connect(
      {
        features: ['UTF8', 'SIZE', 'EPSV'],
        files: { '/site/index.html': 'hi' },
        on: (verb, arg) => (verb === 'LIST' && arg.startsWith('-a') ? '501 Bad option' : undefined),
      },
      { onLog: (line) => lines.push(line.text) },
    );
    expect((await c.list('/site')).map((e) => e.name)).toEqual(['index.html']);
    expect(lines.some((l) => /hidden files/.test(l))).toBe(true);
  });

  it('a recursive delete on a LIST server removes the dotfiles too', async () => {
    const c = await connect({
      features: ['UTF8', 'SIZE', 'EPSV'],
      files: { '/gone/.htaccess': 'deny', '/gone/sub/.env': 'x', '/gone/index.html': 'hi' },
    });
    await c.rmdir('/gone', { recursive: true });
    expect([...(server?.files.keys() ?? [])]).toEqual([]);
    expect(await c.list('/')).toEqual([]);
  });

  it('a site set to LIST without -a (servers that read it as a file name) sends a bare LIST', async () => {
    const c = await connect(
      {
        features: ['UTF8', 'SIZE', 'EPSV'],
        files: { '/site/.htaccess': 'deny', '/site/index.html': 'hi' },
      },
      { listCommand: 'list-bare' },
    );
    expect((await c.list('/site')).map((e) => e.name)).toEqual(['index.html']);
    expect(server?.commands).toContain('LIST /site');
    expect(server?.commands.some((line) => line.startsWith('LIST -a'))).toBe(false);
  });
});
