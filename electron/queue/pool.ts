import type { CertificateReport, TrustDecision } from '../../shared/models';
import type { FtpsClient } from '../engine/client';
import { FerryError, toErrorDetail } from '../engine/errors';
import { SessionSecureContexts } from '../engine/secure-context';
import { isTooManyConnections } from './backoff';
import { AUTO_CONNECTIONS, type ConnectionLimit } from '../../shared/settings-limits';
import type { CertificateChange, Connector, SiteConfig } from './types';

export const DEFAULT_CONNECTIONS = 4;
export const MAX_CONNECTIONS = 10;

/** The server refused another connection (421) while others are open: wait for a free one. */
export class PoolShrunk extends Error {
  constructor(readonly limit: number) {
    super(`server allows ${limit} connection(s)`);
    this.name = 'PoolShrunk';
  }
}

function contextsFor(site: SiteConfig): SessionSecureContexts {
  return site.connect.secureContexts ?? new SessionSecureContexts(site.connect.tls);
}

export function clampConnections(n: ConnectionLimit | undefined): number {
  if (n === 'auto') return AUTO_CONNECTIONS;
  if (n === undefined || !Number.isFinite(n)) return DEFAULT_CONNECTIONS;
  return Math.min(MAX_CONNECTIONS, Math.max(1, Math.floor(n)));
}

/**
 * Logged-in control connections for one site. Each is an independent FtpsClient with its own TLS
 * ticket store (the engine never shares one: ProFTPD binds TLS 1.3 tickets to the FTP session).
 *
 * Slots (`lease`) are handed out by the scheduler; a slot then `acquire`s a client (an idle one,
 * or a new connection). A 421 on connect shrinks the pool to what the server accepted, and the
 * owner keeps that number for the site's later pools. The first certificate seen is remembered:
 * a different one later blocks the site until answered.
 */
export class SitePool {
  /** The site's own limit (its setting); the server's may be lower. */
  private limit: number;
  private effectiveLimit: number;
  private leases = 0;
  private openCount = 0;
  private serial = 0;
  private readonly idle: FtpsClient[] = [];
  private fingerprint: string | undefined;
  private blockedBy: CertificateChange | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private closing = false;
  /** One set of TLS contexts for every connection to this site (secure-context.ts). */
  private secureContexts: SessionSecureContexts;

  constructor(
    private site: SiteConfig,
    private readonly connector: Connector,
    private readonly hooks: {
      onCertificateChange: (change: CertificateChange) => void;
      onLog: (level: 'info' | 'warning', text: string) => void;
      /** The server refused a connection with this many open: later pools start there. */
      onServerLimit?: (limit: number) => void;
    },
    /** Connections the server accepted before refusing one, learned by an earlier pool. */
    private serverLimit = Infinity,
    private readonly idleCloseMs = 30_000,
  ) {
    this.limit = clampConnections(site.maxConnections);
    this.effectiveLimit = Math.min(this.limit, serverLimit);
    this.fingerprint = site.trustedFingerprint256;
    this.secureContexts = contextsFor(site);
  }

  get key(): string {
    return this.site.key;
  }

  get maxActive(): number {
    return this.effectiveLimit;
  }

  get open(): number {
    return this.openCount;
  }

  get blocked(): CertificateChange | undefined {
    return this.blockedBy;
  }

  /**
   * Replaces connection settings (the owner re-registered the site). A new limit applies to the
   * next lease; connections over it close as their transfers end.
   */
  update(site: SiteConfig): void {
    this.limit = clampConnections(site.maxConnections);
    this.effectiveLimit = Math.min(this.limit, this.serverLimit);
    if (
      site.connect.tls !== this.site.connect.tls ||
      site.connect.secureContexts !== this.site.connect.secureContexts
    )
      this.secureContexts = contextsFor(site);
    this.site = site;
    if (site.trustedFingerprint256 && !this.blockedBy)
      this.fingerprint = site.trustedFingerprint256;
  }

  canLease(): boolean {
    return !this.blockedBy && this.leases < this.effectiveLimit;
  }

  lease(): void {
    this.leases++;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }

