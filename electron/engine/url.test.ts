import { describe, expect, it } from 'vitest';
import { FerryError } from './errors';
import { maskUrlPassword, parseFerryUrl } from './url';

function errorOf(fn: () => unknown): FerryError {
  try {
    fn();
  } catch (error) {
    if (error instanceof FerryError) return error;
    throw error;
  }
  throw new Error('expected a FerryError');
}

describe('parseFerryUrl', () => {
  it('maps schemes to modes and default ports', () => {
    expect(parseFerryUrl('ftpes://example.com/')).toMatchObject({
      scheme: 'ftpes',
      mode: 'explicit',
      port: 21,
    });
    expect(parseFerryUrl('ftps://example.com')).toMatchObject({
      scheme: 'ftps',
      mode: 'implicit',
      port: 990,
    });
    expect(parseFerryUrl('ftp://example.com/x')).toMatchObject({
      scheme: 'ftp',
      mode: 'plain',
      port: 21,
    });
    expect(parseFerryUrl('FTPES://example.com:2121/a')).toMatchObject({
      scheme: 'ftpes',
      port: 2121,
    });
  });

  it('reads and percent-decodes user and password', () => {
    const url = parseFerryUrl('ftpes://us%40er:p%3As%2Fs%20w@host.example:21/dir/f.txt');
    expect(url.user).toBe('us@er');
    expect(url.password).toBe('p:s/s w');
    expect(url.host).toBe('host.example');
    expect(url.path).toBe('dir/f.txt');
  });

  it('takes the host after the last @ (an unescaped @ in the password)', () => {
    const url = parseFerryUrl('ftps://me:p@ss@10.0.0.1/');
    expect(url).toMatchObject({
      user: 'me',
      password: 'p@ss',
      host: '10.0.0.1',
      port: 990,
      path: '',
    });
  });

  it('has no user or password when the URL names none; an empty password is a password', () => {
    const bare = parseFerryUrl('ftpes://host/');
    expect(bare.user).toBeUndefined();
    expect(bare.password).toBeUndefined();
    expect(parseFerryUrl('ftpes://me@host/').password).toBeUndefined();
    expect(parseFerryUrl('ftpes://me:@host/').password).toBe('');
  });

  it('treats the path as relative to the login folder, %2F or // making it absolute', () => {
    expect(parseFerryUrl('ftpes://h').path).toBe('');
    expect(parseFerryUrl('ftpes://h/').path).toBe('');
    expect(parseFerryUrl('ftpes://h/a/b/').path).toBe('a/b/');
    expect(parseFerryUrl('ftpes://h/%2Fsrv/x').path).toBe('/srv/x');
    expect(parseFerryUrl('ftpes://h//srv/x').path).toBe('/srv/x');
    expect(parseFerryUrl('ftpes://h/a%20b/%C3%A9t%C3%A9.txt').path).toBe('a b/été.txt');
    // No query or fragment on FTP: ? and # are file-name characters.
    expect(parseFerryUrl('ftpes://h/what?#.txt').path).toBe('what?#.txt');
  });

  it('accepts IPv6 literals in brackets', () => {
    expect(parseFerryUrl('ftps://[::1]:9990/f')).toMatchObject({
      host: '::1',
      port: 9990,
      path: 'f',
    });
    expect(parseFerryUrl('ftpes://u@[2001:db8::1]/').display).toBe('ftpes://u@[2001:db8::1]/');
  });

  it('keeps the password out of the display form', () => {
    expect(parseFerryUrl('ftpes://me:secret@h:2121/a%20b').display).toBe('ftpes://me@h:2121/a%20b');
    expect(parseFerryUrl('ftps://h:990/').display).toBe('ftps://h/');
  });

  it.each([
    ['example.com/file', /not a URL/],
    ['sftp://host/', /unsupported scheme "sftp:\/\/"/],
    ['https://host/', /unsupported scheme/],
    ['ftpes:///path', /names no host/],
    ['ftpes://host:0/', /not a port/],
    ['ftpes://host:65536/', /not a port/],
    ['ftpes://host:21x/', /not a port/],
    ['ftpes://[::1/', /unclosed/],
    ['ftpes://[nope]/', /not an IPv6/],
    ['ftpes://ho st/', /not a host name/],
    ['ftpes://@host/', /user name in the URL is empty/],
    ['ftpes://h/%E0%A4%A', /invalid percent escape/],
    ['ftpes://us%ZZer@h/', /invalid percent escape/],
  ])('rejects %s as a usage error', (text, message) => {
    const error = errorOf(() => parseFerryUrl(text));
    expect(error.detail.kind).toBe('usage');
    expect(error.message).toMatch(message);
  });

  it('refuses control characters (command injection) as unsafe input', () => {
    for (const text of ['ftpes://h/a%0D%0ADELE%20x', 'ftpes://u%0A@h/', 'ftpes://u:p%00@h/']) {
      expect(errorOf(() => parseFerryUrl(text)).detail.kind).toBe('unsafe-input');
    }
  });
});

describe('maskUrlPassword', () => {
  it('masks from the user\'s ":" to the last "@", with or without a scheme', () => {
    expect(maskUrlPassword('ftpes://alice:p/a:s@s@host:21/x@y')).toBe('ftpes://alice:***@y');
    expect(maskUrlPassword('ftpes://alice:secret@host/')).toBe('ftpes://alice:***@host/');
    expect(maskUrlPassword('ftpes:/alice:secret@host/')).toBe('ftpes:***@host/');
    expect(maskUrlPassword('alice:secret@host')).toBe('alice:***@host');
    // Ambiguous (a password holding "/" reads the same way), so masked too: it is only quoted.
    expect(maskUrlPassword('ftpes://host:21/a@b')).toBe('ftpes://host:***@b');
  });

  it('leaves text without a password alone', () => {
    for (const text of ['ftpes://alice@host/', 'ftpes://host/a@b', 'ftps://[::1]:990/', 'P']) {
      expect(maskUrlPassword(text)).toBe(text);
    }
  });
});
