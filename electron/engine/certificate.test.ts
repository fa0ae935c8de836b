import { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getSharedCerts, type TestCerts } from '../../test/servers/certs';
import {
  chainsToKnownRoot,
  describeCertificate,
  normalizeFingerprint,
  parsePemBundle,
  trustedBy,
} from './certificate';
import { signatureAlgorithmOf } from './der';

let certs: TestCerts;

beforeAll(async () => {
  certs = await getSharedCerts();
});

afterAll(() => undefined);

describe('describeCertificate', () => {
  it('reads names, SANs, key, signature and fingerprints of a self-signed certificate', () => {
    const info = describeCertificate(new X509Certificate(certs.selfSigned.certPem));
    expect(info.subject.CN).toBe('localhost');
    expect(info.subjectAltNames).toEqual(['DNS:localhost', 'IP Address:127.0.0.1']);
    expect(info.selfSigned).toBe(true);
    expect(info.publicKeyAlgorithm).toBe('RSA');
    expect(info.publicKeyBits).toBe(2048);
    expect(info.signatureAlgorithm).toBe('sha256WithRSAEncryption');
    expect(info.weakSignature).toBe(false);
    // The same text `openssl x509 -noout -fingerprint -sha256` prints.
    expect(info.fingerprint256).toBe(certs.selfSigned.fingerprint256);
    expect(info.fingerprint1).toMatch(/^([0-9A-F]{2}:){19}[0-9A-F]{2}$/);
    expect(info.expired).toBe(false);
  });

  it('flags an expired certificate and one signed by a CA', () => {
    const expired = describeCertificate(new X509Certificate(certs.expired.certPem));
    expect(expired.expired).toBe(true);
    expect(expired.selfSigned).toBe(false);
    expect(expired.issuer.CN).toBe('Ferry Test CA');
    expect(new Date(expired.validTo).getUTCFullYear()).toBe(2020);
  });

  it('names the extra CA as the trust anchor when it issued the chain', () => {
    const leaf = new X509Certificate(certs.caSigned.certPem);
    const ca = parsePemBundle(certs.ca.certPem);
    expect(ca).toHaveLength(1);
    expect(trustedBy([leaf], ca)).toBe('extra-ca');
    expect(trustedBy([new X509Certificate(certs.selfSigned.certPem)], ca)).toBe('system');
  });
});

describe('chainsToKnownRoot', () => {
  it('tells an unknown CA from a known one, whatever the validity dates', () => {
    const expired = new X509Certificate(certs.expired.certPem);
    const ca = new X509Certificate(certs.ca.certPem);
    // The expired leaf of the test CA: unknown to the system roots, known once the CA is extra.
    expect(chainsToKnownRoot([expired], [])).toBe(false);
    expect(chainsToKnownRoot([expired], [ca])).toBe(true);
    // Presented with its CA in the chain, still unknown: a chain cannot vouch for itself.
    expect(chainsToKnownRoot([expired, ca], [])).toBe(false);
    expect(chainsToKnownRoot([expired, ca], [], [ca])).toBe(true);
    expect(chainsToKnownRoot([new X509Certificate(certs.selfSigned.certPem)], [ca])).toBe(false);
  });
});

describe('signatureAlgorithmOf', () => {
  it('survives garbage', () => {
    expect(signatureAlgorithmOf(new Uint8Array([0x30, 0x82, 0xff]))).toEqual({
      name: 'unknown',
      oid: '',
      weak: false,
    });
    expect(signatureAlgorithmOf(new Uint8Array())).toEqual({
      name: 'unknown',
      oid: '',
      weak: false,
    });
  });
});

describe('normalizeFingerprint', () => {
  it('accepts colon, plain and lower-case forms', () => {
    const colon = certs.selfSigned.fingerprint256;
    expect(normalizeFingerprint(colon)).toBe(colon);
    expect(normalizeFingerprint(colon.replace(/:/g, '').toLowerCase())).toBe(colon);
    expect(normalizeFingerprint('abc')).toBeUndefined();
  });
});