  endLease(): void {
    this.leases--;
    if (this.leases === 0 && this.idle.length > 0 && this.idleCloseMs > 0) {
      this.idleTimer = setTimeout(() => void this.closeIdle(), this.idleCloseMs);
      this.idleTimer.unref();
    }
  }

  async acquire(): Promise<FtpsClient> {
    while (this.idle.length > 0) {
      const client = this.idle.pop();
      if (client && !client.closed) return client;
      if (client) this.openCount--;
    }
    return this.connect();
  }

  /** Returns a client: kept for the next item when healthy, closed otherwise. */
  release(client: FtpsClient, reusable: boolean): void {
    const overLimit = this.openCount > this.effectiveLimit;
    if (reusable && !overLimit && !client.closed && !this.blockedBy && !this.closing) {
      this.idle.push(client);
      return;
    }
    this.openCount--;
    void client.close().catch(() => undefined);
  }

  /** The user accepted the new certificate: it becomes the site's, and the site runs again. */
  acceptCertificate(fingerprint256: string): void {
    this.fingerprint = fingerprint256;
    this.blockedBy = undefined;
  }

  rejectCertificate(): void {
    this.blockedBy = undefined;
  }

  private async connect(): Promise<FtpsClient> {
    const connectionId = `${this.site.key}#${++this.serial}`;
    const base = this.site.connect;
    const decideTrust = async (report: CertificateReport): Promise<TrustDecision> => {
      const fp = report.chain[0]?.fingerprint256;
      // Every pool connection presents the certificate the user already accepted: no new dialog.
      if (fp && this.fingerprint === fp) return 'once';
      if (fp && this.fingerprint !== undefined) {
        this.block(fp, report);
        return 'reject';
      }
      return base.decideTrust ? base.decideTrust(report) : 'reject';
    };
    let client: FtpsClient;
    this.openCount++;
    try {
      client = await this.connector({
        ...base,
        connectionId,
        decideTrust,
        secureContexts: this.secureContexts,
      });
    } catch (error) {
      this.openCount--;
      const detail = toErrorDetail(error, 'connect');
      if (isTooManyConnections(detail) && this.openCount > 0) {
        this.serverLimit = Math.max(1, this.openCount);
        this.effectiveLimit = Math.min(this.limit, this.serverLimit);
        this.hooks.onServerLimit?.(this.serverLimit);
        this.hooks.onLog(
          'warning',
          `${this.site.key}: server refused another connection (${detail.kind === 'ftp-reply' ? detail.text : '421'}); using ${this.effectiveLimit}`,
        );
        throw new PoolShrunk(this.effectiveLimit);
      }
      throw error;
    }
    const fp = client.report?.chain[0]?.fingerprint256;
    if (fp) {
      if (this.fingerprint === undefined) this.fingerprint = fp;
      else if (fp !== this.fingerprint) {
        // Trusted by a CA but not the one this site used a moment ago: stop and ask anyway.
        this.openCount--;
        void client.close().catch(() => undefined);
        this.block(fp, client.report);
        throw new FerryError({
          kind: 'tls-untrusted',
          step: 'connect',
          reasons: ['certificate changed since the previous connection'],
          fingerprint256: fp,
        });
      }
    }
    client.onClose(() => {
      const index = this.idle.indexOf(client);
      if (index >= 0) {
        this.idle.splice(index, 1);
        this.openCount--;
      }
    });
    return client;
  }

  private block(fingerprint256: string, report: CertificateReport | undefined): void {
    if (this.blockedBy) return;
    const change: CertificateChange = {
      siteKey: this.site.key,
      previousFingerprint256: this.fingerprint ?? '',
      fingerprint256,
      ...(report ? { report } : {}),
    };
    this.blockedBy = change;
    for (const client of this.idle.splice(0)) {
      this.openCount--;
      void client.close().catch(() => undefined);
    }
    this.hooks.onCertificateChange(change);
  }

  async closeIdle(): Promise<void> {
    const clients = this.idle.splice(0);
    this.openCount -= clients.length;
    await Promise.all(clients.map((client) => client.close().catch(() => undefined)));
  }

  async close(): Promise<void> {
    this.closing = true;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    await this.closeIdle();
  }
}
