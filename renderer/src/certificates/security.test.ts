import { describe, expect, it } from 'vitest';
import type { SessionSecurity, SessionState } from '../../../shared/ipc';
import type { CertificateInfo, CertificateReport } from '../../../shared/models';
import { chainLinkProblems, summarizeSecurity } from './security';

const NOW = Date.parse('2026-12-03T00:00:00Z');

const cert = (over: Partial<CertificateInfo> = {}): CertificateInfo => ({
  subject: { CN: 'localhost', text: 'CN=localhost' },
  issuer: { CN: 'Ferry Test CA', text: 'CN=Ferry Test CA' },
  subjectAltNames: ['DNS:localhost'],
  validFrom: '2019-01-01T00:00:00.000Z',
  validTo: '2030-01-01T00:00:00.000Z',
  expired: false,
  notYetValid: false,
  serialNumber: '01',
  publicKeyAlgorithm: 'RSA',
  signatureAlgorithm: 'sha256WithRSAEncryption',
  weakSignature: false,
  selfSigned: false,
  isCA: false,
  fingerprint256: 'AA',
  fingerprint1: 'BB',
  rawBase64: '',
  ...over,
});

const security = (over: Partial<SessionSecurity> = {}): SessionSecurity => ({
  mode: 'explicit',
  tlsProtocol: 'TLSv1.3',
  dataProtection: 'P',
  insecureFallback: false,
  cccActive: false,
  certificateTrust: 'verified',
  dataConnections: { total: 2, protected: 2, resumed: 2 },
  ...over,
});

const expiredUnknown: CertificateReport = {
  host: '127.0.0.1',
  port: 21,
  chain: [cert({ expired: true, validTo: '2020-01-02T00:00:00.000Z' })],
  session: { protocol: 'TLSv1.3', cipher: 'x' },
  verdict: { status: 'untrusted', reasons: ['expired', 'unknown-issuer'], detail: '' },
};

const connected = (sec: SessionSecurity, report?: CertificateReport): SessionState => ({
  status: 'connected',
  security: sec,
  ...(report ? { report } : {}),
});

describe('summarizeSecurity', () => {
  it('is green only for a verified chain or a pin, with encrypted and resumed data', () => {
    expect(summarizeSecurity(connected(security())).tone).toBe('secure');
    expect(summarizeSecurity(connected(security({ certificateTrust: 'pinned' })))).toMatchObject({
      tone: 'secure',
    });
    expect(summarizeSecurity(connected(security({ certificateTrust: 'pinned' }))).facts).toContain(
      'Certificate pinned by you',
    );
  });

  it('is amber after "trust once" on an expired certificate from an unknown CA, and says why', () => {
    const summary = summarizeSecurity(
      connected(security({ certificateTrust: 'once' }), expiredUnknown),
    );
    expect(summary.tone).toBe('warning');
    expect(summary.facts).toEqual(
      expect.arrayContaining([
        'Certificate trusted once, not verified',
        expect.stringMatching(/^Certificate expired 2020-01-0\d$/),
        'Unknown issuer',
      ]),
    );
  });

  it('is amber for PROT C, CCC and unresumed data connections', () => {
    for (const over of [
      { dataProtection: 'C' as const },
      { cccActive: true },
      { dataConnections: { total: 3, protected: 3, resumed: 2 } },
    ]) {
      expect(summarizeSecurity(connected(security(over))).tone).toBe('warning');
    }
  });

  it('is red without TLS, also after a fallback the user allowed', () => {
    expect(summarizeSecurity(connected(security({ mode: 'plain' }))).tone).toBe('danger');
    expect(
      summarizeSecurity(
        connected(security({ mode: 'explicit-if-available', insecureFallback: true })),
      ),
    ).toMatchObject({ tone: 'danger', headline: 'Not encrypted: the server did not offer TLS' });
  });
});

describe('chainLinkProblems', () => {
  it('marks the expired leaf with its date and the top link with the unknown issuer', () => {
    const problems = chainLinkProblems(expiredUnknown, 0, NOW);
    expect(problems[0]).toMatch(/^expired 2020-01-0\d/);
    expect(problems).toContainEqual(
      expect.stringMatching(/authority this computer does not know \(Ferry Test CA\)/),
    );
  });

  it('finds nothing wrong in a verified chain', () => {
    const report: CertificateReport = {
      ...expiredUnknown,
      chain: [cert()],
      verdict: { status: 'trusted', by: 'system' },
    };
    expect(chainLinkProblems(report, 0, NOW)).toEqual([]);
  });

  it('names a host-name mismatch on the leaf only', () => {
    const report: CertificateReport = {
      ...expiredUnknown,
      chain: [cert(), cert({ selfSigned: true, isCA: true })],
      verdict: { status: 'untrusted', reasons: ['hostname-mismatch'], detail: '' },
    };
    expect(chainLinkProblems(report, 0, NOW)).toEqual(['not made for 127.0.0.1']);
    expect(chainLinkProblems(report, 1, NOW)).toEqual([]);
  });
});

describe('a certificate the user pinned', () => {
  it('is green although the chain itself does not verify (self-signed)', () => {
    const report: CertificateReport = {
      ...expiredUnknown,
      chain: [cert({ selfSigned: true })],
      verdict: { status: 'untrusted', reasons: ['self-signed'], detail: '' },
    };
    expect(
      summarizeSecurity(connected(security({ certificateTrust: 'pinned' }), report)).tone,
    ).toBe('secure');
  });
});
