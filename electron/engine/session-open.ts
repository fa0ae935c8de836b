import net from 'node:net';
import type tls from 'node:tls';
import type { CertificateReport } from '../../shared/models';
import { buildCertificateReport, parsePemBundle } from './certificate';
import { ControlConnection, GREETING_STEP } from './control';
import { FerryError, toErrorDetail } from './errors';
import { parseFeatures } from './features';
import { replyError } from './reply-error';
import { serverQuirks, type ServerQuirks } from './server-quirks';
import { SessionSecureContexts } from './secure-context';
import type { ConnectOptions, Features, Timeouts } from './types';
import { defaultPort } from '../../shared/ports';
import type { SecurityState } from '../../shared/security';

// Opening a session: TCP, greeting, TLS, the certificate decision, login and the data channel's
// protection. Everything before the session's first command of the user's.

const DEFAULT_TIMEOUTS: Timeouts = { connectMs: 15_000, replyMs: 30_000, dataIdleMs: 30_000 };

/**
 * Per-connection TLS options. Everything that lives in a secure context (CA store, client
 * certificate, version range) comes from the session's contexts, built once (secure-context.ts).
 */
function buildTlsOptions(
  options: ConnectOptions,
  contexts: SessionSecureContexts,
): tls.ConnectionOptions {
  return {
    host: options.host,
    // SNI is for DNS names only; the identity check still covers IP SANs through `host`.
    ...(net.isIP(options.host) ? {} : { servername: options.host }),
    rejectUnauthorized: false,
    secureContext: controlContext(contexts),
  };
}

/** A CA file or client certificate that cannot be loaded fails here, before connecting. */
function controlContext(contexts: SessionSecureContexts): tls.SecureContext {
  try {
    return contexts.control();
  } catch (error) {
    throw new FerryError(
      toErrorDetail(error, 'load the TLS settings (CA file, client certificate)'),
      {
        cause: error,
      },
    );
  }
}

/** The key exchange group a TLS connection negotiated (`prime256v1`, `X25519`, …). */
function keyExchangeGroup(socket: tls.TLSSocket | undefined): string | undefined {
  const info = socket?.getEphemeralKeyInfo();
  return info && 'name' in info && typeof info.name === 'string' ? info.name : undefined;
}

/**
 * TCP, greeting and TLS (implicit, or explicit via AUTH): everything before credentials.
 * Throws on a refusal; the caller owns the returned control connection.
 */
async function openSecured(
  options: ConnectOptions,
  timeouts: Timeouts,
  tlsOptions: tls.ConnectionOptions,
  port: number,
): Promise<{ control: ControlConnection; insecureFallback: boolean; greeting: string }> {
  const controlOptions = {
    host: options.host,
    port,
    connectTimeoutMs: timeouts.connectMs,
    replyTimeoutMs: timeouts.replyMs,
    ...(options.connectionId ? { connectionId: options.connectionId } : {}),
    ...(options.onLog ? { onLog: options.onLog } : {}),
  };
  const keepTcpForCcc = Boolean(options.ccc);
  const { control, greeting } = await ControlConnection.open(
    controlOptions,
    options.mode === 'implicit' ? { tlsOptions, keepTcpForCcc } : undefined,
  );
  try {
    if (greeting.code !== 220) throw replyError(GREETING_STEP, 'connect', greeting);
    let insecureFallback = false;
    if (options.mode === 'explicit' || options.mode === 'explicit-if-available') {
      const upgraded = await negotiateExplicit(control, tlsOptions, keepTcpForCcc);
      if (!upgraded) {
        const reason = 'the server does not offer TLS (AUTH TLS and AUTH SSL refused)';
        // Never a silent downgrade: continue only when asked and answered yes, before USER.
        const allowed =
          options.mode === 'explicit-if-available' && options.decideInsecure
            ? await options.decideInsecure({ host: options.host, port, reason })
            : false;
        if (!allowed) {
          throw new FerryError({
            kind: 'insecure-refused',
            step: 'AUTH TLS',
            reason: `${reason}; refusing to log in without encryption`,
          });
        }
        insecureFallback = true;
        control.log(
          'warning',
          `${reason}: continuing WITHOUT encryption as allowed, password and files are sent in clear text`,
        );
      }
    }
    return { control, insecureFallback, greeting: greeting.text };
  } catch (error) {
    if (!control.closed) control.destroy(toErrorDetail(error, 'connect'));
    throw error instanceof FerryError
      ? error
      : new FerryError(toErrorDetail(error, 'connect'), { cause: error });
  }
}

