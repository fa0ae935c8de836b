import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getSharedCerts, type TestCerts } from '../../test/servers/certs';
import { FerryError } from '../engine/errors';
import { loadTlsMaterial, type TlsMaterialRequest } from './tls-material';

let certs: TestCerts;
let dir: string;
const labels = { ca: '--ca', cert: '--client-cert', key: '--client-key', pfx: '--pfx' };
const step = 'load the TLS files';

beforeAll(async () => {
  certs = await getSharedCerts();
  dir = await mkdtemp(join(tmpdir(), 'ferry-tls-material-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function failure(request: Omit<TlsMaterialRequest, 'labels' | 'step'>): Promise<FerryError> {
  const error: unknown = await loadTlsMaterial({ ...request, labels, step }).catch(
    (e: unknown) => e,
  );
  if (!(error instanceof FerryError))
    throw new Error(`expected a FerryError, got ${String(error)}`);
  return error;
}

describe('loadTlsMaterial', () => {
  it('reads a CA bundle, a PEM pair and a PKCS#12 file, relative paths from cwd', async () => {
    const material = await loadTlsMaterial({
      caFile: certs.ca.certPath,
      clientCertificate: {
        kind: 'pem',
        certFile: certs.client.certPath,
        keyFile: certs.client.keyPath,
      },
      labels,
      step,
    });
    expect(material.ca?.toString()).toBe(certs.ca.certPem);
    expect(material.clientCertificate).toMatchObject({ kind: 'pem' });
    await writeFile(join(dir, 'client.p12'), certs.client.p12);
    const pfx = await loadTlsMaterial({
      clientCertificate: {
        kind: 'pfx',
        pfxFile: 'client.p12',
        passphrase: certs.client.p12Passphrase,
      },
      labels,
      step,
      cwd: dir,
    });
    expect(pfx.clientCertificate).toMatchObject({
      kind: 'pfx',
      passphrase: certs.client.p12Passphrase,
    });
  });

  it('names the file and the problem: missing, no certificate, key mismatch, wrong passphrase', async () => {
    const missing = await failure({ caFile: join(dir, 'nope.pem') });
    expect(missing.detail).toMatchObject({
      kind: 'not-found',
      path: join(dir, 'nope.pem'),
      reason: 'the --ca file does not exist',
    });
    await writeFile(join(dir, 'empty.pem'), 'not a certificate\n');
    // A BEGIN line is not enough: the services' old check let this through.
    await writeFile(
      join(dir, 'fake.pem'),
      '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
    );
    for (const name of ['empty.pem', 'fake.pem']) {
      expect((await failure({ caFile: join(dir, name) })).detail).toMatchObject({
        kind: 'local-fs',
        code: 'EINVAL',
        path: join(dir, name),
        reason: 'the --ca file holds no PEM certificate',
      });
    }
    const mismatch = await failure({
      clientCertificate: {
        kind: 'pem',
        certFile: certs.client.certPath,
        keyFile: certs.ca.keyPath,
      },
    });
    expect(mismatch.detail).toMatchObject({
      kind: 'local-fs',
      code: 'EINVAL',
      path: certs.client.certPath,
    });
    expect(mismatch.message).toMatch(/--client-cert and --client-key cannot be used/);
    const wrong = await failure({
      clientCertificate: { kind: 'pfx', pfxFile: join(dir, 'client.p12'), passphrase: 'wrong' },
    });
    expect(wrong.detail).toMatchObject({
      kind: 'local-fs',
      code: 'EINVAL',
      path: join(dir, 'client.p12'),
    });
    expect(wrong.message).toMatch(/--pfx cannot be used/);
    const folder = await failure({ caFile: dir });
    expect(folder.detail).toMatchObject({ kind: 'local-fs', code: 'EISDIR', path: dir });
  });
});
