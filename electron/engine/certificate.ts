import { X509Certificate } from 'node:crypto';
import { rootCertificates } from 'node:tls';
import type { DetailedPeerCertificate, PeerCertificate, TLSSocket } from 'node:tls';
import type {
  CertificateInfo,
  CertificateReport,
  DistinguishedName,
  TlsSessionInfo,
  TrustVerdict,
  UntrustedReason,
} from '../../shared/models';
import { signatureAlgorithmOf } from './der';
import { FerryError } from './errors';
import type { PinnedCertificate } from './types';

const DN_FIELDS = ['CN', 'O', 'OU', 'C', 'ST', 'L', 'emailAddress'] as const;

function parseDistinguishedName(text: string): DistinguishedName {
  // X509Certificate prints one RDN per line, with commas inside values escaped as "\,".
  const lines = text.split('\n').filter((line) => line.length > 0);
  const name: DistinguishedName = { text: lines.join(', ') };
  for (const line of lines) {
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    const key = line.slice(0, eq);
    const value = line.slice(eq + 1).replace(/\\,/g, ',');
    const field = DN_FIELDS.find((candidate) => candidate === key);
    if (field && name[field] === undefined) name[field] = value;
  }
  return name;
}

function colonHex(hex: string): string {
  return hex.toUpperCase().replace(/(..)(?=.)/g, '$1:');
}

export function describeCertificate(cert: X509Certificate, now = new Date()): CertificateInfo {
  const validFrom = new Date(cert.validFrom);
  const validTo = new Date(cert.validTo);
  const key = cert.publicKey;
  const details = key.asymmetricKeyDetails;
  const signature = signatureAlgorithmOf(cert.raw);
  // Not checkIssued: a self-signed leaf usually lacks the keyCertSign usage that it checks.
  const selfSigned = cert.subject === cert.issuer && cert.verify(key);
  return {
    subject: parseDistinguishedName(cert.subject),
    issuer: parseDistinguishedName(cert.issuer),
    subjectAltNames: (cert.subjectAltName ?? '')
      .split(', ')
      .map((name) => name.trim())
      .filter((name) => name.length > 0),
    validFrom: validFrom.toISOString(),
    validTo: validTo.toISOString(),
    expired: now > validTo,
    notYetValid: now < validFrom,
    serialNumber: colonHex(cert.serialNumber),
    publicKeyAlgorithm: (key.asymmetricKeyType ?? 'unknown').toUpperCase(),
    ...(details?.modulusLength !== undefined ? { publicKeyBits: details.modulusLength } : {}),
    ...(details?.namedCurve !== undefined ? { publicKeyCurve: details.namedCurve } : {}),
    signatureAlgorithm: signature.name,
    weakSignature: signature.weak,
    selfSigned,
    isCA: cert.ca,
    fingerprint256: cert.fingerprint256,
    fingerprint1: cert.fingerprint,
    rawBase64: cert.raw.toString('base64'),
  };
}

/** The chain as the server sent it, leaf first (Node links it through issuerCertificate). */
export function peerChain(socket: TLSSocket): X509Certificate[] {
  const chain: X509Certificate[] = [];
  const seen = new Set<string>();
  let current: PeerCertificate | undefined = socket.getPeerCertificate(true);
  while (current?.raw && chain.length < 16) {
    const x509 = new X509Certificate(current.raw);
    if (seen.has(x509.fingerprint256)) break;
    seen.add(x509.fingerprint256);
    chain.push(x509);
    // getPeerCertificate(true) links each certificate to its issuer (the root links to itself).
    const next: PeerCertificate | undefined = (current as DetailedPeerCertificate)
      .issuerCertificate;
    current = next && next !== current ? next : undefined;
  }
  return chain;
}

export function sessionInfo(socket: TLSSocket): TlsSessionInfo {
  const cipher = socket.getCipher();
  const ephemeral = socket.getEphemeralKeyInfo();
  let keyExchange: string | undefined;
  if (ephemeral && 'type' in ephemeral && ephemeral.type) {
    keyExchange = ephemeral.name
      ? `${ephemeral.type} ${ephemeral.name}${ephemeral.size ? ` (${ephemeral.size} bits)` : ''}`
      : ephemeral.type;
  }
  return {
    protocol: socket.getProtocol() ?? 'unknown',
    cipher: cipher.name,
    ...(cipher.standardName ? { cipherStandardName: cipher.standardName } : {}),
    ...(keyExchange ? { keyExchange } : {}),
  };
}

/** Maps OpenSSL/Node verification codes to reasons a person understands. */
function reasonFromCode(code: string | undefined): UntrustedReason | undefined {
  switch (code) {
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
      return 'self-signed';
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'UNABLE_TO_GET_ISSUER_CERT':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
      return 'unknown-issuer';
    case 'CERT_HAS_EXPIRED':
      return 'expired';
    case 'CERT_NOT_YET_VALID':
      return 'not-yet-valid';
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return 'hostname-mismatch';
    case 'CERT_REVOKED':
      return 'revoked';
    default:
      return undefined;
  }
}

function hostMatches(leaf: X509Certificate, host: string): boolean {
  const isIp = /^[\d.]+$/.test(host) || host.includes(':');
  return isIp ? leaf.checkIP(host) !== undefined : leaf.checkHost(host) !== undefined;
}