/**

 * The server's certificate report and verdict without logging in (`ferry cert`): no USER is
 * sent whatever the verdict. Plain connections have no certificate to report.
 */
export async function probeCertificate(options: ConnectOptions): Promise<CertificateReport> {
  const timeouts: Timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  const port = options.port ?? defaultPort(options.mode);
  const tlsOptions = buildTlsOptions(
    options,
    options.secureContexts ?? new SessionSecureContexts(options.tls),
  );
  const { control } = await openSecured(options, timeouts, tlsOptions, port);
  try {
    const socket = control.tls;
    if (!socket) {
      throw new FerryError({
        kind: 'insecure-refused',
        step: 'certificate',
        reason: 'the server does not offer TLS, so it has no certificate',
      });
    }
    const pin = await options.pinStore?.get(options.host, port);
    const extraCa = options.tls?.ca ? parsePemBundle(options.tls.ca) : [];
    return buildCertificateReport({ socket, host: options.host, port, extraCa, pin });
  } finally {
    await control.close();
  }
}

/** AUTH TLS, then AUTH SSL (FileZilla does the same); false when the server refuses both. */
async function negotiateExplicit(
  control: ControlConnection,
  tlsOptions: tls.ConnectionOptions,
  keepTcpForCcc: boolean,
): Promise<boolean> {
  for (const command of ['AUTH TLS', 'AUTH SSL']) {
    const reply = await control.command(command, command);
    if (reply.code === 234 || reply.code === 334) {
      await control.startTls(tlsOptions, keepTcpForCcc);
      return true;
    }
    if (reply.code < 500) throw replyError('negotiate TLS', command, reply);
  }
  return false;
}

/** Certificate before credentials: nothing is sent until the certificate is trusted. */
async function checkCertificate(
  control: ControlConnection,
  socket: tls.TLSSocket,
  options: ConnectOptions,
  port: number,
): Promise<CertificateReport> {
  const pin = await options.pinStore?.get(options.host, port);
  // A server that refuses the client after a TLS 1.3 handshake (no client certificate) has
  // closed by now, and the socket no longer shows its certificate: report the refusal.
  control.throwIfClosed();
  const extraCa = options.tls?.ca ? parsePemBundle(options.tls.ca) : [];
  const report = buildCertificateReport({ socket, host: options.host, port, extraCa, pin });
  options.onCertificate?.(report);
  const verdict = report.verdict;
  const leaf = report.chain[0];
  if (!leaf)
    throw new FerryError({
      kind: 'protocol',
      step: 'certificate',
      reason: 'the server sent no certificate',
    });
  if (verdict.status === 'trusted' || verdict.status === 'pinned') {
    control.log(
      'tls',
      `Certificate ${verdict.status === 'trusted' ? `trusted (${verdict.by})` : 'matches the pinned certificate'}: ${leaf.fingerprint256}`,
    );
    return report;
  }
  control.log(
    'warning',
    `Certificate not trusted (${verdict.status}: ${verdict.reasons.join(', ')}); waiting for a decision before sending credentials`,
  );
  const decision = options.decideTrust ? await options.decideTrust(report) : 'reject';
  if (decision === 'reject') {
    control.destroy({
      kind: 'closed',
      step: 'certificate',
      reason: 'closed by client: certificate rejected',
    });
    throw new FerryError({
      kind: 'tls-untrusted',
      step: 'certificate',
      reasons: verdict.reasons,
      fingerprint256: leaf.fingerprint256,
    });
  }
  if (decision === 'always' && options.pinStore) {
    await options.pinStore.set({
      host: options.host,
      port,
      fingerprint256: leaf.fingerprint256,
      certificate: leaf,
      pinnedAt: new Date().toISOString(),
    });
  }
  control.log('tls', `Certificate accepted by the user (${decision}): ${leaf.fingerprint256}`);
  return report;
}

