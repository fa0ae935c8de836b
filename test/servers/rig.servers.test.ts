// Checks the test rig itself, with curl, openssl s_client and Node's tls (never Ferry's engine):
// every server kind × mode × TLS limit starts, lists, accepts an upload, limits TLS as asked and
// logs what the engine tests look for; the options do what they say; stop() leaves nothing.
import { spawn } from 'node:child_process';
import { randomBytes, X509Certificate } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getSharedCerts, type TestCerts } from './certs';
import {
  cleanupOrphans,
  LOG_PATTERNS,
  type RunningServer,
  SERVER_KINDS,
  type ServerKind,
  serverAvailable,
  startServer,
  stopAll,
  type TlsMax,
  type TlsMode,
} from './servers';

interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(cmd: string, args: string[], timeoutMs = 20_000): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end();
  });
}

function url(s: RunningServer, path = '/'): string {
  const scheme = !s.plain && s.mode === 'implicit' ? 'ftps' : 'ftp';
  return `${scheme}://${s.user}:${s.password}@127.0.0.1:${s.port}${path}`;
}

function curl(s: RunningServer, path: string, extra: string[] = []): Promise<RunResult> {
  const tlsArgs = s.plain ? [] : ['--ssl-reqd', '-k'];
  return run('curl', ['-sS', '-v', '--max-time', '15', ...tlsArgs, ...extra, url(s, path)]);
}

async function sClient(s: RunningServer, version: '-tls1_2' | '-tls1_3'): Promise<RunResult> {
  const starttls = s.mode === 'explicit' ? ['-starttls', 'ftp'] : [];
  return run('openssl', [
    's_client',
    '-connect',
    `127.0.0.1:${s.port}`,
    ...starttls,
    version,
    '-brief',
  ]);
}

/** Fingerprint of the certificate the server presents, read with s_client -showcerts. */
async function presentedFingerprint(s: RunningServer): Promise<string> {
  const starttls = s.mode === 'explicit' ? ['-starttls', 'ftp'] : [];
  const r = await run('openssl', [
    's_client',
    '-connect',
    `127.0.0.1:${s.port}`,
    ...starttls,
    '-showcerts',
  ]);
  const pem = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(r.stdout);
  if (pem === null) throw new Error(`no certificate from s_client: ${r.stderr}`);
  return new X509Certificate(pem[0]).fingerprint256;
}

/** The first reply line a raw connection gets (or 'closed'). */
function firstReply(port: number): Promise<{ line: string; socket: net.Socket }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    let buf = '';
    socket.on('data', (d: Buffer) => {
      buf += d.toString('latin1');
      const m = /^\d{3} .*$/m.exec(buf);
      if (m !== null) resolve({ line: m[0], socket });
    });
    socket.on('error', reject);
    socket.on('close', () => resolve({ line: buf === '' ? 'closed' : buf.trim(), socket }));
  });
}

function expectGone(s: RunningServer): void {
  expect(existsSync(s.dir)).toBe(false);
  expect(existsSync(`/proc/${s.pid}`)).toBe(false);
}

let certs: TestCerts;
let scratch: string;

beforeAll(async () => {
  // Missing servers must fail the run, not skip it.
  for (const kind of SERVER_KINDS) serverAvailable(kind);
  certs = await getSharedCerts();
  scratch = await mkdtemp(join(tmpdir(), 'ferry-rig-test-'));
});

afterAll(async () => {
  await stopAll();
  await rm(scratch, { recursive: true, force: true });
});

const matrix: { kind: ServerKind; mode: TlsMode; tlsMax: TlsMax }[] = [];
for (const kind of SERVER_KINDS) {
  for (const mode of ['explicit', 'implicit'] as const) {
    if (kind === 'pureftpd' && mode === 'implicit') continue; // unsupported, tested below
    for (const tlsMax of ['1.2', '1.3'] as const) matrix.push({ kind, mode, tlsMax });
  }
}

