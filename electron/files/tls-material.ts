/**
 * The one loader of TLS files (trusted CA, client certificate and key, PKCS#12) for the CLI's
 * flags and a saved site. Every failure is a typed error naming the file and the problem:
 * a missing file is `not-found`, an unreadable one `local-fs` with its errno code, and content
 * that cannot be used (a CA file without a PEM certificate, a key that does not match, a wrong
 * passphrase) `local-fs` with code EINVAL, found here rather than as a handshake failure.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import tls from 'node:tls';
import { parsePemBundle } from '../engine/certificate';
import { FerryError } from '../engine/errors';
import type { ClientCertificate } from '../engine/types';

export type TlsFileSpec =
  | { kind: 'pem'; certFile: string; keyFile: string; passphrase?: string }
  | { kind: 'pfx'; pfxFile: string; passphrase?: string };

/** How the caller names each file in messages (`--ca`, or `trusted CA`). */
export interface TlsFileLabels {
  ca: string;
  cert: string;
  key: string;
  pfx: string;
}

export interface TlsMaterialRequest {
  caFile?: string;
  clientCertificate?: TlsFileSpec;
  labels: TlsFileLabels;
  /** The step errors report. */
  step: string;
  /** Relative paths resolve from here (the CLI's working folder). */
  cwd?: string;
}

/** TLS material read from the files a request names. */
export interface TlsMaterial {
  ca?: Buffer;
  clientCertificate?: ClientCertificate;
}

function unusable(step: string, path: string, reason: string): FerryError {
  return new FerryError({ kind: 'local-fs', step, path, code: 'EINVAL', reason });
}

async function readTlsFile(path: string, what: string, step: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'EIO';
    if (code === 'ENOENT') {
      const detail = {
        step,
        side: 'local' as const,
        path,
        reason: `the ${what} file does not exist`,
      };
      throw new FerryError({ kind: 'not-found', ...detail }, { cause: error });
    }
    const reason =
      code === 'EACCES' || code === 'EPERM'
        ? `the ${what} file cannot be read (permission denied)`
        : code === 'EISDIR'
          ? `the ${what} path is a folder, not a file`
          : `the ${what} file cannot be read (${code})`;
    throw new FerryError({ kind: 'local-fs', step, path, code, reason }, { cause: error });
  }
}

/** Reads and checks the files a request names. */
export async function loadTlsMaterial(request: TlsMaterialRequest): Promise<TlsMaterial> {
  const { labels, step } = request;
  const at = (path: string): string => (request.cwd ? resolve(request.cwd, path) : path);
  const material: TlsMaterial = {};
  if (request.caFile !== undefined) {
    const path = at(request.caFile);
    const ca = await readTlsFile(path, labels.ca, step);
    let count: number;
    try {
      count = parsePemBundle(ca).length;
    } catch {
      count = 0;
    }
    if (count === 0) throw unusable(step, path, `the ${labels.ca} file holds no PEM certificate`);
    material.ca = ca;
  }
  const spec = request.clientCertificate;
  if (spec?.kind === 'pem') {
    const passphrase = spec.passphrase !== undefined ? { passphrase: spec.passphrase } : {};
    material.clientCertificate = {
      kind: 'pem',
      cert: await readTlsFile(at(spec.certFile), labels.cert, step),
      key: await readTlsFile(at(spec.keyFile), labels.key, step),
      ...passphrase,
    };
  } else if (spec?.kind === 'pfx') {
    const passphrase = spec.passphrase !== undefined ? { passphrase: spec.passphrase } : {};
    const pfx = await readTlsFile(at(spec.pfxFile), labels.pfx, step);
    material.clientCertificate = { kind: 'pfx', pfx, ...passphrase };
  }
  if (spec && material.clientCertificate) {
    const path = at(spec.kind === 'pem' ? spec.certFile : spec.pfxFile);
    const what = spec.kind === 'pem' ? `${labels.cert} and ${labels.key}` : labels.pfx;
    checkClientCertificate(material.clientCertificate, step, path, what);
  }
  return material;
}

/**
 * Loads the client certificate into a TLS context once, so a wrong passphrase or a key that does
 * not match fails here, naming the file, instead of as a handshake failure.
 */
function checkClientCertificate(
  client: ClientCertificate,
  step: string,
  path: string,
  what: string,
): void {
  const passphrase = client.passphrase !== undefined ? { passphrase: client.passphrase } : {};
  try {
    tls.createSecureContext(
      client.kind === 'pem'
        ? { cert: client.cert, key: client.key, ...passphrase }
        : { pfx: client.pfx, ...passphrase },
    );
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw unusable(step, path, `the ${what} cannot be used: ${reason}`);
  }
}
