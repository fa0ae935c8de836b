import { describe, expect, it } from 'vitest';
import { adviseError } from './error-advice';
import type { FerryErrorDetail } from './errors';

const cases: Array<[string, FerryErrorDetail, RegExp, RegExp]> = [
  [
    'implicit TLS against a plain/explicit port',
    {
      kind: 'tls-handshake',
      step: 'TLS handshake',
      reason: 'wrong version number',
      hint: 'plain-ftp-port',
    },
    /does not start with TLS/,
    /Explicit FTPS/,
  ],
  [
    'refused',
    {
      kind: 'network',
      step: 'connect',
      code: 'ECONNREFUSED',
      reason: 'connect ECONNREFUSED 127.0.0.1:25022',
    },
    /Nothing accepts connections at ftp\.example\.com:21/,
    /host and the port/,
  ],
  [
    'timeout',
    { kind: 'timeout', step: 'connect', ms: 20000 },
    /did not answer within 20 s/,
    /firewall/,
  ],
  [
    'DNS',
    { kind: 'network', step: 'connect', code: 'ENOTFOUND', reason: 'getaddrinfo ENOTFOUND x' },
    /could not be found/,
    /spelling/,
  ],
  [
    'login incorrect',
    { kind: 'auth', step: 'login', code: 530, text: 'Login incorrect.' },
    /refused the user name or password/,
    /case-sensitive/,
  ],
  [
    'TLS required by the server',
    { kind: 'auth', step: 'login', code: 530, text: 'Non-anonymous sessions must use encryption.' },
    /requires an encrypted connection/,
    /Explicit FTPS/,
  ],
  [
    'client certificate required',
    {
      kind: 'tls-handshake',
      step: 'TLS handshake',
      reason: 'tlsv13 alert certificate required',
      alert: 116,
      hint: 'client-certificate-required',
    },
    /requires a client certificate/,
    /TLS tab/,
  ],
  [
    'certificate problem',
    {
      kind: 'tls-untrusted',
      step: 'certificate',
      reasons: ['expired', 'self-signed'],
      fingerprint256: 'AA',
    },
    /could not be verified \(expired, self-signed\)/,
    /fingerprint/,
  ],
  [
    'passive port unreachable',
    { kind: 'timeout', step: 'open data connection (EPSV)', ms: 20000 },
    /data port could not be reached/,
    /active mode/,
  ],
  [
    'permission denied on the server',
    { kind: 'ftp-reply', step: 'upload', command: 'STOR', code: 550, text: 'Permission denied.' },
    /denied permission \(STOR\)/,
    /ask the administrator/,
  ],
  [
    'upload into a folder the user may not write to (vsftpd)',
    {
      kind: 'ftp-reply',
      step: 'upload',
      command: 'STOR',
      code: 553,
      text: 'Could not create file.',
    },
    /would not create the file \(STOR\)/,
    /may write to it/,
  ],
  [
    'download of a file the server cannot open',
    {
      kind: 'ftp-reply',
      step: 'download',
      command: 'RETR',
      code: 550,
      text: 'Failed to open file.',
    },
    /could not open the file/,
    /refresh the folder/,
  ],
  [
    'permission denied locally',
    { kind: 'local-fs', step: 'download', path: '/x', code: 'EACCES', reason: 'denied' },
    /Permission denied on this computer/,
    /folder you may write to/,
  ],
  [
    'disk full locally',
    { kind: 'local-fs', step: 'download', path: '/x', code: 'ENOSPC', reason: 'no space' },
    /disk on this computer is full/,
    /Free some space/,
  ],
  [
    'a local file that does not exist',
    { kind: 'not-found', step: 'upload', side: 'local', path: '/x/a.txt', reason: 'no such file' },
    /\/x\/a\.txt does not exist on this computer/,
    /Check the name/,
  ],
  [
    'a bug in Ferry',
    {
      kind: 'internal',
      step: 'list /',
      reason: "Cannot read properties of undefined (reading 'x')",
    },
    /bug in Ferry/,
    /report it/,
  ],
  [
    'disk full on the server',
    { kind: 'ftp-reply', step: 'upload', command: 'STOR', code: 552, text: 'Quota exceeded' },
    /no room left/,
    /Free space on the server/,
  ],
];

describe('adviseError', () => {
  it.each(cases)('%s: a sentence and a next step', (_name, detail, summary, action) => {
    const advice = adviseError(detail, { host: 'ftp.example.com', port: 21, mode: 'explicit' });
    expect(advice.summary).toMatch(summary);
    expect(advice.action).toMatch(action);
    // The raw text stays available for "Details", and never leaks into the sentence.
    expect(advice.detail.length).toBeGreaterThan(0);
    expect(advice.summary).not.toMatch(/deps\/openssl|ECONNREFUSED|0A00/);
  });

  it('explicit FTPS on port 990 that gets no greeting suggests implicit', () => {
    const advice = adviseError(
      { kind: 'timeout', step: 'connect', ms: 20000 },
      { host: 'h', port: 990, mode: 'explicit' },
    );
    expect(advice.action).toMatch(/Implicit FTPS/);
  });

  it('follows the engine: alert 40 with a client certificate offered is not called a missing one', () => {
    // tlsFailureDetail gives no hint then; the advice must not guess from the text.
    const advice = adviseError({
      kind: 'tls-handshake',
      step: 'TLS handshake',
      reason: 'sslv3 alert handshake failure',
      alert: 40,
    });
    expect(advice.summary).not.toMatch(/client certificate/);
  });

  it('a silent port after connect suggests implicit FTPS whatever its number', () => {
    const advice = adviseError(
      { kind: 'timeout', step: 'read greeting', ms: 20000, hint: 'implicit-tls-port' },
      { host: 'h', port: 2121, mode: 'explicit' },
    );
    expect(advice.action).toMatch(/Implicit FTPS/);
  });

  it('falls back to the plain description with no action', () => {
    const advice = adviseError({ kind: 'usage', step: 'Rename', reason: 'bad name' });
    expect(advice).toEqual({ summary: 'Rename: bad name', detail: 'Rename: bad name' });
  });
});
