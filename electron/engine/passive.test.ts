import { describe, expect, it } from 'vitest';
import { FerryError } from './errors';
import { chooseDataHost, isPrivateOrUnroutable, parseEpsvReply, parsePasvReply } from './passive';

function protocolErrorOf(action: () => unknown): FerryError {
  try {
    action();
  } catch (error) {
    if (error instanceof FerryError) return error;
    throw error;
  }
  throw new Error('expected a FerryError');
}

describe('parsePasvReply', () => {
  it.each([
    ['Entering Passive Mode (192,168,1,2,19,137)', '192.168.1.2', 19 * 256 + 137],
    ['Entering Passive Mode 10,0,0,1,4,1', '10.0.0.1', 1025],
    ['Entering Passive Mode (127, 0, 0, 1, 200, 10).', '127.0.0.1', 51210],
    ['=127,0,0,1,195,80', '127.0.0.1', 50000],
    ['Passive 2 go: 203,0,113,9,0,21 ok', '203.0.113.9', 21],
    ['PASV ok (0,0,0,0,255,255)', '0.0.0.0', 65535],
    ['code 227 then (1,2,3,4,5,6)', '1.2.3.4', 1286],
  ])('parses %j', (text, host, port) => {
    expect(parsePasvReply(text)).toEqual({ host, port });
  });

  it('skips a shorter comma list before the address', () => {
    expect(parsePasvReply('v1,2, then (9,8,7,6,5,4)')).toEqual({ host: '9.8.7.6', port: 1284 });
  });

  it.each([
    ['nothing', 'Entering Passive Mode'],
    ['five numbers', '(192,168,1,2,19)'],
    ['octet over 255', '(192,168,1,256,19,137)'],
    ['port byte over 255', '(192,168,1,2,300,1)'],
    ['long digit run', `(${'9'.repeat(40)},1,1,1,1,1)`],
    ['port 0', '(10,0,0,1,0,0)'],
    ['semicolons', '(10;0;0;1;4;1)'],
  ])('rejects %s', (_label, text) => {
    const error = protocolErrorOf(() => parsePasvReply(text));
    expect(error.detail.kind).toBe('protocol');
    expect(error.detail.step).toBe('parse PASV reply');
  });

  it('stays fast on hostile digit runs', () => {
    const text = '1,'.repeat(5) + '1'.repeat(200_000) + ',1'.repeat(100_000);
    const started = performance.now();
    expect(() => parsePasvReply(text)).toThrow(FerryError);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe('parseEpsvReply', () => {
  it.each([
    ['Entering Extended Passive Mode (|||6446|)', 6446],
    ['Entering Extended Passive Mode (!!!1!)', 1],
    ['Extended (###65535#)', 65535],
    ['bare |||2121| without parentheses', 2121],
    ['(~~~40000~)', 40000],
  ])('parses %j', (text, port) => {
    expect(parseEpsvReply(text)).toBe(port);
  });

  it.each([
    ['nothing', 'Entering Extended Passive Mode'],
    ['mixed delimiters', '(||!6446|)'],
    ['missing closing delimiter', '(|||6446)'],
    ['port 0', '(|||0|)'],
    ['port over 65535', '(|||70000|)'],
    ['six digits', '(|||123456|)'],
    ['digit delimiter', '(1115001)'],
    ['space delimiter', '(   6446 )'],
    ['a network address given', '(|1|10.0.0.1|6446|)'],
  ])('rejects %s', (_label, text) => {
    const error = protocolErrorOf(() => parseEpsvReply(text));
    expect(error.detail.kind).toBe('protocol');
    expect(error.detail.step).toBe('parse EPSV reply');
  });
});

describe('isPrivateOrUnroutable', () => {
  it.each([
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.0.10',
    '127.0.0.1',
    '0.0.0.0',
    '169.254.1.1',
    '100.64.0.1',
    '100.127.255.255',
    '192.0.2.1',
    '198.51.100.7',
    '203.0.113.9',
    '198.18.0.1',
    '224.0.0.1',
    '240.0.0.1',
    '255.255.255.255',
    '::',
    '::1',
    'fe80::1',
    'fe80::1%eth0',
    'fd12:3456::1',
    'fc00::1',
    'ff02::1',
    '2001:db8::1',
    '::ffff:192.168.1.1',
    '::ffff:c0a8:0101',
    '64:ff9b::1.2.3.4',
    'not an address',
    '',
    '1.2.3',
    '1.2.3.4.5',
  ])('flags %j', (ip) => {
    expect(isPrivateOrUnroutable(ip)).toBe(true);
  });

  it.each([
    '8.8.8.8',
    '1.1.1.1',
    '172.15.255.255',
    '172.32.0.1',
    '100.63.255.255',
    '100.128.0.1',
    '192.169.0.1',
    '203.0.114.1',
    '2606:4700:4700::1111',
    '2001:4860:4860::8888',
    '::ffff:8.8.8.8',
    '::ffff:0808:0808',
  ])('accepts public %j', (ip) => {
    expect(isPrivateOrUnroutable(ip)).toBe(false);
  });
});

describe('chooseDataHost', () => {
  it('keeps the control peer when PASV names it', () => {
    expect(chooseDataHost('203.0.113.5', '203.0.113.5')).toEqual({
      host: '203.0.113.5',
      replaced: false,
    });
  });

  it('treats the IPv4-mapped form of the same address as the same host', () => {
    expect(chooseDataHost('198.51.100.4', '::ffff:198.51.100.4')).toEqual({
      host: '::ffff:198.51.100.4',
      replaced: false,
    });
  });

  it('replaces a private address behind NAT', () => {
    expect(chooseDataHost('192.168.1.20', '203.0.113.5')).toEqual({
      host: '203.0.113.5',
      replaced: true,
    });
  });

  it('replaces a foreign public address (FTP bounce)', () => {
    expect(chooseDataHost('8.8.8.8', '203.0.113.5')).toEqual({
      host: '203.0.113.5',
      replaced: true,
    });
  });

  it('replaces 0.0.0.0 and loopback answers', () => {
    expect(chooseDataHost('0.0.0.0', '198.51.100.1').host).toBe('198.51.100.1');
    expect(chooseDataHost('127.0.0.1', '198.51.100.1')).toEqual({
      host: '198.51.100.1',
      replaced: true,
    });
  });

  it('compares IPv6 peers in canonical form', () => {
    expect(chooseDataHost('2001:DB8:0:0::1', '2001:db8::1').replaced).toBe(false);
  });
});
