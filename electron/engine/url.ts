import net from 'node:net';
import type { SecurityMode } from '../../shared/models';
import { defaultPort } from '../../shared/ports';
import { FerryError } from './errors';

export type FerryScheme = 'ftpes' | 'ftps' | 'ftp';

/** A parsed `ftpes://`, `ftps://` or `ftp://` URL. */
export interface FerryUrl {
  scheme: FerryScheme;
  /** ftpes: explicit TLS (AUTH TLS, required); ftps: implicit TLS; ftp: plain. */
  mode: Extract<SecurityMode, 'explicit' | 'implicit' | 'plain'>;
  /** Host name or IP address (IPv6 without brackets). */
  host: string;
  port: number;
  /** Percent-decoded; undefined when the URL names no user. */
  user?: string;
  /** Percent-decoded; undefined when the URL carries none (FERRY_PASSWORD may supply it). */
  password?: string;
  /**
   * The remote path, percent-decoded. As in curl and lftp it is relative to the folder the server
   * logs you in to; `ftpes://host/%2Fsrv/x` or `ftpes://host//srv/x` names the absolute `/srv/x`.
   * Empty for the login folder itself.
   */
  path: string;
  /** The URL as typed, minus any password: safe to print. */
  display: string;
}

const SCHEMES: Record<FerryScheme, { mode: FerryUrl['mode']; port: number }> = {
  ftpes: { mode: 'explicit', port: defaultPort('explicit') },
  ftps: { mode: 'implicit', port: defaultPort('implicit') },
  ftp: { mode: 'plain', port: defaultPort('plain') },
};

function usage(reason: string): FerryError {
  return new FerryError({ kind: 'usage', step: 'read URL', reason });
}

/** Errors whose message quotes nothing from the URL, so they are safe to print as they are. */
const quotesNothing = new WeakSet<FerryError>();

function unquoted(error: FerryError): FerryError {
  quotesNothing.add(error);
  return error;
}

function decode(part: string, what: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    if (what === 'password') {
      throw unquoted(usage('the password has an invalid percent escape (write "%" as %25)'));
    }
    throw usage(`the ${what} has an invalid percent escape: ${JSON.stringify(part)}`);
  }
}

/**
 * `text` with everything that could be a password replaced by `***`: from the first ":" of the
 * user part to the last "@" (a password may hold unescaped "/", ":" or "@"), with or without a
 * scheme, so the text of a malformed URL can be quoted in an error.
 */
export function maskUrlPassword(text: string): string {
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.exec(text)?.[0] ?? '';
  const rest = text.slice(scheme.length);
  const at = rest.lastIndexOf('@');
  if (at < 0) return text;
  const colon = rest.slice(0, at).indexOf(':');
  if (colon < 0) return text;
  return `${scheme}${rest.slice(0, colon)}:***${rest.slice(at)}`;
}

function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code <= 0x1f || code === 0x7f) return true;
  }
  return false;
}

const HOST_NAME = /^[A-Za-z0-9]([A-Za-z0-9_.-]*[A-Za-z0-9_])?\.?$/;

function parseHostPort(authority: string, defaultPort: number): { host: string; port: number } {
  let host: string;
  let portText: string | undefined;
  if (authority.startsWith('[')) {
    const close = authority.indexOf(']');
    if (close < 0) throw usage(`unclosed "[" in the host "${authority}"`);
    host = authority.slice(1, close);
    const rest = authority.slice(close + 1);
    if (rest !== '' && !rest.startsWith(':')) throw usage(`unexpected text after "[${host}]"`);
    portText = rest === '' ? undefined : rest.slice(1);
    if (!net.isIPv6(host)) throw usage(`"${host}" is not an IPv6 address`);
  } else {
    const colon = authority.lastIndexOf(':');
    host = colon < 0 ? authority : authority.slice(0, colon);
    portText = colon < 0 ? undefined : authority.slice(colon + 1);
    if (host === '') throw usage('the URL names no host');
    if (!net.isIPv4(host) && !HOST_NAME.test(host)) throw usage(`"${host}" is not a host name`);
  }
  if (portText === undefined || portText === '') return { host, port: defaultPort };
  if (!/^\d{1,5}$/.test(portText) || Number(portText) < 1 || Number(portText) > 65535) {
    throw usage(`"${portText}" is not a port number (1-65535)`);
  }
  return { host, port: Number(portText) };
}

