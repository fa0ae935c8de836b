import { describe, expect, it } from 'vitest';
import { describeError } from '../../shared/errors';
import { FerryError, opensslReason, tlsFailureDetail, toErrorDetail } from './errors';

function sslError(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

const ALERT_40 = sslError(
  '80:error:0A000410:SSL routines:ssl3_read_bytes:sslv3 alert handshake failure:../deps/openssl/openssl/ssl/record/rec_layer_s3.c:1601:SSL alert number 40\n',
  'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE',
);
const WRONG_VERSION = sslError(
  '80:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:../deps/openssl/openssl/ssl/record/ssl3_record.c:350:\n',
  'ERR_SSL_WRONG_VERSION_NUMBER',
);

describe('tlsFailureDetail', () => {
  it('reads alert 40 as a missing client certificate only when none was offered', () => {
    const step = 'TLS handshake';
    const without = tlsFailureDetail(ALERT_40, { step, clientCertificateOffered: false });
    expect(without).toMatchObject({ alert: 40, hint: 'client-certificate-required' });
    expect(describeError(without)).toBe(
      "TLS handshake: the server requires a client certificate (use --client-cert or --pfx / the site's TLS tab); TLS alert 40",
    );
    const offered = tlsFailureDetail(ALERT_40, { step, clientCertificateOffered: true });
    expect(offered).toEqual({
      kind: 'tls-handshake',
      step,
      reason: 'sslv3 alert handshake failure',
      alert: 40,
    });
  });

  it('reads "wrong version number" as a plain FTP port only on an implicit connect', () => {
    const step = 'TLS handshake';
    const implicit = tlsFailureDetail(WRONG_VERSION, {
      step,
      clientCertificateOffered: false,
      implicitStart: true,
    });
    expect(describeError(implicit)).toBe(
      'TLS handshake: this port speaks plain FTP: try Explicit FTPS (ftpes://)',
    );
    // After AUTH TLS the server promised TLS: plaintext there is a broken server, not a hint.
    const explicit = tlsFailureDetail(WRONG_VERSION, { step, clientCertificateOffered: false });
    expect(explicit).toEqual({ kind: 'tls-handshake', step, reason: 'wrong version number' });
  });

  it('hints at a client certificate for a reset right after a TLS 1.3 handshake, not otherwise', () => {
    const reset = sslError('write ECONNRESET', 'ECONNRESET');
    const context = { step: 'TLS handshake', clientCertificateOffered: false };
    expect(tlsFailureDetail(reset, { ...context, silentAfterTls13Handshake: true })).toMatchObject({
      kind: 'tls-handshake',
      hint: 'client-certificate-probably-required',
    });
    expect(tlsFailureDetail(reset, context)).toMatchObject({ kind: 'network', code: 'ECONNRESET' });
  });
});

describe('opensslReason', () => {
  it("keeps OpenSSL's reason and drops its source location", () => {
    expect(opensslReason(WRONG_VERSION.message)).toBe('wrong version number');
    expect(opensslReason('socket hang up')).toBe('socket hang up');
  });
});

describe('toErrorDetail', () => {
  it('reports a bug in Ferry (a TypeError inside an operation) as internal, never as the server', () => {
    let bug: unknown;
    try {
      // The kind of slip a bug makes: reading a property of undefined.
      (undefined as unknown as { size: number }).size.toFixed();
    } catch (error) {
      bug = error;
    }
    expect(bug).toBeInstanceOf(TypeError);
    const detail = toErrorDetail(bug, 'list /srv');
    expect(detail.kind).toBe('internal');
    const text = describeError(detail);
    expect(text).toContain('bug in Ferry');
    expect(text).not.toMatch(/server/i);
    // Node's own argument checks carry an errno-like code but are bugs all the same.
    const nodeBug = Object.assign(new TypeError('The "path" argument must be of type string'), {
      code: 'ERR_INVALID_ARG_TYPE',
    });
    expect(toErrorDetail(nodeBug, 'open').kind).toBe('internal');
  });

  it('keeps network errors, TLS errors and FerryErrors as they are', () => {
    const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    expect(toErrorDetail(reset, 'read reply')).toMatchObject({
      kind: 'network',
      code: 'ECONNRESET',
    });
    const tls = Object.assign(new Error('bad'), { code: 'ERR_SSL_WRONG_VERSION_NUMBER' });
    expect(toErrorDetail(tls, 'connect').kind).toBe('tls-handshake');
    const reply = new FerryError({ kind: 'protocol', step: 's', reason: 'garbled reply' });
    expect(toErrorDetail(reply, 'other')).toBe(reply.detail);
  });
});
