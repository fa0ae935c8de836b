import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The SHA-256 fingerprint exactly as `openssl x509 -fingerprint -sha256` prints it. */
export async function opensslFingerprint256(certPath: string): Promise<string> {
  const { stdout } = await run('openssl', [
    'x509',
    '-noout',
    '-fingerprint',
    '-sha256',
    '-in',
    certPath,
  ]);
  const match = /Fingerprint=([0-9A-F:]+)/i.exec(stdout);
  if (!match?.[1]) throw new Error(`Unexpected openssl output: ${stdout}`);
  return match[1].toUpperCase();
}

export async function sha256File(path: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(path))
    .digest('hex');
}
