import type {
  CertificateInfo,
  CertificateReport,
  DataConnectionRecord,
  LogLine,
} from '../../shared/models';
import { FtpsClient } from '../engine/client';
import { FerryError } from '../engine/errors';
import { loadTlsMaterial, type TlsFileSpec, type TlsMaterial } from '../files/tls-material';
import { SessionSecureContexts } from '../engine/secure-context';
import type { ConnectOptions, PinStore, PinnedCertificate, TlsOptions } from '../engine/types';
import type { CliOptions } from './args';
import { printable } from './format';
import type { CliIo } from './io';
import type { FerryUrl } from '../engine/url';

/** What `--json` reports about the control connection. */
export interface ControlInfo {
  host: string;
  port: number;
  mode: FerryUrl['mode'];
  /** Negotiated TLS version (`TLSv1.3`); absent for plain FTP. */
  protocol?: string;
  cipher?: string;
  /** Data channel protection in effect after login. */
  dataProtection?: 'P' | 'C' | 'none';
  /** The command channel was cleared after login (CCC). */
  ccc?: boolean;
}

export interface SessionSnapshot {
  control: ControlInfo | null;
  certificate: CertificateReport | null;
  dataConnections: DataConnectionRecord[];
}

/** Reads --ca, --client-cert/--client-key or --pfx (relative paths from `cwd`). */
export function loadCliTlsMaterial(options: CliOptions, cwd: string): Promise<TlsMaterial> {
  const { caFile, clientCertFile, clientKeyFile, pfxFile, pfxPassphrase } = options;
  const clientCertificate: TlsFileSpec | undefined =
    clientCertFile !== undefined && clientKeyFile !== undefined
      ? { kind: 'pem', certFile: clientCertFile, keyFile: clientKeyFile }
      : pfxFile !== undefined
        ? {
            kind: 'pfx',
            pfxFile,
            ...(pfxPassphrase !== undefined ? { passphrase: pfxPassphrase } : {}),
          }
        : undefined;
  return loadTlsMaterial({
    ...(caFile !== undefined ? { caFile } : {}),
    ...(clientCertificate ? { clientCertificate } : {}),
    labels: { ca: '--ca', cert: '--client-cert', key: '--client-key', pfx: '--pfx' },
    step: 'load the TLS files',
    cwd,
  });
}

/**
 * `--pin`: a pin store holding only that fingerprint, for whatever host and port the URL names,
 * so the engine's verdict is `pinned` when the leaf matches. The CLI never saw the certificate
 * itself, so the stored description carries only the fingerprint.
 */
export function cliPinStore(fingerprint256: string): PinStore {
  const certificate: CertificateInfo = {
    subject: { text: '(given with --pin)' },
    issuer: { text: '(unknown)' },
    subjectAltNames: [],
    validFrom: '',
    validTo: '',
    expired: false,
    notYetValid: false,
    serialNumber: '',
    publicKeyAlgorithm: 'unknown',
    signatureAlgorithm: 'unknown',
    weakSignature: false,
    selfSigned: false,
    isCA: false,
    fingerprint256,
    fingerprint1: '',
    rawBase64: '',
  };
  return {
    get: (host: string, port: number): Promise<PinnedCertificate | undefined> =>
      Promise.resolve({
        host,
        port,
        fingerprint256,
        certificate,
        pinnedAt: new Date(0).toISOString(),
      }),
    // The CLI never asks the engine to remember a certificate ("always" is never answered).
    set: (): Promise<void> => Promise.resolve(),
  };
}

const LOG_MARKS: Record<LogLine['direction'], string> = {
  command: '>',
  reply: '<',
  info: '*',
  tls: '#',
  warning: '!',
  error: '!',
};

/**
 * One `ferry` run's connection: builds the engine's options from the CLI's, records the
 * certificate report (also when the certificate is rejected) and the data connections, and
 * closes everything at the end.
 */
export class Session {
  private client: FtpsClient | undefined;
  /** A folder transfer's other connections: their data connections are reported too. */
  private readonly poolClients: FtpsClient[] = [];
  private report: CertificateReport | undefined;
  private url: FerryUrl | undefined;
  /** Built once per run: the session's connection and a folder transfer's pool share it. */
  private secureContexts: SessionSecureContexts | undefined;

  constructor(
    private readonly options: CliOptions,
    private readonly io: CliIo,
  ) {}

