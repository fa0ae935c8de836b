import type { FerryErrorDetail } from '../../shared/errors';

/**
 * Passwords shorter than this are not searched for in the output: masking every "ab" would make
 * messages unreadable. Such passwords are still never printed by ferry itself (URLs are masked
 * where they are quoted); this pass only catches text ferry did not write, such as a server
 * reply that quotes the password.
 */
const MIN_SECRET_LENGTH = 4;

function addWithDecoded(into: Set<string>, raw: string): void {
  into.add(raw);
  try {
    into.add(decodeURIComponent(raw));
  } catch {
    // A malformed escape: the raw text is all there is.
  }
}

/**
 * The secrets one `ferry` run was given: the password part of any URL-like argument (from the
 * first ":" of the user part to the last "@", raw and percent-decoded), `--pfx-pass`,
 * FERRY_PASSWORD and FERRY_PFX_PASSWORD.
 */
export function secretsOf(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): string[] {
  const found = new Set<string>();
  argv.forEach((arg, index) => {
    if (arg === '--pfx-pass' && argv[index + 1] !== undefined) found.add(argv[index + 1] ?? '');
    if (arg.startsWith('--pfx-pass=')) found.add(arg.slice('--pfx-pass='.length));
    const rest = arg.replace(/^[A-Za-z][A-Za-z0-9+.-]*:\/\//, '');
    const at = rest.lastIndexOf('@');
    const colon = at < 0 ? -1 : rest.slice(0, at).indexOf(':');
    if (colon >= 0) addWithDecoded(found, rest.slice(colon + 1, at));
  });
  for (const name of ['FERRY_PASSWORD', 'FERRY_PFX_PASSWORD']) {
    const value = env[name];
    if (value !== undefined) found.add(value);
  }
  // Longest first, so a secret containing another is masked whole.
  return [...found]
    .filter((secret) => secret.length >= MIN_SECRET_LENGTH)
    .sort((a, b) => b.length - a.length);
}

export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (out.includes(secret)) out = out.split(secret).join('***');
  return out;
}

/** The detail with every text field redacted (numbers and kinds unchanged). */
export function redactDetail(
  detail: FerryErrorDetail,
  secrets: readonly string[],
): FerryErrorDetail {
  if (secrets.length === 0) return detail;
  const copy: Record<string, unknown> = { ...detail };
  for (const [key, value] of Object.entries(copy)) {
    if (typeof value === 'string') copy[key] = redact(value, secrets);
    else if (Array.isArray(value)) {
      copy[key] = value.map((item: unknown) =>
        typeof item === 'string' ? redact(item, secrets) : item,
      );
    }
  }
  return copy as FerryErrorDetail;
}
