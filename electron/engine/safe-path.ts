import path from 'node:path';
import { quoteName as describe, unsafeNameReason } from '../../shared/names';
import { FerryError } from './errors';

export type NameCheck = { ok: true } | { ok: false; reason: string };

export interface NameRules {
  /** Apply Windows file-name rules; defaults to `process.platform === 'win32'`. */
  windows?: boolean;
}

const WINDOWS_FORBIDDEN = /[:<>"|?*]/;
/** Device names Windows resolves in every folder, with or without an extension. */
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$|clock\$)$/i;
const MAX_NAME_BYTES = 255;

/**
 * Whether a server-supplied name can be used as one local path segment. The server is not
 * trusted: `..`, separators and control characters would let a listing write outside the
 * folder the user chose (the basic-ftp path traversal).
 */
export function validateRemoteName(name: string, rules: NameRules = {}): NameCheck {
  const windows = rules.windows ?? process.platform === 'win32';
  const basic = unsafeNameReason(name);
  if (basic !== undefined) return { ok: false, reason: basic };
  const tooLong = windows ? name.length > MAX_NAME_BYTES : Buffer.byteLength(name) > MAX_NAME_BYTES;
  if (tooLong) return { ok: false, reason: `${describe(name)} is too long` };
  if (windows) {
    if (WINDOWS_FORBIDDEN.test(name)) {
      return { ok: false, reason: `${describe(name)} contains a character Windows forbids` };
    }
    if (/[. ]$/.test(name)) {
      // Windows silently drops these, so `a.` would land on `a`.
      return { ok: false, reason: `${describe(name)} ends with a dot or space` };
    }
    const stem = (name.split('.')[0] ?? '').trimEnd();
    if (WINDOWS_RESERVED.test(stem)) {
      return { ok: false, reason: `${describe(name)} is a reserved device name on Windows` };
    }
  }
  return { ok: true };
}

function unsafe(reason: string): FerryError {
  return new FerryError({ kind: 'unsafe-input', step: 'map remote name to local path', reason });
}

/**
 * The local path for a remote path relative to the transfer's root (`sub/dir/file`). Every
 * segment must pass validateRemoteName, and the resolved result is checked once more to lie
 * strictly inside `root`. Throws unsafe-input otherwise.
 */
export function resolveLocalTarget(
  root: string,
  relativeRemotePath: string,
  rules: NameRules = {},
): string {
  const segments = relativeRemotePath.split('/');
  for (const segment of segments) {
    const check = validateRemoteName(segment, rules);
    if (!check.ok) throw unsafe(check.reason);
  }
  const target = path.resolve(root, ...segments);
  // Belt and braces: should a rule above ever miss a trick, the result still cannot escape.
  if (!isInsideRoot(root, target)) {
    throw unsafe(`${describe(relativeRemotePath)} resolves outside the target folder`);
  }
  return target;
}

/**
 * Whether `target` lies strictly below `root` after resolution. Compares path segments, not
 * string prefixes, so `/data/root-evil` is not inside `/data/root`.
 */
export function isInsideRoot(root: string, target: string): boolean {
  const relative = path.relative(path.resolve(root), path.resolve(target));
  return (
    relative !== '' &&
    relative !== '..' &&
    !relative.startsWith(`..${path.sep}`) &&
    !path.isAbsolute(relative)
  );
}
