/**
 * Serves the renderer from `app://ferry/` instead of file://, so that (1) the Content Security
 * Policy is a real response header, not only a meta tag a document could lose, and (2) the
 * `GrantFileProtocolExtraPrivileges` fuse can be off: no page of Ferry's needs file:// at all.
 * Plain Node (fs, fetch's Response): no Electron import, so it is tested under Node.
 */
import { readFile, realpath } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';

export const APP_SCHEME = 'app';
export const APP_HOST = 'ferry';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_INDEX_URL = `${APP_ORIGIN}/index.html`;

/** The renderer's Content Security Policy: sent as a header with every document Ferry serves. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * For `protocol.registerSchemesAsPrivileged` (before the app is ready): a standard, secure
 * scheme so relative URLs, module scripts and the CSP's 'self' work as on https.
 */
export const APP_SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true },
} as const;

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

const SECURITY_HEADERS = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Referrer-Policy': 'no-referrer',
};

function refuse(status: number, text: string): Response {
  return new Response(text, {
    status,
    headers: { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' },
  });
}

/**
 * The `protocol.handle('app', …)` handler: files under `rendererDir` only (no `..`, no symlink
 * out of it), GET only, every response with the CSP and nosniff headers.
 */
export function createAppProtocolHandler(
  rendererDir: string,
): (request: Request) => Promise<Response> {
  const root = normalize(rendererDir);
  return async (request) => {
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return refuse(400, 'bad request');
    }
    if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return refuse(404, 'not found');
    if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(405, 'read only');
    let pathname: string;
    try {
      pathname = decodeURIComponent(url.pathname);
    } catch {
      return refuse(400, 'bad path');
    }
    if (pathname.includes('\0')) return refuse(400, 'bad path');
    const file = normalize(join(root, pathname === '/' ? '/index.html' : pathname));
    if (!file.startsWith(root + sep)) return refuse(403, 'forbidden');
    // A symlink may not lead out of the folder. Inside app.asar (read through Electron's fs
    // patches) realpath may be unavailable; the archive holds only what the build put there.
    const real = await realpath(file).catch(() => undefined);
    const realRoot = await realpath(root).catch(() => undefined);
    if (real && realRoot && !real.startsWith(realRoot + sep)) return refuse(403, 'forbidden');
    try {
      const body = await readFile(real ?? file);
      return new Response(request.method === 'HEAD' ? null : body, {
        status: 200,
        headers: {
          ...SECURITY_HEADERS,
          'Content-Type': MIME[extname(file).toLowerCase()] ?? 'application/octet-stream',
          'Cache-Control': 'no-store',
        },
      });
    } catch {
      return refuse(404, 'not found');
    }
  };
}
