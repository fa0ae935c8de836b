import type { TLSSocket } from 'node:tls';

interface Ticket {
  session: Buffer;
  used: boolean;
}

const MAX_TICKETS = 16;

/**
 * The TLS session tickets of ONE control connection. Data connections must resume the control
 * connection's session (vsftpd, ProFTPD, FileZilla Server require it), and ProFTPD binds TLS 1.3
 * tickets to its FTP session, so a store is never shared between control connections.
 * Session buffers hold key material: they are never logged or persisted.
 */
export class TicketStore {
  private tickets: Ticket[] = [];
  private waiters: Array<() => void> = [];
  private serverSendsNone = false;

  /** Must be called synchronously after tls.connect: Node does not replay missed events. */
  collectFrom(socket: TLSSocket): void {
    socket.on('session', (session: Buffer) => this.add(session));
  }

  add(session: Buffer): void {
    this.tickets.push({ session, used: false });
    this.serverSendsNone = false;
    if (this.tickets.length > MAX_TICKETS) this.tickets.shift();
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  get size(): number {
    return this.tickets.length;
  }

  /** The newest unused ticket, else the newest (RFC 8446 prefers single use; servers allow reuse). */
  take(): Buffer | undefined {
    for (let i = this.tickets.length - 1; i >= 0; i--) {
      const ticket = this.tickets[i];
      if (ticket && !ticket.used) {
        ticket.used = true;
        return ticket.session;
      }
    }
    return this.tickets.at(-1)?.session;
  }

  /**
   * Waits up to `ms` for a ticket to arrive; TLS 1.3 servers send them after the handshake.
   * A server that let one wait pass without a ticket sends none at all (pure-ftpd 1.0.50), so
   * later data connections do not wait again.
   */
  async waitForTicket(ms: number): Promise<boolean> {
    if (this.tickets.length > 0) return true;
    if (this.serverSendsNone) return false;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.waiters.push(done);
    });
    if (this.tickets.length === 0) this.serverSendsNone = true;
    return this.tickets.length > 0;
  }

  clear(): void {
    this.tickets = [];
  }
}
