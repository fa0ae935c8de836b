// Test certificates, made with the openssl CLI (Node can verify certificates but not issue them).
//
// Everything is RSA 2048 / SHA-256 so that OpenSSL's default security level 2 (Debian's
// openssl.cnf) accepts it on both ends, and so that vsftpd's `rsa_cert_file` and ProFTPD's
// `TLSRSACertificateFile` take the same files.
import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** One certificate with its key, as files and as PEM text. */
export interface CertFiles {
  certPath: string;
  keyPath: string;
  certPem: string;
  keyPem: string;
  /** SHA-256 fingerprint as `openssl x509 -noout -fingerprint -sha256` prints it after `=`
   * (upper-case hex pairs joined by `:`), which is also Node's `X509Certificate.fingerprint256`. */
  fingerprint256: string;
}

export interface ClientCertFiles extends CertFiles {
  /** The same certificate and key (plus the client CA) as PKCS#12. */
  p12Path: string;
  p12: Buffer;
  p12Passphrase: string;
}

export interface TestCerts {
  /** Temp folder holding every file below. */
  dir: string;
  /** Self-signed, CN=localhost, SANs DNS:localhost and IP:127.0.0.1. */
  selfSigned: CertFiles;
  /** The test CA (CN=Ferry Test CA) that signs `caSigned`, `expired` and `wrongHost`. */
  ca: CertFiles;
  /** Signed by `ca`, CN=localhost, SANs DNS:localhost and IP:127.0.0.1; valid for ~2 years. */
  caSigned: CertFiles;
  /** Signed by `ca`, same names as `caSigned`, valid only during January 2020. */
  expired: CertFiles;
  /** Signed by `ca`, valid, but its SANs (DNS:wrong-host.invalid) name neither localhost nor
   * 127.0.0.1. CN is also wrong-host.invalid, since Node ignores CN once SANs exist anyway. */
  wrongHost: CertFiles;
  /** CA for client certificates (CN=Ferry Test Client CA). */
  clientCa: CertFiles;
  /** Client certificate (CN=ferry-client, extendedKeyUsage clientAuth) signed by `clientCa`. */
  client: ClientCertFiles;
}

export const CLIENT_P12_PASSPHRASE = 'ferry-p12-pass';

async function openssl(args: string[], cwd: string): Promise<string> {
  try {
    const { stdout } = await execFileAsync('openssl', args, { cwd, maxBuffer: 1 << 20 });
    return stdout;
  } catch (err) {
    const e = err as Error & { stderr?: string };
    throw new Error(`openssl ${args.join(' ')} failed: ${e.stderr ?? e.message}`, { cause: err });
  }
}

/** Returns the SHA-256 fingerprint of a PEM certificate file in `AA:BB:…` form. */
export async function fingerprint256(certPath: string): Promise<string> {
  const out = await openssl(['x509', '-noout', '-fingerprint', '-sha256', '-in', certPath], '.');
  // OpenSSL 3 prints "sha256 Fingerprint=AA:…", 1.1 printed "SHA256 Fingerprint=AA:…".
  const value = out.trim().split('=')[1];
  if (value === undefined || !/^[0-9A-F]{2}(:[0-9A-F]{2}){31}$/.test(value)) {
    throw new Error(`unexpected openssl fingerprint output: ${out}`);
  }
  return value;
}

async function load(dir: string, name: string): Promise<CertFiles> {
  const certPath = join(dir, `${name}.crt`);
  const keyPath = join(dir, `${name}.key`);
  const [certPem, keyPem, fp] = await Promise.all([
    readFile(certPath, 'utf8'),
    readFile(keyPath, 'utf8'),
    fingerprint256(certPath),
  ]);
  return { certPath, keyPath, certPem, keyPem, fingerprint256: fp };
}

function randomSerial(): string {
  // Distinct serials keep clients that cache by issuer+serial from mixing certificates up.
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  bytes[0] = (bytes[0] ?? 0) & 0x7f; // positive
  return '0x' + Buffer.from(bytes).toString('hex');
}

async function makeCa(dir: string, name: string, cn: string): Promise<void> {
  await openssl(
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-sha256',
      '-days',
      '3650',
      '-subj',
      `/CN=${cn}`,
      '-set_serial',
      randomSerial(),
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
      '-addext',
      'subjectKeyIdentifier=hash',
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.crt`,
    ],
    dir,
  );
}

async function makeCsr(dir: string, name: string, cn: string): Promise<void> {
  await openssl(
    [
      'req',
      '-new',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-subj',
      `/CN=${cn}`,
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.csr`,
    ],
    dir,
  );
}

function leafExtensions(san: string | null, usage: 'serverAuth' | 'clientAuth'): string {
  return [
    '[leaf]',
    'basicConstraints = critical,CA:FALSE',
    'keyUsage = critical,digitalSignature,keyEncipherment',
    `extendedKeyUsage = ${usage}`,
    'subjectKeyIdentifier = hash',
    'authorityKeyIdentifier = keyid',
    ...(san === null ? [] : [`subjectAltName = ${san}`]),
    '',
  ].join('\n');
}