let systemRoots: X509Certificate[] | undefined;

/** Node's bundled root certificates, parsed once (the same roots the TLS check uses). */
function roots(): X509Certificate[] {
  systemRoots ??= rootCertificates.flatMap((pem) => {
    try {
      return [new X509Certificate(pem)];
    } catch {
      return [];
    }
  });
  return systemRoots;
}

/**
 * Whether the presented chain leads to a trusted root (the system's or `extraCa`), by names and
 * signatures only, ignoring validity dates: so an expired certificate from a known CA is not
 * also called "unknown issuer", and one from an unknown CA is.
 */
export function chainsToKnownRoot(
  chain: X509Certificate[],
  extraCa: X509Certificate[],
  anchors: X509Certificate[] = roots(),
): boolean {
  const trusted = [...extraCa, ...anchors];
  const isTrusted = (cert: X509Certificate): boolean =>
    trusted.some((anchor) => anchor.fingerprint256 === cert.fingerprint256);
  const signedBy = (cert: X509Certificate, issuer: X509Certificate): boolean => {
    try {
      return cert.checkIssued(issuer) && cert.verify(issuer.publicKey);
    } catch {
      return false;
    }
  };
  let current = chain[0];
  const seen = new Set<string>();
  while (current && !seen.has(current.fingerprint256)) {
    seen.add(current.fingerprint256);
    if (isTrusted(current)) return true;
    const cert: X509Certificate = current;
    if (trusted.some((anchor) => signedBy(cert, anchor))) return true;
    current = chain.find((candidate) => candidate !== cert && signedBy(cert, candidate));
  }
  return false;
}

/**
 * OpenSSL reports only the first problem it finds; the user deserves all of them, so each is
 * checked on its own as well.
 */
export function untrustedReasons(
  socket: TLSSocket,
  chain: CertificateInfo[],
  leaf: X509Certificate,
  host: string,
  x509Chain: X509Certificate[] = [leaf],
  extraCa: X509Certificate[] = [],
): UntrustedReason[] {
  const reasons = new Set<UntrustedReason>();
  const error = socket.authorizationError as unknown as Error | string | null;
  const code = typeof error === 'string' ? error : (error as { code?: string } | null)?.code;
  const first = reasonFromCode(code ?? (error instanceof Error ? error.message : undefined));
  if (first) reasons.add(first);
  const info = chain[0];
  if (info?.selfSigned) reasons.add('self-signed');
  if (info?.expired) reasons.add('expired');
  if (info?.notYetValid) reasons.add('not-yet-valid');
  if (!info?.selfSigned && !chainsToKnownRoot(x509Chain, extraCa)) reasons.add('unknown-issuer');
  if (!hostMatches(leaf, host)) reasons.add('hostname-mismatch');
  if (reasons.size === 0) reasons.add('other');
  return [...reasons];
}

export function trustedBy(
  chain: X509Certificate[],
  extraCa: X509Certificate[],
): 'system' | 'extra-ca' {
  for (const ca of extraCa) {
    for (const cert of chain) {
      if (cert.fingerprint256 === ca.fingerprint256) return 'extra-ca';
      if (cert.checkIssued(ca) && cert.verify(ca.publicKey)) return 'extra-ca';
    }
  }
  return 'system';
}

export function parsePemBundle(pem: Buffer | string): X509Certificate[] {
  const text = typeof pem === 'string' ? pem : pem.toString('utf8');
  const blocks = text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  return blocks.map((block) => new X509Certificate(block));
}

export interface VerdictInput {
  socket: TLSSocket;
  host: string;
  port: number;
  extraCa: X509Certificate[];
  pin: PinnedCertificate | undefined;
}

/** Builds the certificate report and the verdict that decides whether credentials may be sent. */
export function buildCertificateReport(input: VerdictInput): CertificateReport {
  const { socket, host, port, pin } = input;
  const x509Chain = peerChain(socket);
  const leaf = x509Chain[0];
  if (!leaf) {
    // The server's doing, not a bug: keep it out of `internal`.
    throw new FerryError({
      kind: 'protocol',
      step: 'certificate',
      reason: 'the server sent no certificate',
    });
  }
  const chain = x509Chain.map((cert) => describeCertificate(cert));
  const fingerprint = chain[0]?.fingerprint256;
  let verdict: TrustVerdict;
  if (socket.authorized) {
    verdict = { status: 'trusted', by: trustedBy(x509Chain, input.extraCa) };
  } else if (pin && pin.fingerprint256 === fingerprint) {
    verdict = { status: 'pinned' };
  } else {
    const reasons = untrustedReasons(socket, chain, leaf, host, x509Chain, input.extraCa);
    const detail = String(socket.authorizationError ?? reasons.join(', '));
    verdict = pin
      ? { status: 'changed', previous: pin.certificate, reasons, detail }
      : { status: 'untrusted', reasons, detail };
  }
  return { host, port, chain, session: sessionInfo(socket), verdict };
}

/** Accepts `AA:BB:…`, `aabb…` or with spaces; returns the colon form Node uses. */
export function normalizeFingerprint(input: string): string | undefined {
  const hex = input.replace(/[\s:]/g, '').toUpperCase();
  if (!/^[0-9A-F]{64}$/.test(hex)) return undefined;
  return colonHex(hex);
}
