// The built `ferry` (out/cli/ferry.mjs) run as a child process against real vsftpd, ProFTPD and
// pure-ftpd servers (test/servers): every server × mode × TLS version, plus the trust and error
// paths. Servers run concurrently to keep the file well under a minute.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fingerprint256, getSharedCerts } from '../../test/servers/certs';
import {
  SERVER_KINDS,
  startServer,
  type RunningServer,
  type ServerKind,
  type StartServerOptions,
  type TlsMax,
  type TlsMode,
} from '../../test/servers/servers';
import {
  baseUrl,
  describeRun,
  expectExit,
  ferry,
  setUpCliTests,
  sha256,
  type FerryJson,
  type SingleResult,
} from '../../test/support/cli';

const FIVE_MIB = 5 * 1024 * 1024;

/** The server's log once the session is over (pure-ftpd logs through syslog, asynchronously). */
async function logAfterSession(server: RunningServer): Promise<string> {
  if (server.kind === 'pureftpd')
    return server.waitForLog(/Logout|closed|Timeout/i, 5000).catch(() => server.readLog());
  return server.readLog({ sinceReady: true });
}

function loggedUser(log: string): boolean {
  // vsftpd `"USER ferrytest"`, ProFTPD `cmd="USER ferrytest"`, pure-ftpd `Command [user] [ferrytest]`.
  return /"USER |cmd="USER|\[user\]/i.test(log);
}

async function server(options: StartServerOptions): Promise<RunningServer> {
  return startServer(options);
}

const localFolder = setUpCliTests('ferry-cli-');

interface Combo {
  kind: ServerKind;
  mode: TlsMode;
  tlsMax: TlsMax;
}

const MATRIX: Combo[] = SERVER_KINDS.flatMap((kind) =>
  (['explicit', 'implicit'] as const)
    .filter((mode) => kind !== 'pureftpd' || mode === 'explicit')
    .flatMap((mode) => (['1.2', '1.3'] as const).map((tlsMax) => ({ kind, mode, tlsMax }))),
);

/**
 * pure-ftpd sends no TLS 1.3 session tickets on its control connection (`openssl s_client
 * -starttls ftp -msg` shows no NewSessionTicket; vsftpd and ProFTPD send two), so nothing can be
 * resumed. It does not require resumption either, so the transfers still work.
 */
function resumable(combo: Combo): boolean {
  return !(combo.kind === 'pureftpd' && combo.tlsMax === '1.3');
}

describe.concurrent('ferry --json against every server, mode and TLS version', () => {
  it.each(MATRIX)('$kind $mode TLS ≤ $tlsMax: ls, put 5 MiB, get, ls', async (combo) => {
    const srv = await server({ ...combo });
    const local = await localFolder(`${combo.kind}-${combo.mode}-${combo.tlsMax}-`);
    const payload = randomBytes(FIVE_MIB);
    const digest = sha256(payload);
    await writeFile(join(local, 'payload.bin'), payload);
    const url = baseUrl(srv);
    const pin = ['--pin', srv.fingerprint256.replace(/:/g, '').toLowerCase()];
    const protocol = `TLSv${combo.tlsMax}`;

    const checkSession = (json: FerryJson, command: string): void => {
      expect(json.control?.protocol).toBe(protocol);
      expect(json.control?.cipher).toBeTruthy();
      expect(json.certificate?.verdict).toEqual({ status: 'pinned' });
      expect(json.certificate?.chain[0]?.fingerprint256).toBe(srv.fingerprint256);
      expect(json.dataConnections.map((record) => record.command)).toEqual([command]);
      for (const record of json.dataConnections) {
        expect(record).toMatchObject({ resumed: resumable(combo), protocol, tls: true });
      }
    };
    const listCommand = (json: FerryJson): string => json.dataConnections[0]?.command ?? '?';

    const first = await ferry(['ls', '--json', ...pin, url]);
    const firstJson = expectExit(first, 0);
    expect(['MLSD', 'LIST']).toContain(listCommand(firstJson));
    checkSession(firstJson, listCommand(firstJson));
    expect(firstJson.result?.entries?.some((entry) => entry.name === 'payload.bin')).toBe(false);

    const put = await ferry(['put', '--json', ...pin, join(local, 'payload.bin'), url]);
    const putJson = expectExit(put, 0);
    checkSession(putJson, 'STOR');
    expect(putJson.result).toMatchObject({
      bytes: FIVE_MIB,
      sha256: digest,
      remotePath: 'payload.bin',
    });
    expect(sha256(await readFile(srv.path('payload.bin')))).toBe(digest);

    const get = await ferry([
      'get',
      '--json',
      ...pin,
      `${url}payload.bin`,
      join(local, 'back.bin'),
    ]);
    const getJson = expectExit(get, 0);
    checkSession(getJson, 'RETR');
    expect(getJson.result).toMatchObject({
      bytes: FIVE_MIB,
      sha256: digest,
      localPath: join(local, 'back.bin'),
    });
    expect(sha256(await readFile(join(local, 'back.bin')))).toBe(digest);
    expect(await readdir(local)).not.toContain('back.bin.part');

    const second = await ferry(['ls', '--json', ...pin, url]);
    const secondJson = expectExit(second, 0);
    checkSession(secondJson, listCommand(firstJson));
    const entry = secondJson.result?.entries?.find((candidate) => candidate.name === 'payload.bin');
    expect(entry).toMatchObject({ kind: 'file', size: FIVE_MIB });
    await srv.stop();
  });
});

