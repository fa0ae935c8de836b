/**
 * From a saved site to the engine's ConnectOptions: secrets from the secret store (or asked for),
 * client certificate and CA files read from disk with errors that name the file and the field.
 */
import { readFile, stat } from 'node:fs/promises';
import {
  secretKey,
  type ConnectSecrets,
  type CredentialPrompt,
  type FieldError,
  type SecretField,
  type Site,
} from '../../../shared/sites';
import { FerryError } from '../../engine/errors';
import type { ClientCertificate, ConnectOptions } from '../../engine/types';
import type { SecretStore } from '../secrets/secret-store';
import { storedPassword } from './bound-password';

export type { ConnectSecrets, CredentialPrompt, SecretField } from '../../../shared/sites';

export type ResolvedSecrets =
  { ok: true; secrets: ConnectSecrets } | { ok: false; prompt: CredentialPrompt };

/**
 * Collects the secrets a site needs: typed ones (`provided`) win, then the secret store. When
 * something is still missing, returns the prompt to show (with the reason, e.g. no keychain).
 */
export async function resolveSecrets(
  site: Site,
  store: SecretStore,
  provided: ConnectSecrets = {},
): Promise<ResolvedSecrets> {
  const secrets: ConnectSecrets = {};
  const missing: SecretField[] = [];
  const reasons: string[] = [];

  if (site.logonType === 'normal' || site.logonType === 'ask') {
    const password =
      provided.password ??
      (site.logonType === 'normal' ? await storedPassword(site, store) : undefined);
    if (password !== undefined) secrets.password = password;
    else {
      missing.push('password');
      if (site.logonType === 'ask') reasons.push('This site asks for the password each time.');
      else if (!store.available())
        reasons.push(
          `The password cannot be saved: ${store.unavailableReason() ?? 'no keychain'}.`,
        );
      else if (site.hasPassword)
        reasons.push('The saved password could not be read (the keychain may have changed).');
      else reasons.push('No password is saved for this site.');
    }
  }

  if (site.clientCertificate?.hasPassphrase) {
    const passphrase =
      provided.clientCertPassphrase ??
      (await store.get(secretKey(site.id, 'client-cert-passphrase')));
    if (passphrase !== undefined) secrets.clientCertPassphrase = passphrase;
    else {
      missing.push('clientCertPassphrase');
      reasons.push(
        store.available()
          ? 'No passphrase is saved for the client certificate.'
          : `The client-certificate passphrase cannot be saved: ${store.unavailableReason() ?? 'no keychain'}.`,
      );
    }
  }

  if (missing.length > 0) {
    return { ok: false, prompt: { siteId: site.id, fields: missing, reason: reasons.join(' ') } };
  }
  return { ok: true, secrets };
}

async function readSiteFile(path: string, what: string, step: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'EIO';
    const reason =
      code === 'ENOENT'
        ? `the ${what} file does not exist`
        : code === 'EACCES' || code === 'EPERM'
          ? `the ${what} file cannot be read (permission denied)`
          : code === 'EISDIR'
            ? `the ${what} path is a folder, not a file`
            : `the ${what} file cannot be read (${code})`;
    throw new FerryError({ kind: 'local-fs', step, path, code, reason }, { cause: error });
  }
}

/** Builds the engine's options for a site. Pin store, trust prompt and logging come from the caller. */
export async function toConnectOptions(
  site: Site,
  secrets: ConnectSecrets,
  extra: Partial<ConnectOptions> = {},
): Promise<ConnectOptions> {
  const step = `Connect to ${site.name}`;
  const tls: NonNullable<ConnectOptions['tls']> = {
    minVersion: site.tlsMin,
    maxVersion: site.tlsMax,
  };
  if (site.caFile) {
    const ca = await readSiteFile(site.caFile, 'trusted CA', step);
    if (!ca.toString('latin1').includes('-----BEGIN CERTIFICATE-----')) {
      throw new FerryError({
        kind: 'local-fs',
        step,
        path: site.caFile,
        code: 'EINVAL',
        reason: 'the trusted CA file is not a PEM certificate file (no BEGIN CERTIFICATE line)',
      });
    }
    tls.ca = ca;
  }
  const cert = site.clientCertificate;
  if (cert) {
    const passphrase = secrets.clientCertPassphrase;
    let clientCertificate: ClientCertificate;
    if (cert.kind === 'pem') {
      clientCertificate = {
        kind: 'pem',
        cert: await readSiteFile(cert.certFile, 'client certificate', step),
        key: await readSiteFile(cert.keyFile, 'client key', step),
        ...(passphrase !== undefined ? { passphrase } : {}),
      };
    } else {
      clientCertificate = {
        kind: 'pfx',
        pfx: await readSiteFile(cert.pfxFile, 'PKCS#12', step),
        ...(passphrase !== undefined ? { passphrase } : {}),
      };
    }
    tls.clientCertificate = clientCertificate;
  }
  const anonymous = site.logonType === 'anonymous';
  return {
    ...extra,
    host: site.host,
    port: site.port,
    mode: site.mode,
    user: anonymous ? 'anonymous' : site.user,
    password: anonymous ? 'anonymous@' : (secrets.password ?? ''),
    ...(site.mode === 'plain' ? {} : { tls: { ...extra.tls, ...tls } }),
    dataProtection: site.dataProtection,
    ccc: site.ccc,
    listCommand: site.listCommand,
    ...(site.transferMode === 'active' ? { active: extra.active ?? {} } : {}),
  };
}

/** Field errors for files that do not exist or are not files (the dialog's "files that exist"). */
export async function checkSiteFiles(
  site: Pick<Site, 'clientCertificate' | 'caFile'>,
): Promise<FieldError[]> {
  const errors: FieldError[] = [];
  const check = async (path: string, field: FieldError['field'], what: string): Promise<void> => {
    try {
      const info = await stat(path);
      if (!info.isFile())
        errors.push({ field, message: `The ${what} path is not a file: ${path}` });
    } catch {
      errors.push({ field, message: `The ${what} file does not exist: ${path}` });
    }
  };
  const cert = site.clientCertificate;
  if (cert?.kind === 'pem') {
    await check(cert.certFile, 'clientCertificate.certFile', 'client certificate');
    await check(cert.keyFile, 'clientCertificate.keyFile', 'client key');
  } else if (cert?.kind === 'pfx') {
    await check(cert.pfxFile, 'clientCertificate.pfxFile', 'PKCS#12');
  }
  if (site.caFile) await check(site.caFile, 'caFile', 'trusted CA');
  return errors;
}