async function login(
  control: ControlConnection,
  options: ConnectOptions,
  secure: boolean,
): Promise<Features> {
  const user = options.user ?? 'anonymous';
  let reply = await control.command(`USER ${user}`, 'login (USER)');
  if (reply.code === 331) {
    reply = await control.command(
      `PASS ${options.password ?? (user === 'anonymous' ? 'anonymous@' : '')}`,
      'login (PASS)',
    );
  }
  if (reply.code !== 230 && reply.code !== 202) {
    if (reply.code === 530 || reply.code === 430 || reply.code === 331 || reply.code === 332) {
      throw new FerryError({ kind: 'auth', step: 'login', code: reply.code, text: reply.text });
    }
    throw replyError('login', 'USER/PASS', reply);
  }
  if (secure) {
    const pbsz = await control.command('PBSZ 0', 'protect data channel (PBSZ)');
    const level = options.dataProtection ?? 'P';
    const prot = await control.command(`PROT ${level}`, `protect data channel (PROT ${level})`);
    if (pbsz.code >= 300 || prot.code >= 300) {
      // Implicit servers may encrypt data anyway (Apache FtpServer); explicit ones must agree.
      if (options.mode !== 'implicit' || level === 'C') {
        throw replyError('protect data channel', `PROT ${level}`, prot.code >= 300 ? prot : pbsz);
      }
      control.log(
        'warning',
        `PROT ${level} refused on an implicit server (${prot.code}); assuming encrypted data`,
      );
    }
  }
  const feat = await control.command('FEAT', 'read features (FEAT)');
  const features = parseFeatures(feat.code === 211 ? feat : null);
  if (features.utf8) await control.command('OPTS UTF8 ON', 'enable UTF-8');
  const type = await control.command('TYPE I', 'binary mode (TYPE I)');
  if (type.code >= 300) throw replyError('binary mode', 'TYPE I', type);
  return features;
}

/** What a logged-in session hands to the client that runs its commands. */
export interface OpenedSession {
  control: ControlConnection;
  timeouts: Timeouts;
  tlsOptions: tls.ConnectionOptions;
  secureContexts: SessionSecureContexts;
  report: CertificateReport | undefined;
  security: SecurityState;
  features: Features;
  /** Read before CCC can take the TLS socket away; data connections offer it first. */
  keyExchangeGroup: string | undefined;
  /** What this server is known to allow (server-quirks.ts), with the caller's overrides. */
  quirks: ServerQuirks;
}

/** Connects, decides trust, logs in and (if asked) clears the command channel. */
export async function openSession(options: ConnectOptions): Promise<OpenedSession> {
  const timeouts: Timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  const port = options.port ?? defaultPort(options.mode);
  const secureContexts = options.secureContexts ?? new SessionSecureContexts(options.tls);
  const tlsOptions = buildTlsOptions(options, secureContexts);
  const { control, insecureFallback, greeting } = await openSecured(
    options,
    timeouts,
    tlsOptions,
    port,
  );
  try {
    let report: CertificateReport | undefined;
    const socket = control.tls;
    if (socket) report = await checkCertificate(control, socket, options, port);
    const features = await login(control, options, Boolean(socket));
    const protect = socket ? (options.dataProtection ?? 'P') : 'none';
    const security: SecurityState = {
      mode: options.mode,
      dataProtection: protect,
      insecureFallback,
      cccActive: false,
      ...(socket
        ? {
            tlsProtocol: socket.getProtocol() ?? undefined,
            cipher: socket.getCipher().standardName ?? socket.getCipher().name,
          }
        : {}),
    };
    const group = keyExchangeGroup(control.tls);
    if (options.ccc && socket) {
      await control.clearCommandChannel();
      security.cccActive = true;
    }
    return {
      control,
      timeouts,
      tlsOptions,
      secureContexts,
      report,
      security,
      features,
      keyExchangeGroup: group,
      quirks: { ...serverQuirks(greeting), ...options.serverQuirks },
    };
  } catch (error) {
    if (!control.closed) control.destroy(toErrorDetail(error, 'connect'));
    throw error instanceof FerryError
      ? error
      : new FerryError(toErrorDetail(error, 'connect'), { cause: error });
  }
}
