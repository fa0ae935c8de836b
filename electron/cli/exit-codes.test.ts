import { describe, expect, it } from 'vitest';
import type { FerryErrorDetail } from '../../shared/errors';
import { ExitCode, exitCodeFor } from './exit-codes';

describe('exitCodeFor', () => {
  const cases: Array<[FerryErrorDetail, number]> = [
    [{ kind: 'usage', step: 's', reason: 'r' }, 2],
    [{ kind: 'unsafe-input', step: 's', reason: 'r' }, 2],
    [{ kind: 'tls-untrusted', step: 's', reasons: ['self-signed'], fingerprint256: 'AA' }, 3],
    [{ kind: 'auth', step: 's', code: 530, text: 'no' }, 4],
    [{ kind: 'ftp-reply', step: 's', command: 'RETR', code: 550, text: 'no' }, 5],
    [{ kind: 'insecure-refused', step: 's', reason: 'r' }, 5],
    [{ kind: 'network', step: 's', code: 'ECONNREFUSED', reason: 'r' }, 6],
    [{ kind: 'timeout', step: 's', ms: 1000 }, 6],
    [{ kind: 'closed', step: 's', reason: 'r' }, 6],
    [{ kind: 'tls-handshake', step: 's', reason: 'r' }, 6],
    [{ kind: 'tls-resumption', step: 's', reason: 'r' }, 6],
    [{ kind: 'protocol', step: 's', reason: 'r' }, 6],
    [{ kind: 'local-fs', step: 's', path: '/x', code: 'ENOENT', reason: 'r' }, 7],
    [{ kind: 'not-found', step: 's', side: 'local', path: '/x', reason: 'r' }, 7],
    [{ kind: 'internal', step: 's', reason: 'r' }, 1],
    [{ kind: 'cancelled', step: 's' }, 130],
  ];
  it.each(cases)('maps %o to %i', (detail, code) => {
    expect(exitCodeFor(detail)).toBe(code);
  });

  it('keeps the documented numbers', () => {
    expect(ExitCode).toMatchObject({
      ok: 0,
      internal: 1,
      usage: 2,
      untrusted: 3,
      loginRefused: 4,
      serverRefused: 5,
      network: 6,
      localFile: 7,
    });
  });
});
