import tls from 'node:tls';
import type { TlsOptions } from './types';

function tlsVersion(
  version: TlsOptions['minVersion'],
  fallback: tls.SecureVersion,
): tls.SecureVersion {
  if (version === '1.2') return 'TLSv1.2';
  if (version === '1.3') return 'TLSv1.3';
  return fallback;
}

/** The client certificate, as `tls.createSecureContext` takes it. */
function clientCertificateOptions(options: TlsOptions | undefined): tls.SecureContextOptions {
  const client = options?.clientCertificate;
  if (client?.kind === 'pem') {
    return {
      cert: client.cert,
      key: client.key,
      ...(client.passphrase ? { passphrase: client.passphrase } : {}),
    };
  }
  if (client?.kind === 'pfx') {
    return {
      pfx: client.pfx,
      ...(client.passphrase !== undefined ? { passphrase: client.passphrase } : {}),
    };
  }
  return {};
}

/**
 * The TLS secure contexts of one session (a site): built once and handed to every control and
 * data connection, and to every pooled connection to the same site.
 *
 * Building a context with a site's CA file parses Node's ~145 bundled roots plus that CA into a
 * new certificate store: about 25 ms of CPU. Done per data connection, that made a site with its
 * own CA eight times slower on many small files than one trusted by pin.
 *
 * Data connections get their own context (one per protocol version, built once): they stay pinned
 * to the control connection's protocol, which is a property of the context in Node, and they need
 * no CA store (a data connection is accepted because it resumed the control session, or refused
 * when its certificate differs from the control one), so that context costs well under 1 ms.
 */
export class SessionSecureContexts {
  private controlContext: tls.SecureContext | undefined;
  private readonly dataContexts = new Map<string, tls.SecureContext>();

  constructor(private readonly options: TlsOptions | undefined) {}

  get minVersion(): tls.SecureVersion {
    return tlsVersion(this.options?.minVersion, 'TLSv1.2');
  }

  get maxVersion(): tls.SecureVersion {
    return tlsVersion(this.options?.maxVersion, 'TLSv1.3');
  }

  /** Control connections: bundled roots plus the site's CA, client certificate, version range. */
  control(): tls.SecureContext {
    this.controlContext ??= tls.createSecureContext({
      minVersion: this.minVersion,
      maxVersion: this.maxVersion,
      ...(this.options?.ca ? { ca: [...tls.rootCertificates, this.options.ca.toString()] } : {}),
      ...clientCertificateOptions(this.options),
    });
    return this.controlContext;
  }

  /**
   * Data connections pinned to `protocol` (the control connection's), or the control range.
   * `group` is the key exchange group the control connection negotiated: offered first, so that
   * the data connection's TLS 1.3 key share is the one the server takes. Otherwise a server that
   * only accepts P-256 (vsftpd, pure-ftpd) answers Node's X25519 share with a HelloRetryRequest:
   * one more round trip for every file.
   */
  data(protocol: tls.SecureVersion | undefined, group?: string): tls.SecureContext {
    if (!protocol) return this.control();
    const key = `${protocol}|${group ?? ''}`;
    let context = this.dataContexts.get(key);
    if (!context) {
      const base = {
        minVersion: protocol,
        maxVersion: protocol,
        ...clientCertificateOptions(this.options),
      };
      context = group ? withGroupFirst(base, group) : tls.createSecureContext(base);
      this.dataContexts.set(key, context);
    }
    return context;
  }
}

/** The usual groups, `group` first; a name OpenSSL does not take falls back to its defaults. */
function withGroupFirst(base: tls.SecureContextOptions, group: string): tls.SecureContext {
  const groups = [...new Set([group, 'X25519', 'prime256v1', 'secp384r1'])].join(':');
  try {
    return tls.createSecureContext({ ...base, ecdhCurve: groups });
  } catch {
    return tls.createSecureContext(base);
  }
}
