import type {
  CertificateInfo,
  CertificateReport,
  RemoteEntry,
  TimePrecision,
  TrustVerdict,
} from '../../shared/models';

/**
 * What a terminal may act on: C0 controls (ESC starts escape sequences, BEL, CR, backspace),
 * DEL, C1 controls (U+009B is a one-character CSI), and the invisible bidirectional overrides
 * that make a name display as another (`evil\u202Etxt.exe`).
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const CONTROL_BUT_NEWLINE =
  // eslint-disable-next-line no-control-regex -- as above
  /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

function escapeControl(char: string): string {
  const code = char.charCodeAt(0);
  return code <= 0xff
    ? `\\x${code.toString(16).padStart(2, '0')}`
    : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * Makes one server-supplied string (a name, a reply text, an error reason) safe for a terminal
 * and for one line: every control character is shown as `\xNN` (`\uNNNN` for the bidi ones),
 * newlines included.
 */
export function printable(text: string): string {
  return text.replace(CONTROL, escapeControl);
}

/**
 * The last pass over everything ferry writes for people (stdout without --json, all of stderr):
 * the same escaping as `printable`, newlines kept. Whatever a command forgot to escape still
 * cannot act on the terminal.
 */
export function terminalSafe(text: string): string {
  return text.replace(CONTROL_BUT_NEWLINE, escapeControl);
}

/**
 * JSON output: JSON.stringify escapes C0 controls but leaves DEL, C1 and the bidi controls raw.
 * Written as `\u` escapes they reach a terminal harmlessly and parse back to the same strings.
 */
export function jsonForTerminal(json: string): string {
  return json.replace(
    CONTROL_BUT_NEWLINE,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/** To the minute; a listed date without a time (LIST's `Nov 23  2025`) as the date alone. */
function formatModified(iso: string | undefined, precision: TimePrecision | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  if (precision === 'day') return date.toISOString().slice(0, 10);
  return `${date.toISOString().slice(0, 16).replace('T', ' ')}Z`;
}

/** `ls` as a table: kind, size, modified (UTC), name. */
export function formatListing(entries: readonly RemoteEntry[]): string {
  if (entries.length === 0) return '(empty folder)\n';
  const header = { kind: 'KIND', size: 'SIZE', modified: 'MODIFIED (UTC)', name: 'NAME' };
  const rows = [header];
  // Widths in the same pass: spreading a 100,000+ column into Math.max overflows the stack.
  let kindWidth = header.kind.length;
  let sizeWidth = header.size.length;
  let modifiedWidth = header.modified.length;
  for (const entry of entries) {
    const row = {
      kind: entry.kind,
      size: entry.size !== undefined ? String(entry.size) : entry.kind === 'dir' ? '-' : '?',
      modified: formatModified(entry.modified, entry.modifiedPrecision),
      name:
        printable(entry.name) +
        (entry.linkTarget !== undefined ? ` -> ${printable(entry.linkTarget)}` : ''),
    };
    kindWidth = Math.max(kindWidth, row.kind.length);
    sizeWidth = Math.max(sizeWidth, row.size.length);
    modifiedWidth = Math.max(modifiedWidth, row.modified.length);
    rows.push(row);
  }
  const lines = rows.map(
    (row) =>
      `${[
        row.kind.padEnd(kindWidth),
        row.size.padStart(sizeWidth),
        row.modified.padEnd(modifiedWidth),
        row.name,
      ]
        .join('  ')
        .trimEnd()}\n`,
  );
  return lines.join('');
}

export function describeVerdict(verdict: TrustVerdict): string {
  switch (verdict.status) {
    case 'trusted':
      return verdict.by === 'system'
        ? 'TRUSTED (chain verifies against the system roots, name matches)'
        : 'TRUSTED (chain verifies against the --ca file, name matches)';
    case 'pinned':
      return 'PINNED (the leaf certificate matches --pin)';
    case 'untrusted':
      return `NOT TRUSTED (${verdict.reasons.join(', ')})`;
    case 'changed':
      return `NOT TRUSTED: does not match the pinned certificate ${verdict.previous.fingerprint256} (${verdict.reasons.join(', ')})`;
  }
}

function describeKey(cert: CertificateInfo): string {
  const size = cert.publicKeyBits !== undefined ? ` ${cert.publicKeyBits} bits` : '';
  const curve = cert.publicKeyCurve !== undefined ? ` ${cert.publicKeyCurve}` : '';
  return `${cert.publicKeyAlgorithm}${size}${curve}`;
}

function certificateLines(cert: CertificateInfo, index: number): string[] {
  const flags = [
    cert.selfSigned ? 'self-signed' : '',
    cert.isCA ? 'CA' : '',
    cert.expired ? 'EXPIRED' : '',
    cert.notYetValid ? 'NOT YET VALID' : '',
    cert.weakSignature ? 'WEAK SIGNATURE' : '',
  ].filter((flag) => flag !== '');
  return [
    `Certificate ${index}${index === 0 ? ' (server)' : ''}${flags.length > 0 ? ` [${flags.join(', ')}]` : ''}`,
    `  Subject:      ${printable(cert.subject.text)}`,
    `  Issuer:       ${printable(cert.issuer.text)}`,
    ...(cert.subjectAltNames.length > 0
      ? [`  Names:        ${printable(cert.subjectAltNames.join(', '))}`]
      : []),
    `  Valid:        ${cert.validFrom} to ${cert.validTo}`,
    `  Serial:       ${cert.serialNumber}`,
    `  Key:          ${describeKey(cert)}, signed with ${cert.signatureAlgorithm}`,
    `  SHA-256:      ${cert.fingerprint256}`,
    `  SHA-1:        ${cert.fingerprint1}`,
  ];
}

/** The certificate report as `ferry cert` prints it. */
export function formatCertificateReport(report: CertificateReport): string {
  const session = report.session;
  const cipher = session.cipherStandardName ?? session.cipher;
  const lines = [
    `Server:         ${report.host}:${report.port}`,
    `TLS:            ${session.protocol}, ${cipher}${session.keyExchange ? `, ${session.keyExchange}` : ''}`,
    '',
    ...report.chain.flatMap((cert, index) => [...certificateLines(cert, index), '']),
    `Verdict:        ${describeVerdict(report.verdict)}`,
  ];
  if (report.verdict.status === 'untrusted' || report.verdict.status === 'changed') {
    const leaf = report.chain[0];
    lines.push(`                ${printable(report.verdict.detail)}`);
    if (leaf) lines.push(`To trust exactly this certificate: --pin ${leaf.fingerprint256}`);
  }
  return `${lines.join('\n')}\n`;
}
