/**
 * Launch URLs: Ferry opened with `ftps://…`, `ftpes://…` (the URL schemes it registers with the OS)
 * or `ftp://…` on its command line pre-fills the connect bar. Pure: no Electron, no I/O.
 *
 * A prefill never carries a password, even when the URL has one: the connect bar asks for it, and
 * nothing sends credentials before the server's certificate is trusted.
 */
import { parseFerryUrl, type FerryUrl } from '../engine/url';

/** What the connect bar is filled with. */
export interface ConnectPrefill {
  host: string;
  port: number;
  mode: FerryUrl['mode'];
  /** Empty when the URL names no user. */
  user: string;
  /**
   * The remote folder, percent-decoded, as the CLI reads it: relative to the login folder,
   * absolute when it starts with `/` (`ftpes://host//srv` or `ftpes://host/%2Fsrv`); empty for the
   * login folder itself.
   */
  path: string;
}

/** The schemes Ferry registers as the OS handler for (plain ftp:// stays with whoever has it). */
export const LAUNCH_URL_SCHEMES = ['ftps', 'ftpes'] as const;

/** Longer arguments are not URLs anyone typed or clicked; they are not parsed at all. */
const MAX_URL_LENGTH = 2048;
const SCHEME = /^(ftps|ftpes|ftp):\/\//i;

/** The prefill for one argument, or undefined when it is not a usable ftp(e)s URL. */
export function parseLaunchUrl(text: string): ConnectPrefill | undefined {
  if (text.length > MAX_URL_LENGTH || !SCHEME.test(text)) return undefined;
  let url: FerryUrl;
  try {
    url = parseFerryUrl(text);
  } catch {
    return undefined;
  }
  return { host: url.host, port: url.port, mode: url.mode, user: url.user ?? '', path: url.path };
}

/**
 * The prefill for a process's command line: the last argument that is an `ftps://`, `ftpes://`
 * or `ftp://` URL. Everything else (the executable, the app path in development, Chromium's
 * switches, `--` and stray words) is ignored, as are URLs that do not parse.
 */
export function findLaunchUrl(argv: readonly string[]): ConnectPrefill | undefined {
  for (let i = argv.length - 1; i >= 0; i--) {
    const arg = argv[i];
    if (typeof arg !== 'string') continue;
    const prefill = parseLaunchUrl(arg);
    if (prefill) return prefill;
  }
  return undefined;
}
