import net from 'node:net';
import tls from 'node:tls';
import type { CertificateReport, LogLine, TlsVersion } from '../../shared/models';
import { buildCertificateReport, parsePemBundle } from '../engine/certificate';
import { ControlConnection } from '../engine/control';
import { FerryError, toErrorDetail } from '../engine/errors';
import type { ClientCertificate, PinStore } from '../engine/types';
import type { FerryUrl } from './url';

export interface ProbeOptions {
  url: FerryUrl;
  minVersion?: TlsVersion;
  maxVersion?: TlsVersion;
  ca?: Buffer;
  clientCertificate?: ClientCertificate;
  pinStore?: PinStore;
  onLog?: (line: LogLine) => void;
  connectTimeoutMs?: number;
  replyTimeoutMs?: number;
}

function secureVersion(
  version: TlsVersion | undefined,
  fallback: tls.SecureVersion,
): tls.SecureVersion {
  if (version === '1.2') return 'TLSv1.2';
  if (version === '1.3') return 'TLSv1.3';
  return fallback;
}

/**
 * The TLS options FtpsClient.connect uses (its builder is private): verification is done by the
 * report, so the handshake itself accepts any certificate.
 */
function tlsOptions(options: ProbeOptions): tls.ConnectionOptions {
  const host = options.url.host;
  const client = options.clientCertificate;
  return {
    host,
    ...(net.isIP(host) ? {} : { servername: host }),
    rejectUnauthorized: false,
    minVersion: secureVersion(options.minVersion, 'TLSv1.2'),
    maxVersion: secureVersion(options.maxVersion, 'TLSv1.3'),
    ...(options.ca ? { ca: [...tls.rootCertificates, options.ca.toString('utf8')] } : {}),
    ...(client?.kind === 'pem'
      ? {
          cert: client.cert,
          key: client.key,
          ...(client.passphrase ? { passphrase: client.passphrase } : {}),
        }
      : {}),
    ...(client?.kind === 'pfx'
      ? {
          pfx: client.pfx,
          ...(client.passphrase !== undefined ? { passphrase: client.passphrase } : {}),
        }
      : {}),
  };
}

/**
 * `ferry cert`: connects, negotiates TLS (AUTH TLS / AUTH SSL, or implicit), builds the
 * certificate report with the same verdict the engine would reach, and says QUIT. It never logs
 * in, whatever the verdict: FtpsClient.connect logs in at once when the certificate is trusted,
 * so this uses the engine's ControlConnection and buildCertificateReport directly.
 */
export async function probeCertificate(options: ProbeOptions): Promise<CertificateReport> {
  const { url } = options;
  if (url.mode === 'plain') {
    throw new FerryError({
      kind: 'usage',
      step: 'certificate',
      reason: 'ftp:// has no TLS and so no certificate',
    });
  }
  const settings = tlsOptions(options);
  const { control, greeting } = await ControlConnection.open(
    {
      host: url.host,
      port: url.port,
      connectTimeoutMs: options.connectTimeoutMs ?? 15_000,
      replyTimeoutMs: options.replyTimeoutMs ?? 30_000,
      ...(options.onLog ? { onLog: options.onLog } : {}),
    },
    url.mode === 'implicit' ? { tlsOptions: settings, keepTcpForCcc: false } : undefined,
  );
  try {
    if (greeting.code !== 220) {
      throw new FerryError({
        kind: 'ftp-reply',
        step: 'read greeting',
        command: 'connect',
        code: greeting.code,
        text: greeting.text,
      });
    }
    if (url.mode === 'explicit') {
      let upgraded = false;
      for (const command of ['AUTH TLS', 'AUTH SSL']) {
        const reply = await control.command(command, command);
        if (reply.code === 234 || reply.code === 334) {
          await control.startTls(settings, false);
          upgraded = true;
          break;
        }
        if (reply.code < 500) {
          throw new FerryError({
            kind: 'ftp-reply',
            step: 'negotiate TLS',
            command,
            code: reply.code,
            text: reply.text,
          });
        }
      }
      if (!upgraded) {
        throw new FerryError({
          kind: 'insecure-refused',
          step: 'AUTH TLS',
          reason: 'the server does not offer TLS (AUTH TLS and AUTH SSL refused)',
        });
      }
    }
    const socket = control.tls;
    if (!socket)
      throw new FerryError({ kind: 'protocol', step: 'certificate', reason: 'no TLS connection' });
    const pin = await options.pinStore?.get(url.host, url.port);
    const extraCa = options.ca ? parsePemBundle(options.ca) : [];
    let report: CertificateReport;
    try {
      report = buildCertificateReport({ socket, host: url.host, port: url.port, extraCa, pin });
    } catch (error) {
      throw new FerryError({
        kind: 'protocol',
        step: 'certificate',
        reason: error instanceof Error ? error.message : String(error),
      });
    }
    control.log('tls', `Certificate report built; not logging in (ferry cert)`);
    await control.close();
    return report;
  } catch (error) {
    if (!control.closed)
      control.destroy({ kind: 'closed', step: 'certificate', reason: 'closed by client' });
    throw error instanceof FerryError
      ? error
      : new FerryError(toErrorDetail(error, 'certificate'), { cause: error });
  }
}
