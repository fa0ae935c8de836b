// vsftpd 3.0.3 (from apt): a foreground daemon with a config file; its log has every command and
// reply, and with debug_ssl one line per TLS connection saying whether it resumed a session.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BIN, VSFTPD_PAM_SERVICE } from './environment';
import type { Launch, Layout, PasvRange, Resolved, ServerLogPatterns } from './types';

export const VSFTPD_LOG_PATTERNS: ServerLogPatterns = {
  // FTP command: Client "127.0.0.1", "USER ferrytest"
  userReceived: /FTP command: Client "[^"]*", "USER /,
  // DEBUG: Client "127.0.0.1", "SSL version: TLSv1.3, SSL cipher: …, reused, no cert"
  // (the control connection's own handshake logs "not reused").
  dataTlsReused: /"SSL version: [^"]*, reused,/,
  dataTlsRejected: /session reuse required/,
};

function yn(v: boolean): string {
  return v ? 'YES' : 'NO';
}

function vsftpdConfig(o: Resolved, l: Layout, port: number, pasv: PasvRange): string {
  const lines = [
    'listen=YES',
    'listen_ipv6=NO',
    'listen_address=127.0.0.1',
    `listen_port=${port}`,
    // Foreground, so the test owns the process and sees its stderr.
    'background=NO',
    'anonymous_enable=NO',
    'local_enable=YES',
    `pam_service_name=${VSFTPD_PAM_SERVICE}`,
    'write_enable=YES',
    'local_umask=022',
    'chroot_local_user=YES',
    `local_root=${l.root}`,
    // The chroot is the user's writable root; vsftpd refuses that unless told otherwise.
    'allow_writeable_chroot=YES',
    'secure_chroot_dir=/var/run/vsftpd/empty',
    'nopriv_user=nobody',
    // The seccomp sandbox and the network/PID namespaces vsftpd sets up by default fail in many
    // containers ("500 OOPS: prctl PR_SET_SECCOMP failed", "clone" errors).
    'seccomp_sandbox=NO',
    'isolate=NO',
    'isolate_network=NO',
    'pasv_enable=YES',
    `pasv_min_port=${pasv.min}`,
    `pasv_max_port=${pasv.max}`,
    `port_enable=${yn(o.active)}`,
    'connect_from_port_20=NO',
    o.maxPerIp === undefined ? 'max_per_ip=0' : `max_per_ip=${o.maxPerIp}`,
    ...(o.pasvAddress ? [`pasv_address=${o.pasvAddress}`, 'pasv_addr_resolve=NO'] : []),
    // vsftpd sleeps a second after each login by default; tests log in a lot.
    'delay_failed_login=0',
    'delay_successful_login=0',
    'dirmessage_enable=NO',
    'syslog_enable=NO',
    'xferlog_enable=YES',
    'dual_log_enable=YES',
    'xferlog_std_format=NO',
    `xferlog_file=${join(l.dir, 'xferlog')}`,
    `vsftpd_log_file=${l.logPath}`,
    // Every command and reply ("FTP command: …", "FTP response: …"); PASS shows as <password>.
    'log_ftp_protocol=YES',
  ];
  if (!o.plain) {
    lines.push(
      'ssl_enable=YES',
      `implicit_ssl=${yn(o.mode === 'implicit')}`,
      'allow_anon_ssl=NO',
      `rsa_cert_file=${l.certPath}`,
      `rsa_private_key_file=${l.keyPath}`,
      // 3.0.3's default cipher list is DES-CBC3-SHA, which OpenSSL 3 no longer offers.
      'ssl_ciphers=HIGH',
      'ssl_sslv2=NO',
      'ssl_sslv3=NO',
      'ssl_tlsv1=YES',
      'require_ssl_reuse=YES',
      'force_local_logins_ssl=YES',
      `force_local_data_ssl=${yn(!o.plainData)}`,
      // "SSL version: TLSv1.x, …, reused|not reused, …" per TLS connection.
      'debug_ssl=YES',
    );
    if (o.verifyClient !== undefined) {
      lines.push(
        'ssl_request_cert=YES',
        'require_cert=YES',
        'validate_cert=YES',
        `ca_certs_file=${o.verifyClient.caPath}`,
      );
    } else {
      lines.push('ssl_request_cert=NO', 'require_cert=NO');
    }
  }
  return lines.join('\n') + '\n';
}

export async function prepareVsftpd(
  o: Resolved,
  layout: Layout,
  port: number,
  pasv: PasvRange,
): Promise<Launch> {
  // /run is often a tmpfs: the folder provision made may be gone after a reboot.
  await mkdir('/var/run/vsftpd/empty', { recursive: true });
  const conf = join(layout.dir, 'vsftpd.conf');
  await writeFile(conf, vsftpdConfig(o, layout, port, pasv));
  return { cmd: BIN.vsftpd, args: [conf] };
}
