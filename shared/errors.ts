/**
 * Every failure Ferry reports is one of these plain objects. They carry what the user needs to act
 * (the step that failed, the server's reply) and survive structured cloning across IPC and JSON.
 */
export type FerryErrorDetail =
  | { kind: 'ftp-reply'; step: string; command: string; code: number; text: string }
  | { kind: 'auth'; step: string; code: number; text: string }
  | { kind: 'tls-untrusted'; step: string; reasons: string[]; fingerprint256: string }
  | {
      kind: 'tls-handshake';
      step: string;
      reason: string;
      /** The TLS alert the server sent (40 handshake failure, 116 certificate required, …). */
      alert?: number;
      /** What the failure most likely means, when Ferry can tell (see TLS_HINTS). */
      hint?: TlsHint;
    }
  | { kind: 'tls-resumption'; step: string; reason: string }
  | { kind: 'insecure-refused'; step: string; reason: string }
  | { kind: 'timeout'; step: string; ms: number; hint?: TlsHint }
  | { kind: 'closed'; step: string; reason: string }
  | { kind: 'network'; step: string; code: string; reason: string }
  | { kind: 'protocol'; step: string; reason: string }
  | { kind: 'unsafe-input'; step: string; reason: string }
  | { kind: 'cancelled'; step: string }
  | { kind: 'local-fs'; step: string; path: string; code: string; reason: string }
  /** A rename (or another operation that would replace it silently) met an existing item. */
  | { kind: 'exists'; step: string; side: 'local' | 'remote'; path: string }
  | { kind: 'usage'; step: string; reason: string }
  /**
   * A file or folder the operation needs does not exist on this computer (ENOENT). A server's 550
   * stays `ftp-reply`: FTP uses it for missing, unreadable and forbidden alike (vsftpd answers
   * "Failed to open file." to all three), so only the reply's code and text can tell.
   */
  | { kind: 'not-found'; step: string; side: 'local'; path: string; reason: string }
  /** A bug in Ferry (a TypeError, a broken invariant): never the server's or the user's fault. */
  | { kind: 'internal'; step: string; reason: string };

export type FerryErrorKind = FerryErrorDetail['kind'];

/**
 * TLS failures with a known remedy. The text is here, in one place, so the app and `ferry` say
 * the same thing.
 */
export type TlsHint =
  /** Alert 116 (certificate required), or alert 40 when the client offered no certificate. */
  | 'client-certificate-required'
  /** TLS 1.3 without a client certificate: the server hung up before answering anything. */
  | 'client-certificate-probably-required'
  /** Implicit TLS got a non-TLS answer ("wrong version number"): an explicit or plain port. */
  | 'plain-ftp-port'
  /** Explicit or plain FTP got no greeting at all from a port that accepted the connection. */
  | 'implicit-tls-port';

const CLIENT_CERTIFICATE_REMEDY = "(use --client-cert or --pfx / the site's TLS tab)";

export const TLS_HINTS: Record<TlsHint, string> = {
  'client-certificate-required': `the server requires a client certificate ${CLIENT_CERTIFICATE_REMEDY}`,
  'client-certificate-probably-required': `the server closed the connection right after the TLS handshake: it probably requires a client certificate ${CLIENT_CERTIFICATE_REMEDY}`,
  'plain-ftp-port': 'this port speaks plain FTP: try Explicit FTPS (ftpes://)',
  'implicit-tls-port':
    'the server accepted the connection but sent no greeting: if this port expects implicit TLS, try Implicit FTPS (ftps://)',
};

/** A one-line, human-readable description of an error detail. */
export function describeError(detail: FerryErrorDetail): string {
  switch (detail.kind) {
    case 'ftp-reply':
      return `${detail.step}: server refused ${detail.command} with ${detail.code} ${detail.text}`;
    case 'auth':
      return `${detail.step}: login refused (${detail.code} ${detail.text})`;
    case 'tls-untrusted':
      return `${detail.step}: certificate not trusted (${detail.reasons.join(', ')})`;
    case 'tls-handshake':
      if (detail.hint) {
        const alert = detail.alert !== undefined ? `; TLS alert ${detail.alert}` : '';
        return `${detail.step}: ${TLS_HINTS[detail.hint]}${alert}`;
      }
      return `${detail.step}: TLS handshake failed: ${detail.reason}`;
    case 'tls-resumption':
      return `${detail.step}: data connection did not resume the TLS session: ${detail.reason}`;
    case 'insecure-refused':
      return `${detail.step}: ${detail.reason}`;
    case 'timeout':
      return `${detail.step}: no answer within ${Math.round(detail.ms / 1000)} s${detail.hint ? `; ${TLS_HINTS[detail.hint]}` : ''}`;
    case 'closed':
      return `${detail.step}: connection closed: ${detail.reason}`;
    case 'network':
      return `${detail.step}: network error ${detail.code}: ${detail.reason}`;
    case 'protocol':
      return `${detail.step}: unexpected server behaviour: ${detail.reason}`;
    case 'unsafe-input':
      return `${detail.step}: refused unsafe input: ${detail.reason}`;
    case 'cancelled':
      return `${detail.step}: cancelled`;
    case 'local-fs':
      return `${detail.step}: ${detail.path}: ${detail.reason}`;
    case 'exists':
      return `${detail.step}: ${detail.path} already exists; choose another name, or move or delete it first`;
    case 'usage':
      return `${detail.step}: ${detail.reason}`;
    case 'not-found':
      return `${detail.step}: ${detail.path}: ${detail.reason}`;
    case 'internal':
      return `${detail.step}: internal error, a bug in Ferry (please report it): ${detail.reason}`;
  }
}

export function isFerryErrorDetail(value: unknown): value is FerryErrorDetail {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { kind?: unknown }).kind === 'string' &&
    typeof (value as { step?: unknown }).step === 'string'
  );
}
