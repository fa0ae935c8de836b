/**
 * Errors with a next step: common failures as one sentence saying what happened and one saying
 * what to do, with the raw detail kept for a "Details" disclosure. Pure code.
 */
import { describeError, type FerryErrorDetail } from './errors';
import type { SecurityMode } from './models';

export interface ErrorAdvice {
  /** What happened, in the user's words. */
  summary: string;
  /** What to try next; absent when there is nothing better than the summary. */
  action?: string;
  /** The raw error, for "Details". */
  detail: string;
}

/** What was being attempted, when the caller knows (the connect bar, a site). */
export interface ErrorContext {
  host?: string;
  port?: number;
  mode?: SecurityMode;
}

const where = (c: ErrorContext): string =>
  c.host ? `${c.host}${c.port !== undefined ? `:${c.port}` : ''}` : 'the server';

function text(detail: FerryErrorDetail): string {
  switch (detail.kind) {
    case 'ftp-reply':
    case 'auth':
      return detail.text;
    case 'tls-untrusted':
      return detail.reasons.join(' ');
    case 'timeout':
    case 'cancelled':
      return '';
    case 'exists':
      return detail.path;
    default:
      return detail.reason;
  }
}

const isDataStep = (step: string): boolean => /data connection|PASV|EPSV|passive/i.test(step);

