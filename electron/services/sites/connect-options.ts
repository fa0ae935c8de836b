/**
 * From a saved site to the engine's ConnectOptions: secrets from the secret store (or asked for),
 * client certificate and CA files read from disk with errors that name the file and the field.
 */
import { stat } from 'node:fs/promises';
import {
  secretKey,
  type ConnectSecrets,
  type CredentialPrompt,
  type FieldError,
  type SecretField,
  type Site,
} from '../../../shared/sites';
import type { ConnectOptions } from '../../engine/types';
import { loadTlsMaterial } from '../../files/tls-material';
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
  const cert = site.clientCertificate;
  const passphrase =
    secrets.clientCertPassphrase !== undefined ? { passphrase: secrets.clientCertPassphrase } : {};
  const material = await loadTlsMaterial({
    ...(site.caFile ? { caFile: site.caFile } : {}),
    ...(cert
      ? {
          clientCertificate:
            cert.kind === 'pem'
              ? {
                  kind: 'pem' as const,
                  certFile: cert.certFile,
                  keyFile: cert.keyFile,
                  ...passphrase,
                }
              : { kind: 'pfx' as const, pfxFile: cert.pfxFile, ...passphrase },
        }
      : {}),
    labels: { ca: 'trusted CA', cert: 'client certificate', key: 'client key', pfx: 'PKCS#12' },
    step,
  });
  Object.assign(tls, material);
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