describe.concurrent('each server, mode and TLS limit', () => {
  for (const { kind, mode, tlsMax } of matrix) {
    it(`${kind} ${mode} TLS ≤ ${tlsMax}: lists, uploads, limits TLS, logs, stops`, async () => {
      const s = await startServer({ kind, mode, tlsMax });
      try {
        expect(s.host).toBe('127.0.0.1');
        expect(s.fingerprint256).toBe(certs.selfSigned.fingerprint256);
        await s.writeFile('seeded/hello.txt', 'hello');

        const list = await curl(s, '/');
        expect(list.code, list.stderr).toBe(0);
        expect(list.stdout).toContain('seeded');
        expect(list.stderr).toContain(`SSL connection using TLSv${tlsMax}`);

        const payload = randomBytes(64 * 1024 + 17);
        const local = join(scratch, `${kind}-${mode}-${tlsMax}.bin`);
        await writeFile(local, payload);
        const up = await curl(s, '/upload.bin', ['-T', local]);
        expect(up.code, up.stderr).toBe(0);
        expect((await readFile(s.path('upload.bin'))).equals(payload)).toBe(true);
        expect((await stat(s.path('upload.bin'))).uid).toBe(s.uid);

        const [v12, v13] = await Promise.all([sClient(s, '-tls1_2'), sClient(s, '-tls1_3')]);
        expect(v12.code, v12.stderr).toBe(0);
        if (tlsMax === '1.2') {
          expect(v13.code).not.toBe(0);
        } else {
          expect(v13.code, v13.stderr).toBe(0);
          expect(v13.stderr).toContain('Protocol version: TLSv1.3');
        }

        expect(await presentedFingerprint(s)).toBe(s.fingerprint256);

        const patterns = LOG_PATTERNS[kind];
        const log = await s.waitForLog(patterns.userReceived);
        const reuse = patterns.dataTlsReused;
        if (reuse !== null) expect(log).toMatch(reuse);
        if (patterns.dataTlsRejected !== null) expect(log).not.toMatch(patterns.dataTlsRejected);
        // The readiness probe never logs in.
        const full = await s.readLog();
        const probePart = full.slice(
          0,
          full.length - (await s.readLog({ sinceReady: true })).length,
        );
        expect(probePart).not.toMatch(patterns.userReceived);
      } finally {
        await s.stop();
      }
      expectGone(s);
    });
  }
});

