// What every test server needs from this machine: root, the ftp account and its password hash,
// the binaries provision-servers.sh installs, the certificate to present and an OpenSSL config
// that caps the TLS version.
import { execFile } from 'node:child_process';
import { accessSync, constants as fsConstants, existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fingerprint256, getSharedCerts, type TestCerts } from './certs';
import type { FtpAccount, ServerCertChoice, ServerKind, TlsMax } from './types';

/** The account every server accepts (a system account for vsftpd, virtual users mapped to its
 * uid/gid for ProFTPD and pure-ftpd). Must match scripts/provision-servers.sh. */
export const FTP_USER = 'ferrytest';
export const FTP_PASSWORD = 'ferrytest-pw';
export const VSFTPD_PAM_SERVICE = 'ferry-vsftpd';
const PROVISION_HINT = 'run `npm run provision` (as root) first';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Where provision-servers.sh unpacks ProFTPD and pure-ftpd. */
export const SERVERS_ROOT = join(REPO_ROOT, '.cache', 'servers', 'root');

export const BIN = {
  vsftpd: '/usr/sbin/vsftpd',
  proftpd: join(SERVERS_ROOT, 'usr/sbin/proftpd'),
  proftpdModules: join(SERVERS_ROOT, 'usr/lib/proftpd'),
  pureftpd: join(SERVERS_ROOT, 'usr/sbin/pure-ftpd'),
  purePw: join(SERVERS_ROOT, 'usr/bin/pure-pw'),
};

// ---------------------------------------------------------------------------------------------
// Availability

function executable(path: string): boolean {
  try {
    accessSync(path, fsConstants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function onPath(cmd: string): boolean {
  const dirs = (process.env.PATH ?? '/usr/bin:/bin').split(':');
  return dirs.some((d) => d !== '' && executable(join(d, cmd)));
}

let account: FtpAccount | undefined;
export function ftpAccount(): FtpAccount | undefined {
  if (account !== undefined) return account;
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${FTP_USER}:`));
  if (line === undefined) return undefined;
  const [, , uid, gid] = line.split(':');
  account = { uid: Number(uid), gid: Number(gid) };
  return account;
}

/**
 * Throws a clear error when `kind` cannot run here (not root, binaries or the ftp account
 * missing). Call it in beforeAll so a missing server fails the suite instead of skipping it.
 */
export function serverAvailable(kind: ServerKind): void {
  const missing: string[] = [];
  if (process.getuid?.() !== 0) {
    throw new Error(
      `${kind} test server unavailable: the test servers must run as root (they switch to the ` +
        `${FTP_USER} account per session)`,
    );
  }
  if (!onPath('openssl')) missing.push('openssl');
  if (ftpAccount() === undefined) missing.push(`the ${FTP_USER} account`);
  switch (kind) {
    case 'vsftpd':
      if (!executable(BIN.vsftpd)) missing.push(BIN.vsftpd);
      if (!existsSync(`/etc/pam.d/${VSFTPD_PAM_SERVICE}`)) {
        missing.push(`/etc/pam.d/${VSFTPD_PAM_SERVICE}`);
      }
      break;
    case 'proftpd':
      if (!executable(BIN.proftpd)) missing.push('.cache/servers/root/usr/sbin/proftpd');
      if (!existsSync(join(BIN.proftpdModules, 'mod_tls.so'))) {
        missing.push('.cache/servers/root/usr/lib/proftpd/mod_tls.so');
      }
      break;
    case 'pureftpd':
      if (!executable(BIN.pureftpd)) missing.push('.cache/servers/root/usr/sbin/pure-ftpd');
      if (!executable(BIN.purePw)) missing.push('.cache/servers/root/usr/bin/pure-pw');
      break;
  }
  if (missing.length > 0) {
    throw new Error(
      `${kind} test server unavailable (missing: ${missing.join(', ')}); ${PROVISION_HINT}`,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Shared setup

let passwordHash: Promise<string> | undefined;
/** crypt(3) SHA-512 hash of FTP_PASSWORD, for ProFTPD's AuthUserFile and pure-ftpd's passwd. */
export function ftpPasswordHash(): Promise<string> {
  passwordHash ??= new Promise<string>((res, rej) => {
    const child = execFile(
      'openssl',
      ['passwd', '-6', '-stdin'],
      (err: Error | null, stdout: string) => {
        if (err !== null) rej(err);
        else res(stdout.trim());
      },
    );
    child.stdin?.end(FTP_PASSWORD + '\n');
  });
  return passwordHash;
}

export function opensslConf(tlsMax: TlsMax): string {
  // vsftpd 3.0.3 and pure-ftpd have no switch for TLS 1.3, but OpenSSL applies the
  // system_default section of the file OPENSSL_CONF names to every SSL_CTX they create.
  return [
    'openssl_conf = openssl_init',
    '[openssl_init]',
    'ssl_conf = ssl_sect',
    '[ssl_sect]',
    'system_default = system_default_sect',
    '[system_default_sect]',
    'MinProtocol = TLSv1.2',
    ...(tlsMax === '1.2' ? ['MaxProtocol = TLSv1.2'] : []),
    'CipherString = DEFAULT:@SECLEVEL=2',
    '',
  ].join('\n');
}

export async function resolveCert(
  choice: ServerCertChoice,
): Promise<{ certPath: string; keyPath: string; certPem: string; fingerprint256: string }> {
  if (typeof choice === 'object') {
    const [certPem, fp] = await Promise.all([
      readFile(choice.certPath, 'utf8'),
      fingerprint256(choice.certPath),
    ]);
    return { certPath: choice.certPath, keyPath: choice.keyPath, certPem, fingerprint256: fp };
  }
  const certs: TestCerts = await getSharedCerts();
  const files = {
    'self-signed': certs.selfSigned,
    'ca-signed': certs.caSigned,
    expired: certs.expired,
    'wrong-host': certs.wrongHost,
  }[choice];
  return files;
}
