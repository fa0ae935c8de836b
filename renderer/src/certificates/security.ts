/**
 * What the status bar and the certificate views say about a session's security. Green only for
 * a chain that verifies or a certificate the user pinned; amber for anything weaker (trusted
 * once, expired, unverified, PROT C, CCC, data connections that did not resume); red without TLS.
 */
import type { SessionState } from '../../../shared/ipc';
import type { CertificateInfo, CertificateReport, UntrustedReason } from '../../../shared/models';
import { formatDate, MODE_SHORT } from '../lib/format';

export type SecurityTone = 'idle' | 'secure' | 'warning' | 'danger';

export interface SecuritySummary {
  tone: SecurityTone;
  headline: string;
  /** Warnings first, then the facts that are fine. */
  facts: string[];
}

function reasonsOf(report: CertificateReport): UntrustedReason[] {
  const verdict = report.verdict;
  return verdict.status === 'untrusted' || verdict.status === 'changed' ? verdict.reasons : [];
}

/** "expired 2020-01-02 (1,432 days ago)", for the prompt, the status bar and the chain view. */
export function expiredSince(cert: CertificateInfo, now: number): string {
  const days = Math.floor((now - Date.parse(cert.validTo)) / 86_400_000);
  const ago = days < 1 ? 'today' : `${days.toLocaleString()} day${days === 1 ? '' : 's'} ago`;
  return `expired ${formatDate(cert.validTo)} (${ago})`;
}

export function summarizeSecurity(session: SessionState): SecuritySummary {
  const security = session.security;
  if (session.status === 'connecting') {
    return { tone: 'idle', headline: `Connecting to ${session.target?.host ?? ''}…`, facts: [] };
  }
  if (session.status === 'awaiting-trust') {
    return { tone: 'idle', headline: 'Waiting for your decision about the certificate', facts: [] };
  }
  if (session.status === 'failed')
    return { tone: 'danger', headline: 'Connection failed', facts: [] };
  if (session.status !== 'connected' || !security) {
    return { tone: 'idle', headline: 'Not connected', facts: [] };
  }
  if (security.mode === 'plain' || security.insecureFallback) {
    return {
      tone: 'danger',
      headline: security.insecureFallback
        ? 'Not encrypted: the server did not offer TLS'
        : 'Not encrypted: plain FTP',
      facts: ['Passwords and files travel in clear text'],
    };
  }
  const warnings: string[] = [];
  const fine: string[] = [];
  const report = session.report;
  const leaf = report?.chain[0];
  const trust = security.certificateTrust;
  if (trust === 'once') warnings.push('Certificate trusted once, not verified');
  else if (trust === 'pinned') fine.push('Certificate pinned by you');
  else if (trust !== 'verified') warnings.push('Certificate not verified');
  if (leaf?.expired) warnings.push(`Certificate expired ${formatDate(leaf.validTo).slice(0, 10)}`);
  else if (leaf?.notYetValid) warnings.push('Certificate not valid yet');
  if (report && trust !== 'verified' && trust !== 'pinned') {
    const reasons = reasonsOf(report);
    if (reasons.includes('hostname-mismatch')) warnings.push('Certificate names another host');
    if (reasons.includes('unknown-issuer') || reasons.includes('self-signed')) {
      warnings.push(reasons.includes('self-signed') ? 'Self-signed certificate' : 'Unknown issuer');
    }
  }
  if (security.dataProtection === 'P') fine.push('Data encrypted');
  else warnings.push('Data NOT encrypted (PROT C)');
  if (security.cccActive) warnings.push('Command channel cleared (CCC)');
  const records = security.dataConnections;
  if (records.total > 0) {
    const line = `TLS resumed on ${records.resumed}/${records.total} data connections`;
    if (records.resumed < records.protected) warnings.push(line);
    else fine.push(line);
  }
  if (security.cipher) fine.push(security.cipher);
  return {
    tone: warnings.length > 0 ? 'warning' : 'secure',
    headline: `${MODE_SHORT[security.mode]} · ${security.tlsProtocol ?? 'TLS'}`,
    facts: [...warnings, ...fine],
  };
}

/**
 * What is wrong with one link of the chain (empty when nothing is). The leaf carries the host
 * name check; the top of the chain carries "unknown issuer" and "self-signed".
 */
export function chainLinkProblems(
  report: CertificateReport,
  index: number,
  now = Date.now(),
): string[] {
  const cert = report.chain[index];
  if (!cert) return [];
  const problems: string[] = [];
  if (cert.expired) problems.push(expiredSince(cert, now));
  if (cert.notYetValid) problems.push(`not valid before ${formatDate(cert.validFrom)}`);
  if (cert.weakSignature) problems.push(`weak signature (${cert.signatureAlgorithm})`);
  const reasons = reasonsOf(report);
  if (index === 0 && reasons.includes('hostname-mismatch')) {
    problems.push(`not made for ${report.host}`);
  }
  if (index === report.chain.length - 1) {
    if (reasons.includes('self-signed') && cert.selfSigned) {
      problems.push('self-signed: no authority vouches for it');
    } else if (reasons.includes('unknown-issuer') || reasons.includes('self-signed')) {
      problems.push(
        cert.selfSigned
          ? 'a root this computer does not trust'
          : `issued by an authority this computer does not know (${cert.issuer.CN ?? cert.issuer.text})`,
      );
    }
  }
  return problems;
}
