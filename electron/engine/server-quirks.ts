/**
 * Per-server decisions the protocol leaves open, made from what the server says about itself.
 * Unknown servers get the conservative choice.
 */
export interface ServerQuirks {
  /**
   * Send the next transfer's EPSV right after the transfer command, before its final reply: the
   * 229 then arrives with the 226 (one round trip less per file). Safe only where the server
   * reads the next command after it has sent the final reply and does not close or replace the
   * running transfer's data connection when it reads an EPSV.
   */
  overlapNextPassive: boolean;
  /**
   * On a download of known size, send the data connection's close_notify right after the TLS
   * handshake: a server that waits for the client's close_notify before its 226 (vsftpd) then
   * sends the 226 with the data instead of a round trip later.
   */
  earlyCloseNotify: boolean;
}

const CONSERVATIVE: ServerQuirks = { overlapNextPassive: false, earlyCloseNotify: false };

/**
 * Measured safe on vsftpd 3.0.3 only (docs/BENCH.md); ProFTPD and pure-ftpd answered an EPSV
 * sent during a transfer at once and broke the transfer. ProFTPD 1.3.8 also waits for the
 * client's close_notify before its 226, but an early one reaching it mid-transfer resets the data
 * connection (200 KB downloads cut at 64 KiB), so it gets neither. vsftpd is recognised by its default
 * greeting (`220 (vsFTPd 3.0.3)`); a custom banner gets the conservative choice.
 */
export function serverQuirks(greeting: string): ServerQuirks {
  if (/^\(vsFTPd [23]\.\d+\.\d+\)$/.test(greeting.trim())) {
    return { overlapNextPassive: true, earlyCloseNotify: true };
  }
  return CONSERVATIVE;
}