describe.concurrent('certificates', () => {
  function handshake(
    cert: { certPem: string; keyPem: string },
    ca: string[] | undefined,
  ): Promise<{ authorized: boolean; error: string | null; fingerprint: string }> {
    return new Promise((resolve, reject) => {
      const server = tls.createServer({ cert: cert.certPem, key: cert.keyPem }, (sock) => {
        sock.end();
      });
      server.listen(0, '127.0.0.1', () => {
        const { port } = server.address() as net.AddressInfo;
        const client = tls.connect({ host: '127.0.0.1', port, ca, rejectUnauthorized: false });
        client.once('secureConnect', () => {
          const authError = client.authorizationError;
          const result = {
            authorized: client.authorized,
            error: authError === null ? null : String(authError),
            fingerprint: client.getPeerCertificate().fingerprint256,
          };
          client.destroy();
          server.close();
          resolve(result);
        });
        client.once('error', (e: Error) => {
          server.close();
          reject(e);
        });
      });
    });
  }

  it('the self-signed cert verifies against itself, for 127.0.0.1', async () => {
    const r = await handshake(certs.selfSigned, [certs.selfSigned.certPem]);
    expect(r).toMatchObject({ authorized: true, fingerprint: certs.selfSigned.fingerprint256 });
    const untrusted = await handshake(certs.selfSigned, undefined);
    expect(untrusted.error).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
  });

  it('CA-signed, expired and wrong-host certs fail only where they should', async () => {
    const ca = [certs.ca.certPem];
    expect(await handshake(certs.caSigned, ca)).toMatchObject({ authorized: true });
    expect((await handshake(certs.expired, ca)).error).toBe('CERT_HAS_EXPIRED');
    expect((await handshake(certs.wrongHost, ca)).error).toMatch(/ERR_TLS_CERT_ALTNAME_INVALID|IP/);
    expect((await handshake(certs.caSigned, undefined)).error).toBe(
      'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    );
  });

  it('fingerprints match Node and the client PKCS#12 opens with its passphrase', () => {
    for (const c of [certs.selfSigned, certs.ca, certs.caSigned, certs.expired, certs.wrongHost]) {
      expect(new X509Certificate(c.certPem).fingerprint256).toBe(c.fingerprint256);
    }
    const client = new X509Certificate(certs.client.certPem);
    expect(client.checkIssued(new X509Certificate(certs.clientCa.certPem))).toBe(true);
    expect(readFileSync(certs.client.p12Path).equals(certs.client.p12)).toBe(true);
    expect(() =>
      tls.createSecureContext({ pfx: certs.client.p12, passphrase: certs.client.p12Passphrase }),
    ).not.toThrow();
    expect(() => tls.createSecureContext({ pfx: certs.client.p12, passphrase: 'wrong' })).toThrow();
  });
});

describe.concurrent('options', () => {
  it('serves the chosen certificate', async () => {
    const s = await startServer({
      kind: 'proftpd',
      mode: 'implicit',
      tlsMax: '1.3',
      cert: 'expired',
    });
    try {
      expect(s.fingerprint256).toBe(certs.expired.fingerprint256);
      expect(await presentedFingerprint(s)).toBe(certs.expired.fingerprint256);
    } finally {
      await s.stop();
    }
  });

  for (const kind of SERVER_KINDS) {
    it(`${kind}: PROT C only with allowPlainData`, async () => {
      const strict = await startServer({ kind, mode: 'explicit', tlsMax: '1.3' });
      const lax = await startServer({
        kind,
        mode: 'explicit',
        tlsMax: '1.3',
        allowPlainData: true,
      });
      try {
        // --ftp-ssl-control: TLS for login, then PROT C for data.
        // curl goes on after PROT C is refused, and ProFTPD then waits for a TLS data handshake
        // that never comes: hence the short --max-time.
        const refused = await run('curl', [
          '-sS',
          '-v',
          '-k',
          '--max-time',
          '3',
          '--ftp-ssl-control',
          url(strict),
        ]);
        expect(refused.code).not.toBe(0);
        // ProFTPD and pure-ftpd refuse PROT C itself; vsftpd accepts it and refuses the transfer
        // ("522 Data connections must be encrypted").
        expect(refused.stderr).toMatch(/^< 5\d\d /m);
        const accepted = await run('curl', ['-sS', '-k', '--ftp-ssl-control', url(lax)]);
        expect(accepted.code, accepted.stderr).toBe(0);
      } finally {
        await Promise.all([strict.stop(), lax.stop()]);
      }
    });

    it(`${kind}: plain FTP`, async () => {
      const s = await startServer({ kind, mode: 'explicit', tlsMax: '1.3', plain: true });
      try {
        expect(s.certPem).toBe('');
        await s.writeFile('a.txt', 'a');
        const r = await run('curl', ['-sS', url(s)]);
        expect(r.code, r.stderr).toBe(0);
        expect(r.stdout).toContain('a.txt');
      } finally {
        await s.stop();
      }
    });

    it(`${kind}: maxPerIp`, async () => {
      const s = await startServer({ kind, mode: 'explicit', tlsMax: '1.3', maxPerIp: 1 });
      try {
        const first = await firstReply(s.port);
        expect(first.line).toMatch(/^220 /);
        const second = await firstReply(s.port);
        expect(second.line).not.toMatch(/^220 /);
        first.socket.destroy();
        second.socket.destroy();
      } finally {
        await s.stop();
      }
    });
  }

  for (const kind of ['vsftpd', 'proftpd'] as const) {
    // lftp, because curl 7.88 times out on active-mode FTPS data connections (plain FTP works).
    const lftpActiveList = (s: RunningServer): Promise<RunResult> =>
      run('lftp', [
        '-c',
        [
          'set cmd:fail-exit yes',
          'set net:max-retries 1',
          'set net:timeout 5',
          'set ftp:passive-mode off',
          'set ssl:verify-certificate no',
          'set ftp:ssl-force yes',
          'set ftp:ssl-protect-data yes',
          `open -u ${s.user},${s.password} -p ${s.port} 127.0.0.1`,
          'ls',
        ].join('; '),
      ]);

    it(`${kind}: PORT/EPRT only with active`, async () => {
      const off = await startServer({ kind, mode: 'explicit', tlsMax: '1.2' });
      const on = await startServer({ kind, mode: 'explicit', tlsMax: '1.3', active: true });
      try {
        await on.writeFile('active.txt', 'x');
        const refused = await lftpActiveList(off);
        expect(refused.code).not.toBe(0);
        expect(await off.readLog()).toMatch(/PORT 127,0,0,1/);
        const accepted = await lftpActiveList(on);
        expect(accepted.code, accepted.stderr).toBe(0);
        expect(accepted.stdout).toContain('active.txt');
      } finally {
        await Promise.all([off.stop(), on.stop()]);
      }
    });

    it(`${kind}: verifyClient requires a client certificate from the CA`, async () => {
      const s = await startServer({
        kind,
        mode: 'explicit',
        tlsMax: '1.2',
        verifyClient: { caPath: certs.clientCa.certPath },
      });
      try {
        const without = await curl(s, '/');
        expect(without.code).not.toBe(0);
        const withCert = await curl(s, '/', [
          '--cert',
          certs.client.certPath,
          '--key',
          certs.client.keyPath,
        ]);
        expect(withCert.code, withCert.stderr).toBe(0);
      } finally {
        await s.stop();
      }
    });
  }

  it('proftpd: ccc lets the control connection drop TLS after login', async () => {
    const s = await startServer({ kind: 'proftpd', mode: 'explicit', tlsMax: '1.2', ccc: true });
    try {
      const r = await curl(s, '/', ['--ftp-ssl-ccc']);
      expect(r.code, r.stderr).toBe(0);
      expect(await s.waitForLog(/cmd="CCC"/)).toMatch(/cmd="CCC" resp="200/);
    } finally {
      await s.stop();
    }
  });

  it('proftpd: digest loads mod_digest, so FEAT lists HASH and HASH answers', async () => {
    const s = await startServer({ kind: 'proftpd', mode: 'explicit', tlsMax: '1.3', digest: true });
    try {
      await s.writeFile('sum.txt', 'abc');
      const r = await curl(s, '/', [
        '-Q',
        'FEAT',
        '-Q',
        'OPTS HASH SHA-256',
        '-Q',
        'HASH /sum.txt',
      ]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/^< .*HASH CRC32;MD5;SHA-1\*;SHA-256;SHA-512;/m);
      // SHA-256 of "abc".
      const sum = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';
      expect(await s.waitForLog(/cmd="HASH \/sum.txt"/)).toContain(
        `cmd="HASH /sum.txt" resp="213 SHA-256 0-3 ${sum} /sum.txt"`,
      );
    } finally {
      await s.stop();
    }
  });

  it('refuses unsupported combinations with a clear error', async () => {
    await expect(
      startServer({ kind: 'pureftpd', mode: 'implicit', tlsMax: '1.3' }),
    ).rejects.toThrow(/implicit/);
    await expect(
      startServer({ kind: 'vsftpd', mode: 'explicit', tlsMax: '1.3', ccc: true }),
    ).rejects.toThrow(/ccc/);
    await expect(
      startServer({ kind: 'pureftpd', mode: 'explicit', tlsMax: '1.3', digest: true }),
    ).rejects.toThrow(/digest/);
    await expect(
      startServer({
        kind: 'vsftpd',
        mode: 'explicit',
        tlsMax: '1.3',
        allowPlainData: true,
        requireTlsOnData: true,
      }),
    ).rejects.toThrow(/contradict/);
  });

  it('writeFile and mkdir stay inside root and give files to the FTP user', async () => {
    const s = await startServer({ kind: 'vsftpd', mode: 'implicit', tlsMax: '1.3' });
    try {
      const dir = await s.mkdir('a/b');
      expect((await stat(dir)).uid).toBe(s.uid);
      expect((await stat(join(s.root, 'a'))).uid).toBe(s.uid);
      expect(() => s.path('../escape')).toThrow(/escapes/);
      // The FTP user can delete what the test seeded.
      await s.writeFile('a/b/c.txt', 'c');
      const del = await curl(s, '/a/b/', ['-Q', '-DELE c.txt']);
      expect(del.code, del.stderr).toBe(0);
      expect(existsSync(s.path('a/b/c.txt'))).toBe(false);
    } finally {
      await s.stop();
    }
    expectGone(s);
  });

  it('a later process stops servers whose owner was killed', async () => {
    const script = join(scratch, 'orphan.mts');
    const lib = fileURLToPath(new URL('./servers.ts', import.meta.url));
    await writeFile(
      script,
      `import { startServer } from ${JSON.stringify(lib)};\n` +
        `const s = await startServer({ kind: 'vsftpd', mode: 'explicit', tlsMax: '1.3' });\n` +
        `console.log(JSON.stringify({ dir: s.dir, pid: s.pid }));\n` +
        `setInterval(() => undefined, 1000);\n`,
    );
    const child = spawn(process.execPath, ['--import', 'tsx', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const started = await new Promise<{ dir: string; pid: number }>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString('utf8');
        const line = out.split('\n').find((l) => l.startsWith('{'));
        if (line !== undefined) resolve(JSON.parse(line) as { dir: string; pid: number });
      });
      child.once('exit', (code) => reject(new Error(`child exited with ${code}`)));
    });
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    expect(existsSync(`/proc/${started.pid}`)).toBe(true);
    await cleanupOrphans();
    expect(existsSync(started.dir)).toBe(false);
    for (let i = 0; i < 40 && existsSync(`/proc/${started.pid}`); i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(existsSync(`/proc/${started.pid}`)).toBe(false);
  });

  for (const kind of ['vsftpd', 'proftpd'] as const) {
    it(`${kind}: a data connection that does not resume the session is refused and logged`, async () => {
      const s = await startServer({ kind, mode: 'explicit', tlsMax: '1.2' });
      try {
        const ctl = await FtpControl.connect(s);
        await ctl.send('PBSZ 0');
        await ctl.send('PROT P');
        const epsv = await ctl.send('EPSV');
        const port = Number(/\(\|\|\|(\d+)\|\)/.exec(epsv)?.[1]);
        ctl.write('LIST');
        // A fresh TLS session (no `session` option): the server must refuse it.
        const data = tls.connect({ host: '127.0.0.1', port, rejectUnauthorized: false });
        data.on('error', () => undefined);
        data.resume();
        const replies = [await ctl.reply()];
        if (replies[0]?.startsWith('1')) replies.push(await ctl.reply());
        expect(replies.at(-1)).toMatch(/^(425|522) /);
        data.destroy();
        ctl.close();
        const pattern = LOG_PATTERNS[kind].dataTlsRejected as RegExp;
        await s.waitForLog(pattern);
        expect(await s.readLog()).not.toMatch(LOG_PATTERNS[kind].dataTlsReused as RegExp);
      } finally {
        await s.stop();
      }
    });
  }
});

/** Just enough of an explicit-FTPS control connection to script one exchange. */
class FtpControl {
  private buf = '';
  private waiters: (() => void)[] = [];

  private constructor(private sock: tls.TLSSocket) {
    sock.on('data', (d: Buffer) => {
      this.buf += d.toString('latin1');
      this.waiters.splice(0).forEach((w) => w());
    });
  }

  static async connect(s: RunningServer): Promise<FtpControl> {
    const raw = net.connect({ host: '127.0.0.1', port: s.port });
    let plain = '';
    let authSent = false;
    await new Promise<void>((resolve, reject) => {
      raw.on('error', reject);
      raw.on('data', (d: Buffer) => {
        plain += d.toString('latin1');
        if (!authSent && /^220 /m.test(plain)) {
          authSent = true;
          raw.write('AUTH TLS\r\n');
        } else if (/^234 /m.test(plain)) {
          raw.removeAllListeners('data');
          resolve();
        }
      });
    });
    const sock = tls.connect({ socket: raw, rejectUnauthorized: false });
    await new Promise<void>((resolve, reject) => {
      sock.once('secureConnect', () => resolve());
      sock.once('error', reject);
    });
    sock.on('error', () => undefined);
    const ctl = new FtpControl(sock);
    await ctl.send(`USER ${s.user}`);
    const pass = await ctl.send(`PASS ${s.password}`);
    if (!pass.startsWith('230')) throw new Error(`login failed: ${pass}`);
    return ctl;
  }

  write(line: string): void {
    this.sock.write(`${line}\r\n`);
  }

  async send(line: string): Promise<string> {
    this.write(line);
    return this.reply();
  }

  async reply(): Promise<string> {
    for (;;) {
      const m = /^(\d{3}) .*\r?\n/m.exec(this.buf);
      if (m !== null) {
        const end = m.index + m[0].length;
        const text = this.buf.slice(0, end);
        this.buf = this.buf.slice(end);
        return (
          text
            .split(/\r?\n/)
            .filter((l) => l !== '')
            .at(-1) ?? ''
        );
      }
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no reply; have: ${this.buf}`)), 10_000);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  close(): void {
    this.sock.destroy();
  }
}
