// ProFTPD 1.3.8 (unpacked by provision-servers.sh): virtual users in its own AuthUserFile, TLS
// and mod_digest as loadable modules; one log file for startup, TLS and every command.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BIN, FTP_USER, ftpPasswordHash } from './environment';
import type { FtpAccount, Launch, Layout, PasvRange, Resolved, ServerLogPatterns } from './types';

export const PROFTPD_LOG_PATTERNS: ServerLogPatterns = {
  // 2026-… [1234] 127.0.0.1 cmd="USER ferrytest" resp="331 Password required for ferrytest"
  userReceived: /cmd="USER /,
  dataTlsReused: /client reused TLS session for data connection/,
  dataTlsRejected: /client did not reuse TLS session|did not reuse TLS session from control/i,
};

function proftpdConfig(o: Resolved, l: Layout, port: number, pasv: PasvRange): string {
  const f = (name: string) => join(l.dir, name);
  const lines = [
    'ServerType standalone',
    'ServerName "Ferry test ProFTPD"',
    'DefaultAddress 127.0.0.1',
    'SocketBindTight on',
    'UseIPv6 off',
    `Port ${port}`,
    `PassivePorts ${pasv.min} ${pasv.max}`,
    // The daemon drops to nobody; sessions run as the virtual user's uid/gid.
    'User nobody',
    'Group nogroup',
    'Umask 022',
    'MaxInstances 100',
    `PidFile ${f('proftpd.pid')}`,
    `ScoreboardFile ${f('proftpd.scoreboard')}`,
    `DelayTable ${f('proftpd.delay')}`,
    // mod_ctrls is built in and would otherwise create a socket under /run/proftpd.
    'ControlsEngine off',
    `ControlsSocket ${f('proftpd.ctrls')}`,
    'WtmpLog off',
    'UseLastlog off',
    'UseReverseDNS off',
    'UseFtpUsers off',
    'RequireValidShell off',
    'AuthOrder mod_auth_file.c',
    `AuthUserFile ${f('ftpd.passwd')}`,
    `AuthGroupFile ${f('ftpd.group')}`,
    'DefaultRoot ~',
    'AllowOverwrite on',
    'AllowStoreRestart on',
    'TimeoutIdle 600',
    o.maxPerIp === undefined ? '' : `MaxConnectionsPerHost ${o.maxPerIp}`,
    // Everything goes to one file: startup/errors, the TLS log ("client reused TLS session for
    // data connection") and one line per command with its reply (PASS shows as "(hidden)").
    `SystemLog ${l.logPath}`,
    `TransferLog ${f('xferlog')}`,
    'LogFormat ferry "%{iso8601} [%P] %a cmd=\\"%r\\" resp=\\"%s %S\\""',
    `ExtendedLog ${l.logPath} ALL ferry`,
  ];
  if (!o.active) lines.push('<Limit PORT EPRT>', '  DenyAll', '</Limit>');
  if (!o.plain) {
    const tlsOptions: string[] = [];
    if (o.mode === 'implicit') tlsOptions.push('UseImplicitSSL');
    const required = o.ccc ? (o.plainData ? 'auth' : 'auth+data') : o.plainData ? 'ctrl' : 'on';
    lines.push(
      `ModulePath ${BIN.proftpdModules}`,
      'LoadModule mod_tls.c',
      'TLSEngine on',
      `TLSLog ${l.logPath}`,
      `TLSProtocol ${o.tlsMax === '1.2' ? 'TLSv1.2' : 'TLSv1.2 TLSv1.3'}`,
      `TLSRequired ${required}`,
      `TLSRSACertificateFile ${l.certPath}`,
      `TLSRSACertificateKeyFile ${l.keyPath}`,
      'TLSRenegotiate none',
      // Session reuse on data connections stays required (no NoSessionReuseRequired).
      tlsOptions.length > 0 ? `TLSOptions ${tlsOptions.join(' ')}` : '',
    );
    if (o.verifyClient !== undefined) {
      lines.push('TLSVerifyClient on', `TLSCACertificateFile ${o.verifyClient.caPath}`);
    } else {
      lines.push('TLSVerifyClient off');
    }
  }
  if (o.digest) {
    // FEAT: "HASH CRC32;MD5;SHA-1*;SHA-256;SHA-512;" (SHA-1 until OPTS HASH), XCRC, XMD5, XSHA*.
    if (o.plain) lines.push(`ModulePath ${BIN.proftpdModules}`);
    lines.push('LoadModule mod_digest.c', 'DigestEngine on');
    if (o.digestMaxSize !== undefined) lines.push(`DigestMaxSize ${o.digestMaxSize}`);
  }
  return lines.filter((x) => x !== '').join('\n') + '\n';
}

export async function prepareProftpd(
  o: Resolved,
  layout: Layout,
  port: number,
  pasv: PasvRange,
  acct: FtpAccount,
): Promise<Launch> {
  const { dir, root } = layout;
  const hash = await ftpPasswordHash();
  await writeFile(
    join(dir, 'ftpd.passwd'),
    `${FTP_USER}:${hash}:${acct.uid}:${acct.gid}::${root}:/usr/sbin/nologin\n`,
    { mode: 0o600 },
  );
  await writeFile(join(dir, 'ftpd.group'), `${FTP_USER}:x:${acct.gid}:\n`, { mode: 0o600 });
  const conf = join(dir, 'proftpd.conf');
  await writeFile(conf, proftpdConfig(o, layout, port, pasv));
  return { cmd: BIN.proftpd, args: ['-n', '-c', conf] };
}