async function signLeaf(
  dir: string,
  name: string,
  caName: string,
  san: string | null,
  usage: 'serverAuth' | 'clientAuth',
): Promise<void> {
  await writeFile(join(dir, `${name}.ext`), leafExtensions(san, usage));
  await openssl(
    [
      'x509',
      '-req',
      '-sha256',
      '-days',
      '800',
      '-in',
      `${name}.csr`,
      '-CA',
      `${caName}.crt`,
      '-CAkey',
      `${caName}.key`,
      '-set_serial',
      randomSerial(),
      '-extfile',
      `${name}.ext`,
      '-extensions',
      'leaf',
      '-out',
      `${name}.crt`,
    ],
    dir,
  );
}

// `openssl x509 -req` cannot set dates in the past before OpenSSL 3.4 (-not_before/-not_after);
// `openssl ca` can, at the price of a throwaway CA database.
async function signExpired(dir: string, name: string, caName: string, san: string): Promise<void> {
  const conf = [
    '[ca]',
    'default_ca = ferry',
    '[ferry]',
    `database = ${name}.index`,
    'new_certs_dir = .',
    `serial = ${name}.serial`,
    'default_md = sha256',
    'policy = anything',
    'unique_subject = no',
    'x509_extensions = leaf',
    '[anything]',
    'commonName = supplied',
    leafExtensions(san, 'serverAuth'),
  ].join('\n');
  await Promise.all([
    writeFile(join(dir, `${name}.cnf`), conf),
    writeFile(join(dir, `${name}.index`), ''),
    writeFile(join(dir, `${name}.serial`), randomSerial().slice(2) + '\n'),
  ]);
  await openssl(
    [
      'ca',
      '-batch',
      '-notext',
      '-config',
      `${name}.cnf`,
      '-cert',
      `${caName}.crt`,
      '-keyfile',
      `${caName}.key`,
      '-in',
      `${name}.csr`,
      '-startdate',
      '20200101000000Z',
      '-enddate',
      '20200201000000Z',
      '-out',
      `${name}.crt`,
    ],
    dir,
  );
}

const LOCAL_SAN = 'DNS:localhost,IP:127.0.0.1';

/** Generates a fresh set of test certificates in a new temp folder (or `dir`); the caller
 * removes it (removeCerts). */
export async function generateCerts(dir?: string): Promise<TestCerts> {
  const root = dir ?? (await mkdtemp(join(tmpdir(), 'ferry-certs-')));
  const selfSigned = openssl(
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-sha256',
      '-days',
      '800',
      '-subj',
      '/CN=localhost',
      '-set_serial',
      randomSerial(),
      // OpenSSL's default v3_ca section would make it a CA; a server leaf says what it is.
      '-addext',
      'basicConstraints=critical,CA:FALSE',
      '-addext',
      'keyUsage=critical,digitalSignature,keyEncipherment',
      '-addext',
      'extendedKeyUsage=serverAuth',
      '-addext',
      `subjectAltName=${LOCAL_SAN}`,
      '-keyout',
      'self-signed.key',
      '-out',
      'self-signed.crt',
    ],
    root,
  );
  const serverSide = (async () => {
    await Promise.all([
      makeCa(root, 'ca', 'Ferry Test CA'),
      makeCsr(root, 'ca-signed', 'localhost'),
      makeCsr(root, 'expired', 'localhost'),
      makeCsr(root, 'wrong-host', 'wrong-host.invalid'),
    ]);
    await Promise.all([
      signLeaf(root, 'ca-signed', 'ca', LOCAL_SAN, 'serverAuth'),
      signLeaf(root, 'wrong-host', 'ca', 'DNS:wrong-host.invalid', 'serverAuth'),
      signExpired(root, 'expired', 'ca', LOCAL_SAN),
    ]);
  })();
  const clientSide = (async () => {
    await Promise.all([
      makeCa(root, 'client-ca', 'Ferry Test Client CA'),
      makeCsr(root, 'client', 'ferry-client'),
    ]);
    await signLeaf(root, 'client', 'client-ca', null, 'clientAuth');
    await openssl(
      [
        'pkcs12',
        '-export',
        '-in',
        'client.crt',
        '-inkey',
        'client.key',
        '-certfile',
        'client-ca.crt',
        '-name',
        'ferry-client',
        '-passout',
        `pass:${CLIENT_P12_PASSPHRASE}`,
        '-out',
        'client.p12',
      ],
      root,
    );
  })();
  await Promise.all([selfSigned, serverSide, clientSide]);

  const [ss, ca, caSigned, expired, wrongHost, clientCa, client, p12] = await Promise.all([
    load(root, 'self-signed'),
    load(root, 'ca'),
    load(root, 'ca-signed'),
    load(root, 'expired'),
    load(root, 'wrong-host'),
    load(root, 'client-ca'),
    load(root, 'client'),
    readFile(join(root, 'client.p12')),
  ]);
  const certs: TestCerts = {
    dir: root,
    selfSigned: ss,
    ca,
    caSigned,
    expired,
    wrongHost,
    clientCa,
    client: {
      ...client,
      p12Path: join(root, 'client.p12'),
      p12,
      p12Passphrase: CLIENT_P12_PASSPHRASE,
    },
  };
  await writeManifest(certs);
  return certs;
}

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Where getSharedCerts keeps its set (git-ignored). Bump the version when the set changes. */
const SHARED_DIR = join(REPO_ROOT, '.cache', 'test-certs', 'v1');
const MANIFEST = 'manifest.json';

