import { isIPv4, isIPv6 } from 'node:net';
import { FerryError } from './errors';

function protocolError(step: string, reason: string): FerryError {
  return new FerryError({ kind: 'protocol', step, reason });
}

function quote(text: string): string {
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text);
}

function isDigitCode(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

function isSpaceCode(code: number): boolean {
  return code === 0x20 || code === 0x09;
}

/**
 * Finds six comma-separated numbers anywhere in the text. A hand-written scan rather than a
 * regular expression: the text comes from the server, and a backtracking pattern over long digit
 * runs is quadratic.
 */
function findSixNumbers(text: string): string[] | null {
  let i = 0;
  while (i < text.length) {
    if (!isDigitCode(text.charCodeAt(i)) || (i > 0 && isDigitCode(text.charCodeAt(i - 1)))) {
      i++;
      continue;
    }
    const numbers: string[] = [];
    let j = i;
    for (;;) {
      const begin = j;
      while (j < text.length && isDigitCode(text.charCodeAt(j))) j++;
      numbers.push(text.slice(begin, j));
      if (numbers.length === 6) return numbers;
      let k = j;
      while (k < text.length && isSpaceCode(text.charCodeAt(k))) k++;
      if (text.charCodeAt(k) !== 0x2c) break;
      k++;
      while (k < text.length && isSpaceCode(text.charCodeAt(k))) k++;
      if (k >= text.length || !isDigitCode(text.charCodeAt(k))) break;
      j = k;
    }
    // Resume after the run that failed: every start inside it was covered by this attempt.
    i = Math.max(j, i + 1);
  }
  return null;
}

/** Parses a 227 reply's text: `Entering Passive Mode (h1,h2,h3,h4,p1,p2)`, parentheses optional. */
export function parsePasvReply(text: string): { host: string; port: number } {
  const step = 'parse PASV reply';
  const numbers = findSixNumbers(text);
  if (!numbers) throw protocolError(step, `no address in ${quote(text)}`);
  const values = numbers.map((digits) => (digits.length > 3 ? 256 : Number(digits)));
  if (values.some((value) => value > 255)) {
    throw protocolError(step, `number out of range in ${quote(text)}`);
  }
  const [h1, h2, h3, h4, p1, p2] = values as [number, number, number, number, number, number];
  const port = p1 * 256 + p2;
  if (port === 0) throw protocolError(step, `port 0 in ${quote(text)}`);
  return { host: `${h1}.${h2}.${h3}.${h4}`, port };
}

/** Parses a 229 reply's text: `Entering Extended Passive Mode (|||port|)`, any delimiter 33–126. */
export function parseEpsvReply(text: string): number {
  const step = 'parse EPSV reply';
  // The delimiter may be any printable character except a digit (a digit delimiter would make
  // the port ambiguous). Parenthesised form first, then a bare one for sloppy servers.
  const match =
    /\(([\x21-\x2f\x3a-\x7e])\1\1(\d{1,5})\1\)/.exec(text) ??
    /([\x21-\x2f\x3a-\x7e])\1\1(\d{1,5})\1/.exec(text);
  const digits = match?.[2];
  if (digits === undefined) throw protocolError(step, `no port in ${quote(text)}`);
  const port = Number(digits);
  if (port < 1 || port > 65535) throw protocolError(step, `port out of range in ${quote(text)}`);
  return port;
}

function ipv4Octets(ip: string): number[] | null {
  if (!isIPv4(ip)) return null;
  return ip.split('.').map(Number);
}

/** Expands an IPv6 address into eight 16-bit groups; null when it is not one. */
function ipv6Groups(input: string): number[] | null {
  const ip = input.replace(/%.*$/, '');
  if (!isIPv6(ip)) return null;
  let text = ip.toLowerCase();
  const lastColon = text.lastIndexOf(':');
  const tail = text.slice(lastColon + 1);
  if (tail.includes('.')) {
    // Rewrite an embedded IPv4 tail (`::ffff:1.2.3.4`) as two hex groups, then expand as usual.
    const octets = ipv4Octets(tail);
    if (!octets) return null;
    const [a = 0, b = 0, c = 0, d = 0] = octets;
    text = `${text.slice(0, lastColon + 1)}${(a * 256 + b).toString(16)}:${(c * 256 + d).toString(16)}`;
  }
  const halves = text.split('::');
  const parse = (part: string): number[] =>
    part === '' ? [] : part.split(':').map((group) => parseInt(group, 16));
  const left = parse(halves[0] ?? '');
  if (halves.length === 1) return left.length === 8 ? left : null;
  const right = parse(halves[1] ?? '');
  const missing = 8 - left.length - right.length;
  if (missing < 0) return null;
  return [...left, ...new Array<number>(missing).fill(0), ...right];
}

function v4Unroutable(octets: number[]): boolean {
  const [a = 0, b = 0, c = 0] = octets;
  return (
    a === 0 || // "this network"
    a === 10 ||
    a === 127 ||
    (a === 100 && b >= 64 && b <= 127) || // carrier-grade NAT
    (a === 169 && b === 254) || // link-local
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 192 && b === 0 && (c === 0 || c === 2)) || // IETF protocol assignments, TEST-NET-1
    (a === 198 && (b === 18 || b === 19)) || // benchmarking
    (a === 198 && b === 51 && c === 100) || // TEST-NET-2
    (a === 203 && b === 0 && c === 113) || // TEST-NET-3
    a >= 224 // multicast, reserved, broadcast
  );
}