  private get onLog(): ((line: LogLine) => void) | undefined {
    if (!this.options.verbose) return undefined;
    // Each line of a (multi-line) reply escaped on its own and indented, so a server can neither
    // send escape sequences nor forge a line that looks like a command or a reply of its own.
    return (line) =>
      this.io.writeStderr(
        `${LOG_MARKS[line.direction]} ${line.text.split('\n').map(printable).join('\n    ')}\n`,
      );
  }

  private password(url: FerryUrl): string | undefined {
    return url.password ?? this.io.env.FERRY_PASSWORD;
  }

  /** The engine's options for `url`, from the CLI's flags and the TLS files they name. */
  async connectOptions(url: FerryUrl): Promise<ConnectOptions> {
    const material = await loadCliTlsMaterial(this.options, this.io.cwd);
    const password = url.user !== undefined ? this.password(url) : undefined;
    const onLog = this.onLog;
    const tlsOptions: TlsOptions = {
      ...(this.options.tlsMin ? { minVersion: this.options.tlsMin } : {}),
      ...(this.options.tlsMax ? { maxVersion: this.options.tlsMax } : {}),
      ...material,
    };
    this.secureContexts ??= new SessionSecureContexts(tlsOptions);
    return {
      host: url.host,
      port: url.port,
      mode: url.mode,
      ...(url.user !== undefined ? { user: url.user } : {}),
      ...(password !== undefined ? { password } : {}),
      tls: tlsOptions,
      secureContexts: this.secureContexts,
      ...(this.options.prot ? { dataProtection: this.options.prot } : {}),
      ...(this.options.ccc ? { ccc: true } : {}),
      ...(this.options.listCommand ? { listCommand: this.options.listCommand } : {}),
      ...(this.options.active ? { active: {} } : {}),
      ...(this.options.pin ? { pinStore: cliPinStore(this.options.pin) } : {}),
      // The report is kept for the output even when login fails afterwards.
      onCertificate: (report) => {
        this.report = report;
      },
      // Called only for a certificate that is neither trusted nor pinned: refuse, so no
      // credential is sent.
      decideTrust: () => Promise.resolve('reject'),
      // ftpes:// requires TLS; should a mode ever fall back, only --allow-plain lets it.
      decideInsecure: () => Promise.resolve(this.options.allowPlain),
      ...(onLog ? { onLog } : {}),
    };
  }

  /** Connects and logs in; the certificate is checked before any credential is sent. */
  async connect(url: FerryUrl): Promise<FtpsClient> {
    this.url = url;
    const options = await this.connectOptions(url);
    if (url.mode === 'plain') {
      this.io.writeStderr('ferry: WARNING: ftp:// sends the password and the files unencrypted\n');
    }
    this.client = await FtpsClient.connect(options);
    this.report = this.client.report ?? this.report;
    return this.client;
  }

  /** The certificate report without logging in: no USER, no PASS. */
  async probe(url: FerryUrl): Promise<CertificateReport> {
    this.url = url;
    if (url.mode === 'plain') {
      throw new FerryError({
        kind: 'usage',
        step: 'certificate',
        reason: 'ftp:// has no TLS and so no certificate',
      });
    }
    this.report = await FtpsClient.probeCertificate(await this.connectOptions(url));
    return this.report;
  }

  /** A connection the transfer queue opened besides the session's (its records are reported). */
  track(client: FtpsClient): FtpsClient {
    this.poolClients.push(client);
    return client;
  }

  snapshot(): SessionSnapshot {
    const url = this.url;
    const client = this.client;
    const report = this.report ?? null;
    let control: ControlInfo | null = null;
    if (url && client) {
      const security = client.security;
      control = {
        host: url.host,
        port: url.port,
        mode: url.mode,
        ...(security.tlsProtocol !== undefined ? { protocol: security.tlsProtocol } : {}),
        ...(security.cipher !== undefined ? { cipher: security.cipher } : {}),
        dataProtection: security.dataProtection,
        ccc: security.cccActive,
      };
    } else if (url && report) {
      // Not logged in (certificate refused, or `ferry cert`): the handshake still happened.
      control = {
        host: url.host,
        port: url.port,
        mode: url.mode,
        protocol: report.session.protocol,
        cipher: report.session.cipherStandardName ?? report.session.cipher,
      };
    }
    return {
      control,
      certificate: report,
      dataConnections: [...(client ? [client] : []), ...this.poolClients].flatMap((c) => [
        ...c.dataConnections,
      ]),
    };
  }

  /** Cancels a running transfer (Ctrl-C). */
  async cancel(): Promise<void> {
    await this.client?.cancel();
  }

  async close(): Promise<void> {
    const client = this.client;
    if (client && !client.closed) await client.close().catch(() => undefined);
  }
}
