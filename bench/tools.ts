import type { RunningServer } from '../test/servers/servers';
import type { LatencyProxy } from './latency-proxy';
import type { Command } from './measure';

export type Tool =
  'ferry' | 'ferry (auto)' | 'ferry (LIST)' | 'curl' | 'lftp' | 'lftp (MLSD)' | 'lftp (TLS 1.2)';

/** Where the tools connect: the server itself, or the latency proxy in front of it. */
export interface Link {
  label: string;
  host: string;
  rttMs?: number;
  proxy?: LatencyProxy;
  runs: number;
}

/** The three tools' command lines for one server seen through one link. */
export function toolsFor(
  server: RunningServer,
  link: Link,
  ferryBundle: string,
): {
  base: string;
  curl: (...args: string[]) => Command;
  lftp: (script: string, tls12?: boolean) => Command;
  ferry: (...args: string[]) => Command;
} {
  const base = `ftp://${link.host}:${server.port}`;
  const auth = `${server.user}:${server.password}`;
  const curl = (...args: string[]): Command => ({
    cmd: 'curl',
    args: ['-sS', '--fail', '--ssl-reqd', '-k', '--user', auth, ...args],
  });
  const lftp = (script: string, tls12 = false): Command => ({
    cmd: 'lftp',
    args: [
      '-c',
      [
        'set cmd:fail-exit yes',
        'set net:max-retries 1',
        'set ssl:verify-certificate no',
        'set ftp:ssl-force yes',
        'set ftp:ssl-protect-data yes',
        'set xfer:clobber yes',
        // Through the proxy: EPSV names no address, so data goes to the proxy like control does
        // (lftp's PASV would take the server's own 127.0.0.1 and bypass it).
        ...(link.proxy ? ['set ftp:prefer-epsv yes'] : []),
        ...(tls12 ? ['set ssl:priority "NORMAL:-VERS-TLS1.3"'] : []),
        `open -u ${auth.replace(':', ',')} -p ${server.port} ${link.host}`,
        script,
      ].join('; '),
    ],
  });
  const ferry = (...args: string[]): Command => ({
    cmd: process.execPath,
    args: [ferryBundle, ...args],
  });
  return { base, curl, lftp, ferry };
}