type Manifest = Record<Exclude<keyof TestCerts, 'dir'>, string>;
const NAMES: Record<Exclude<keyof TestCerts, 'dir'>, string> = {
  selfSigned: 'self-signed',
  ca: 'ca',
  caSigned: 'ca-signed',
  expired: 'expired',
  wrongHost: 'wrong-host',
  clientCa: 'client-ca',
  client: 'client',
};

async function writeManifest(certs: TestCerts): Promise<void> {
  const manifest: Manifest = {
    selfSigned: certs.selfSigned.fingerprint256,
    ca: certs.ca.fingerprint256,
    caSigned: certs.caSigned.fingerprint256,
    expired: certs.expired.fingerprint256,
    wrongHost: certs.wrongHost.fingerprint256,
    clientCa: certs.clientCa.fingerprint256,
    client: certs.client.fingerprint256,
  };
  await writeFile(join(certs.dir, MANIFEST), JSON.stringify(manifest, null, 2) + '\n');
}

/** Loads a set written by generateCerts (fingerprints come from its manifest, no openssl). */
async function loadSet(dir: string): Promise<TestCerts> {
  const manifest = JSON.parse(await readFile(join(dir, MANIFEST), 'utf8')) as Manifest;
  const one = async (key: keyof Manifest): Promise<CertFiles> => {
    const certPath = join(dir, `${NAMES[key]}.crt`);
    const keyPath = join(dir, `${NAMES[key]}.key`);
    const [certPem, keyPem] = await Promise.all([
      readFile(certPath, 'utf8'),
      readFile(keyPath, 'utf8'),
    ]);
    return { certPath, keyPath, certPem, keyPem, fingerprint256: manifest[key] };
  };
  const [selfSigned, ca, caSigned, expired, wrongHost, clientCa, client, p12] = await Promise.all([
    one('selfSigned'),
    one('ca'),
    one('caSigned'),
    one('expired'),
    one('wrongHost'),
    one('clientCa'),
    one('client'),
    readFile(join(dir, 'client.p12')),
  ]);
  return {
    dir,
    selfSigned,
    ca,
    caSigned,
    expired,
    wrongHost,
    clientCa,
    client: {
      ...client,
      p12Path: join(dir, 'client.p12'),
      p12,
      p12Passphrase: CLIENT_P12_PASSPHRASE,
    },
  };
}

function fresh(certs: TestCerts): boolean {
  const soon = Date.now() + 7 * 24 * 3600 * 1000;
  return [certs.selfSigned, certs.ca, certs.caSigned, certs.wrongHost, certs.client].every(
    (c) => new Date(new X509Certificate(c.certPem).validTo).getTime() > soon,
  );
}

async function loadOrCreateShared(): Promise<TestCerts> {
  const existing = await loadSet(SHARED_DIR).catch(() => undefined);
  if (existing !== undefined && fresh(existing)) return existing;
  const parent = dirname(SHARED_DIR);
  await mkdir(parent, { recursive: true });
  if (existing !== undefined) {
    // Close to expiry: move it aside (a concurrent reader keeps its open files).
    await rename(SHARED_DIR, join(parent, `old-${process.pid}-${Date.now()}`)).catch(
      () => undefined,
    );
  }
  // Generate beside the final folder and rename it into place, so a concurrent worker never
  // sees half a set; the loser of a race uses the winner's set.
  const tmp = await mkdtemp(join(parent, 'tmp-'));
  await generateCerts(tmp);
  try {
    await rename(tmp, SHARED_DIR);
  } catch {
    await rm(tmp, { recursive: true, force: true });
  }
  for (const name of await readdir(parent)) {
    if (name.startsWith('old-')) await rm(join(parent, name), { recursive: true, force: true });
  }
  return loadSet(SHARED_DIR);
}

let shared: Promise<TestCerts> | undefined;

/**
 * The set of certificates every test shares, generated once into .cache/test-certs (reused
 * across processes and runs, regenerated a week before anything in it expires). Treat it as
 * read-only; use generateCerts for a private set. Servers copy the files they serve.
 */
export function getSharedCerts(): Promise<TestCerts> {
  shared ??= loadOrCreateShared().catch((err: unknown) => {
    shared = undefined;
    throw err;
  });
  return shared;
}

/** Removes a set made by `generateCerts`. */
export async function removeCerts(certs: TestCerts): Promise<void> {
  await rm(certs.dir, { recursive: true, force: true });
}