describe.concurrent('trust: the certificate before the credentials', () => {
  it.each(SERVER_KINDS)(
    '%s: an untrusted self-signed certificate exits 3 with the report, sending no USER',
    async (kind) => {
      const srv = await server({ kind, mode: 'explicit', tlsMax: '1.3' });
      const run = await ferry(['ls', '--json', baseUrl(srv)]);
      const json = expectExit(run, 3);
      const openssl = await fingerprint256(srv.certPath);
      expect(json.error?.kind).toBe('tls-untrusted');
      expect(json.error?.fingerprint256).toBe(openssl);
      expect(json.certificate?.chain[0]?.fingerprint256).toBe(openssl);
      expect(json.certificate?.verdict).toMatchObject({
        status: 'untrusted',
        reasons: expect.arrayContaining(['self-signed']) as unknown,
      });
      expect(json.control?.protocol).toBe('TLSv1.3');
      expect(json.dataConnections).toEqual([]);
      expect(run.stderr).toMatch(/^ferry: .*certificate not trusted/);

      // A pin for another certificate does not help: exit 3, verdict "changed".
      const wrongPin = await ferry(['ls', '--json', '--pin', 'AB'.repeat(32), baseUrl(srv)]);
      expect(expectExit(wrongPin, 3).certificate?.verdict.status).toBe('changed');

      expect(loggedUser(await logAfterSession(srv))).toBe(false);
      await srv.stop();
    },
  );

  it('ferry cert prints the report and verdict without logging in', async () => {
    const srv = await server({ kind: 'vsftpd', mode: 'explicit', tlsMax: '1.3' });
    const untrusted = await ferry(['cert', baseUrl(srv)]);
    expect(untrusted.code, describeRun(untrusted)).toBe(3);
    expect(untrusted.stdout).toContain(`SHA-256:      ${srv.fingerprint256}`);
    expect(untrusted.stdout).toContain('Subject:      CN=localhost');
    expect(untrusted.stdout).toMatch(/Verdict: +NOT TRUSTED \(self-signed/);
    expect(untrusted.stdout).toContain(`--pin ${srv.fingerprint256}`);

    const pinned = await ferry(['cert', '--json', '--pin', srv.fingerprint256, baseUrl(srv)]);
    const json = expectExit(pinned, 0);
    expect(json.result?.verdict).toEqual({ status: 'pinned' });
    expect(json.certificate?.chain[0]?.fingerprint256).toBe(srv.fingerprint256);
    expect(json.dataConnections).toEqual([]);

    expect(loggedUser(await srv.readLog({ sinceReady: true }))).toBe(false);
    await srv.stop();
  });

  it('--ca trusts a CA-signed server (verdict trusted by extra-ca); cert still sends no USER', async () => {
    const certs = await getSharedCerts();
    const srv = await server({
      kind: 'proftpd',
      mode: 'implicit',
      tlsMax: '1.3',
      cert: 'ca-signed',
    });
    const ca = ['--ca', certs.ca.certPath];

    const probe = await ferry(['cert', ...ca, baseUrl(srv)]);
    expect(probe.code, describeRun(probe)).toBe(0);
    expect(probe.stdout).toMatch(/Verdict: +TRUSTED \(chain verifies against the --ca file/);
    expect(loggedUser(await srv.readLog({ sinceReady: true }))).toBe(false);

    const withoutCa = await ferry(['ls', '--json', baseUrl(srv)]);
    expect(expectExit(withoutCa, 3).certificate?.verdict).toMatchObject({
      status: 'untrusted',
      reasons: ['unknown-issuer'],
    });

    const run = await ferry(['ls', '--json', ...ca, baseUrl(srv)]);
    const json = expectExit(run, 0);
    expect(json.certificate?.verdict).toEqual({ status: 'trusted', by: 'extra-ca' });
    expect(json.dataConnections.every((record) => record.resumed)).toBe(true);
    await srv.stop();
  });
});

describe.concurrent('connection options against ProFTPD (client certificate required)', () => {
  it('PEM and PKCS#12 client certificates, --active, --prot C, --ccc', async () => {
    const certs = await getSharedCerts();
    const srv = await server({
      kind: 'proftpd',
      mode: 'explicit',
      tlsMax: '1.3',
      verifyClient: { caPath: certs.clientCa.certPath },
      active: true,
      allowPlainData: true,
      ccc: true,
    });
    const pin = ['--pin', srv.fingerprint256];
    const pem = ['--client-cert', certs.client.certPath, '--client-key', certs.client.keyPath];
    const url = baseUrl(srv);
    const [none, withPem, withPfx, badPass, mismatch, active, clear, ccc] = await Promise.all([
      ferry(['ls', '--json', ...pin, url]),
      ferry(['ls', '--json', ...pin, ...pem, url]),
      ferry(['ls', '--json', ...pin, '--pfx', certs.client.p12Path, url], {
        env: { FERRY_PFX_PASSWORD: certs.client.p12Passphrase },
      }),
      ferry(['ls', '--json', ...pin, '--pfx', certs.client.p12Path, '--pfx-pass', 'wrong', url]),
      ferry([
        'ls',
        '--json',
        ...pin,
        '--client-cert',
        certs.client.certPath,
        '--client-key',
        certs.selfSigned.keyPath,
        url,
      ]),
      ferry(['ls', '--json', ...pin, ...pem, '--active', url]),
      ferry(['ls', '--json', ...pin, ...pem, '--prot', 'C', url]),
      ferry(['ls', '--json', ...pin, ...pem, '--ccc', url]),
    ]);
    expect(expectExit(none, 6).error?.kind).toBe('tls-handshake');
    for (const run of [withPem, withPfx, active]) {
      expect(expectExit(run, 0).dataConnections).toEqual([
        expect.objectContaining({ resumed: true, protocol: 'TLSv1.3', tls: true }),
      ]);
    }
    expect(expectExit(badPass, 2).error?.message).toMatch(/--pfx .* cannot be used/);
    expect(expectExit(mismatch, 2).error?.message).toMatch(/--client-cert .* cannot be used/);
    const clearJson = expectExit(clear, 0);
    expect(clearJson.control).toMatchObject({ dataProtection: 'C' });
    expect(clearJson.dataConnections).toEqual([expect.objectContaining({ tls: false })]);
    const cccJson = expectExit(ccc, 0);
    expect(cccJson.control).toMatchObject({ ccc: true, protocol: 'TLSv1.3' });
    expect(cccJson.dataConnections).toEqual([
      expect.objectContaining({ resumed: true, tls: true }),
    ]);
    await srv.stop();
  });
});

describe('ferry ls --list-cmd against ProFTPD (which offers MLSD)', () => {
  it('lists with MLSD by default and with LIST when asked, with the same entries', async () => {
    const srv = await server({ kind: 'proftpd', mode: 'explicit', tlsMax: '1.3' });
    await srv.writeFile('shelf/a.txt', 'alpha');
    await srv.writeFile('shelf/b c.bin', Buffer.alloc(4096, 1));
    const pin = ['--pin', srv.fingerprint256];
    const url = `${baseUrl(srv)}shelf/`;
    const auto = expectExit(await ferry(['ls', '--json', ...pin, url]), 0);
    const list = expectExit(await ferry(['ls', '--json', '--list-cmd', 'list', ...pin, url]), 0);
    expect(auto.dataConnections.map((d) => d.command)).toEqual(['MLSD']);
    expect(list.dataConnections.map((d) => d.command)).toEqual(['LIST']);
    const names = (json: { result: SingleResult | null }): string[] =>
      (json.result?.entries ?? []).map((e) => `${e.name}:${e.size ?? '?'}`).sort();
    expect(names(list)).toEqual(names(auto));
    expect(names(auto)).toEqual(['a.txt:5', 'b c.bin:4096']);
    await srv.stop();
  });
});

describe.concurrent('errors and conveniences (one vsftpd, explicit)', () => {
  // One server for these tests, started by the first that needs it (a beforeAll would keep it
  // from overlapping with the other groups); setUpCliTests stops it afterwards.
  let shared: Promise<{ srv: RunningServer; pin: string[]; local: string }> | undefined;
  const fixture = (): Promise<{ srv: RunningServer; pin: string[]; local: string }> => {
    shared ??= (async () => {
      const srv = await server({ kind: 'vsftpd', mode: 'explicit', tlsMax: '1.3' });
      await srv.writeFile('hello.txt', 'hello\n');
      await srv.mkdir('inbox');
      return {
        srv,
        pin: ['--pin', srv.fingerprint256],
        local: await localFolder('errors-'),
      };
    })();
    return shared;
  };

  it('a wrong password exits 4', async () => {
    const { srv, pin } = await fixture();
    const url = `ftpes://${srv.user}:wrong@${srv.host}:${srv.port}/`;
    const json = expectExit(await ferry(['ls', '--json', ...pin, url]), 4);
    expect(json.error?.kind).toBe('auth');
  });

  it('a missing remote file exits 5 and leaves nothing behind locally', async () => {
    const { srv, pin, local } = await fixture();
    const target = join(local, 'missing.bin');
    const json = expectExit(
      await ferry(['get', '--json', ...pin, `${baseUrl(srv)}missing.bin`, target]),
      5,
    );
    expect(json.error).toMatchObject({ kind: 'ftp-reply' });
    expect(existsSync(target)).toBe(false);
    expect(existsSync(`${target}.part`)).toBe(false);
  });

  it('ftpes:// to a server that refuses TLS stops before USER, --allow-plain or not', async () => {
    const srv = await server({ kind: 'vsftpd', mode: 'explicit', tlsMax: '1.3', plain: true });
    const url = `ftpes://${srv.user}:${srv.password}@${srv.host}:${srv.port}/`;
    for (const extra of [[], ['--allow-plain']]) {
      const json = expectExit(await ferry(['ls', '--json', ...extra, url]), 5);
      expect(json.error).toMatchObject({ kind: 'insecure-refused' });
    }
    expect(await srv.readLog({ sinceReady: true })).not.toMatch(/FTP command: .*"USER /);
  });

  it('ftp:// without --allow-plain exits 2 without connecting', async () => {
    // Port 1: were anything contacted, the exit code would be 6.
    const run = await ferry(['ls', 'ftp://user:secret@127.0.0.1:1/']);
    expect(run.code, describeRun(run)).toBe(2);
    expect(run.stderr).toMatch(/--allow-plain/);
  });

  it('--tls-max 1.2 limits the control connection and data connections', async () => {
    const { srv, pin } = await fixture();
    const json = expectExit(
      await ferry(['ls', '--json', '--tls-max', '1.2', ...pin, baseUrl(srv)]),
      0,
    );
    expect(json.control?.protocol).toBe('TLSv1.2');
    expect(json.dataConnections).toEqual([
      expect.objectContaining({ resumed: true, protocol: 'TLSv1.2' }),
    ]);
  });

  it('takes the password from FERRY_PASSWORD and prints a table for humans', async () => {
    const { srv, pin } = await fixture();
    const run = await ferry(['ls', ...pin, baseUrl(srv, 'user')], {
      env: { FERRY_PASSWORD: srv.password },
    });
    expect(run.code, describeRun(run)).toBe(0);
    expect(run.stdout).toMatch(/^KIND +SIZE +MODIFIED \(UTC\) +NAME$/m);
    expect(run.stdout).toMatch(/^file +6 +\d{4}-\d\d-\d\d \d\d:\d\dZ +hello\.txt$/m);
    expect(run.stdout).toMatch(/^dir +\S+ +\S+ \S+ +inbox$/m);
    expect(run.stderr).toBe('');
  });

  it('put into a folder URL keeps the name; get into a local folder keeps the name', async () => {
    const { srv, pin, local } = await fixture();
    const folder = join(local, 'roundtrip');
    await mkdir(folder);
    const data = randomBytes(70_000);
    await writeFile(join(folder, 'note.bin'), data);
    const put = await ferry(['put', ...pin, join(folder, 'note.bin'), `${baseUrl(srv)}inbox/`]);
    expect(put.code, describeRun(put)).toBe(0);
    expect(put.stdout).toContain(`SHA-256 ${sha256(data)}`);
    expect(sha256(await readFile(srv.path('inbox/note.bin')))).toBe(sha256(data));

    const into = join(local, 'downloads');
    await mkdir(into);
    const get = await ferry(['get', '--json', ...pin, `${baseUrl(srv)}inbox/note.bin`, into]);
    expect(expectExit(get, 0).result).toMatchObject({
      localPath: join(into, 'note.bin'),
      sha256: sha256(data),
    });
    expect(sha256(await readFile(join(into, 'note.bin')))).toBe(sha256(data));
  });
});