/** Maps an error to a sentence and a suggested action (falls back to the plain description). */
// eslint-disable-next-line max-lines-per-function -- one ordered list of rules (failure → advice); split up, their precedence would be hidden
export function adviseError(detail: FerryErrorDetail, context: ErrorContext = {}): ErrorAdvice {
  const raw = describeError(detail);
  const advice = (summary: string, action?: string): ErrorAdvice =>
    action === undefined ? { summary, detail: raw } : { summary, action, detail: raw };
  const body = text(detail);
  const code = 'code' in detail ? detail.code : undefined;
  // The engine classifies TLS failures once (tlsFailureDetail) into a hint that the command line
  // prints too; the advice follows that hint rather than matching OpenSSL's text again.
  const hint =
    detail.kind === 'tls-handshake' || detail.kind === 'timeout' ? detail.hint : undefined;

  // Wrong mode for the port: TLS spoken to a plain FTP greeting, or the reverse.
  if (hint === 'plain-ftp-port') {
    return advice(
      `${where(context)} does not start with TLS: this port speaks plain FTP or explicit FTPS.`,
      'Choose “Explicit FTPS” (usually port 21), or check the port number.',
    );
  }
  if (hint === 'implicit-tls-port') {
    return advice(
      `${where(context)} accepted the connection but sent no greeting: the port probably expects implicit FTPS.`,
      'Choose “Implicit FTPS” for this port.',
    );
  }
  if (
    context.mode !== 'implicit' &&
    (detail.kind === 'timeout' || detail.kind === 'closed') &&
    /connect|greeting|control connection/i.test(detail.step) &&
    context.port === 990
  ) {
    return advice(
      `${where(context)} did not greet Ferry: port 990 usually expects implicit FTPS.`,
      'Choose “Implicit FTPS” for this port.',
    );
  }
  // Client certificate: alert 116, or 40 without a certificate offered (the engine decides).
  if (hint === 'client-certificate-required' || hint === 'client-certificate-probably-required') {
    return advice(
      `${where(context)} ended the TLS handshake: it ${hint === 'client-certificate-required' ? 'requires' : 'probably requires'} a client certificate.`,
      'Add your client certificate in the site’s TLS tab (Site Manager).',
    );
  }
  if (detail.kind === 'internal') {
    // Never the server's fault nor the user's: say so, and keep the raw text for the report.
    return advice(
      'Something went wrong inside Ferry: this is a bug in Ferry, not a problem with the server or your settings.',
      'Please report it with the details below; trying again may work.',
    );
  }
  if (detail.kind === 'not-found') {
    return advice(
      `${detail.path} does not exist on this computer.`,
      'Check the name, or choose another file or folder.',
    );
  }
  if (detail.kind === 'tls-untrusted') {
    return advice(
      `The server’s certificate could not be verified (${detail.reasons.join(', ')}).`,
      'Compare its fingerprint with the one the server’s administrator gives you before you trust it.',
    );
  }
  if (detail.kind === 'tls-handshake' && /certificate|self.signed|expired|verify/i.test(body)) {
    return advice(
      'The secure connection failed because of the server’s certificate.',
      'Check the certificate with the server’s administrator.',
    );
  }
  // The server wants TLS but the session is plain (vsftpd: "530 Non-anonymous sessions must use
  // encryption", ProFTPD: "550 SSL/TLS required on the control channel").
  if (
    (detail.kind === 'auth' || detail.kind === 'ftp-reply') &&
    /encrypt|SSL|TLS|secure/i.test(body) &&
    [530, 534, 550, 521].includes(detail.code)
  ) {
    return advice(
      `${where(context)} requires an encrypted connection.`,
      'Choose “Explicit FTPS” and connect again.',
    );
  }
  if (detail.kind === 'auth' || (detail.kind === 'ftp-reply' && detail.code === 530)) {
    return advice(
      'The server refused the user name or password.',
      'Check both (they are case-sensitive) and connect again.',
    );
  }
  if (detail.kind === 'network' && code === 'ECONNREFUSED') {
    return advice(
      `Nothing accepts connections at ${where(context)}.`,
      'Check the host and the port, and that the FTP server is running.',
    );
  }
  if (detail.kind === 'network' && (code === 'ENOTFOUND' || code === 'EAI_AGAIN')) {
    return advice(
      `The host name ${context.host ? `“${context.host}” ` : ''}could not be found.`,
      'Check its spelling, or your network connection.',
    );
  }
  if (
    isDataStep(detail.step) &&
    (detail.kind === 'timeout' || detail.kind === 'network' || detail.kind === 'closed')
  ) {
    return advice(
      'The server’s data port could not be reached (passive mode).',
      'A firewall may block the passive port range: ask the administrator, or switch the site to active mode (Transfer tab).',
    );
  }
  if (detail.kind === 'network' && (code === 'ENETUNREACH' || code === 'EHOSTUNREACH')) {
    return advice(
      `${where(context)} cannot be reached from this network.`,
      'Check the address and your network connection.',
    );
  }
  if (detail.kind === 'timeout') {
    return advice(
      `${where(context)} did not answer within ${Math.round(detail.ms / 1000)} s (${detail.step}).`,
      'Check the address and any firewall, or try again later; Settings › Connection sets the timeouts.',
    );
  }
  if (detail.kind === 'local-fs' && (code === 'ENOSPC' || code === 'EDQUOT')) {
    return advice(
      'The disk on this computer is full.',
      'Free some space or choose another folder, then retry.',
    );
  }
  if (detail.kind === 'ftp-reply' && (detail.code === 452 || detail.code === 552)) {
    return advice(
      'The server has no room left for this file.',
      'Free space on the server (or ask its administrator), then retry.',
    );
  }
  if (detail.kind === 'local-fs' && (code === 'EACCES' || code === 'EPERM' || code === 'EROFS')) {
    return advice(
      `Permission denied on this computer: ${detail.path}.`,
      'Choose a folder you may write to.',
    );
  }
  if (detail.kind === 'ftp-reply' && detail.code === 550 && /permission|denied/i.test(body)) {
    return advice(
      `The server denied permission (${detail.command}).`,
      'Choose a folder you may write to, or ask the administrator for access.',
    );
  }
  // vsftpd and others answer 553 "Could not create file" for a folder the user may not write to.
  if (detail.kind === 'ftp-reply' && detail.code === 553) {
    return advice(
      `The server would not create the file (${detail.command}).`,
      'Check that the folder exists and that you may write to it, then retry.',
    );
  }
  if (detail.kind === 'ftp-reply' && detail.code === 550 && detail.command === 'RETR') {
    return advice(
      'The server could not open the file for download (RETR).',
      'It may have been moved, deleted or made unreadable: refresh the folder, then retry.',
    );
  }
  if (detail.kind === 'closed' || (detail.kind === 'network' && code === 'ECONNRESET')) {
    return advice(
      'The server closed the connection.',
      'Try again; if it keeps happening, the server may limit connections per user.',
    );
  }
  return advice(raw);
}