/**
 * True for addresses a public server has no business sending a client to: private, loopback,
 * link-local, CGNAT, documentation, multicast and reserved ranges. Anything that is not an IP
 * address at all also counts as unroutable.
 */
export function isPrivateOrUnroutable(ip: string): boolean {
  const octets = ipv4Octets(ip);
  if (octets) return v4Unroutable(octets);
  const groups = ipv6Groups(ip);
  if (!groups) return true;
  const [g0 = 0, g1 = 0, , , , g5 = 0, g6 = 0, g7 = 0] = groups;
  const allZeroUntil = (n: number): boolean => groups.slice(0, n).every((group) => group === 0);
  if (allZeroUntil(8)) return true; // ::
  if (allZeroUntil(7) && g7 === 1) return true; // ::1
  if (allZeroUntil(5) && g5 === 0xffff) {
    // IPv4-mapped: judge the embedded IPv4 address.
    return v4Unroutable([g6 >> 8, g6 & 0xff, g7 >> 8, g7 & 0xff]);
  }
  return (
    (g0 & 0xfe00) === 0xfc00 || // unique local fc00::/7
    (g0 & 0xffc0) === 0xfe80 || // link-local fe80::/10
    (g0 & 0xffc0) === 0xfec0 || // deprecated site-local fec0::/10
    (g0 & 0xff00) === 0xff00 || // multicast
    (g0 === 0x2001 && g1 === 0x0db8) || // documentation
    (g0 === 0x0064 && g1 === 0xff9b) || // NAT64 well-known prefix
    allZeroUntil(6) // deprecated IPv4-compatible ::a.b.c.d
  );
}

/** A comparable form: IPv4-mapped IPv6 becomes IPv4, IPv6 is fully expanded. */
function canonicalAddress(ip: string): string {
  const trimmed = ip.trim();
  if (isIPv4(trimmed)) return trimmed;
  const groups = ipv6Groups(trimmed);
  if (!groups) return trimmed.toLowerCase();
  const [, , , , , g5 = 0, g6 = 0, g7 = 0] = groups;
  if (groups.slice(0, 5).every((group) => group === 0) && g5 === 0xffff) {
    return `${g6 >> 8}.${g6 & 0xff}.${g7 >> 8}.${g7 & 0xff}`;
  }
  return groups.map((group) => group.toString(16)).join(':');
}

/**
 * Where to open a passive data connection. Always the control connection's peer: a PASV address
 * that differs is either NAT breakage or a hostile server aiming the client at another host
 * (FTP bounce), and neither should be followed. `replaced` tells the caller to log it.
 */
export function chooseDataHost(
  pasvHost: string,
  controlPeer: string,
): { host: string; replaced: boolean } {
  return {
    host: controlPeer,
    replaced: canonicalAddress(pasvHost) !== canonicalAddress(controlPeer),
  };
}