/**
 * Parses `scheme://[user[:password]@]host[:port][/path]`. Everything after the host is the path
 * (no query or fragment: `?` and `#` are ordinary file-name characters on FTP servers). Throws a
 * `usage` FerryError for anything else.
 */
export function parseFerryUrl(text: string): FerryUrl {
  try {
    return parseUrl(text);
  } catch (error) {
    if (!(error instanceof FerryError) || quotesNothing.has(error)) throw error;
    // The message may quote part of the password (a "/" in it ends the host part early, so the
    // rest of it reads as a port): say what is wrong with the password masked.
    const masked = maskUrlPassword(text);
    if (masked === text) throw error;
    parseUrl(masked);
    throw usage(
      'the user name or password in the URL is malformed (not shown): write "/", "@", ":" and "%" in them as %2F, %40, %3A and %25',
    );
  }
}

function parseUrl(text: string): FerryUrl {
  const match = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/(.*)$/s.exec(text);
  if (!match) {
    throw usage(
      `"${text}" is not a URL; expected ftpes://host/path, ftps://host/path or ftp://host/path`,
    );
  }
  const scheme = (match[1] ?? '').toLowerCase();
  const rest = match[2] ?? '';
  if (scheme !== 'ftpes' && scheme !== 'ftps' && scheme !== 'ftp') {
    throw usage(
      `unsupported scheme "${scheme}://"; use ftpes:// (explicit TLS), ftps:// (implicit TLS) or ftp:// (plain)`,
    );
  }
  const { mode, port: defaultPort } = SCHEMES[scheme];
  const slash = rest.indexOf('/');
  const authority = slash < 0 ? rest : rest.slice(0, slash);
  const rawPath = slash < 0 ? '' : rest.slice(slash + 1);
  // The password may contain an unescaped "@": the host starts after the last one.
  const at = authority.lastIndexOf('@');
  const userInfo = at < 0 ? undefined : authority.slice(0, at);
  if (userInfo === undefined && authority.includes(':') && /^[^/]*@/.test(rawPath)) {
    // `ftpes://alice:4242/pw@host/`: a password with an unescaped "/" would be read as port 4242
    // of host "alice", and the rest of it printed as part of the path.
    throw unquoted(
      usage(
        'an "@" follows host:port: if it belongs to a password with a "/" in it, write the "/" as %2F; if it is part of the path, write the "@" as %40',
      ),
    );
  }
  const { host, port } = parseHostPort(authority.slice(at + 1), defaultPort);

  let user: string | undefined;
  let password: string | undefined;
  let displayUser = '';
  if (userInfo !== undefined) {
    const colon = userInfo.indexOf(':');
    const rawUser = colon < 0 ? userInfo : userInfo.slice(0, colon);
    user = decode(rawUser, 'user name');
    if (colon >= 0) password = decode(userInfo.slice(colon + 1), 'password');
    if (user === '') throw usage('the user name in the URL is empty');
    displayUser = `${rawUser}@`;
  }
  for (const [what, value] of [
    ['user name', user],
    ['password', password],
  ] as const) {
    if (value !== undefined && hasControlCharacter(value)) {
      throw unquoted(
        new FerryError({
          kind: 'unsafe-input',
          step: 'read URL',
          reason: `the ${what} contains a control character`,
        }),
      );
    }
  }
  const path = decode(rawPath, 'path');
  if (hasControlCharacter(path)) {
    throw new FerryError({
      kind: 'unsafe-input',
      step: 'read URL',
      reason: 'the path contains a control character',
    });
  }
  const hostText = net.isIPv6(host) ? `[${host}]` : host;
  const portText = port === defaultPort ? '' : `:${port}`;
  return {
    scheme,
    mode,
    host,
    port,
    ...(user !== undefined ? { user } : {}),
    ...(password !== undefined ? { password } : {}),
    path,
    display: `${scheme}://${displayUser}${hostText}${portText}/${rawPath}`,
  };
}
