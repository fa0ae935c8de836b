import { describe, expect, it } from 'vitest';
import { findLaunchUrl, LAUNCH_URL_SCHEMES, parseLaunchUrl } from './launch-url';

describe('parseLaunchUrl', () => {
  it('reads ftpes:// (explicit TLS, port 21) with user and path', () => {
    expect(parseLaunchUrl('ftpes://alice@files.example.com/pub/docs')).toEqual({
      host: 'files.example.com',
      port: 21,
      mode: 'explicit',
      user: 'alice',
      path: 'pub/docs',
    });
  });

  it('reads ftps:// (implicit TLS, port 990), explicit ports, IPv6 and plain ftp://', () => {
    expect(parseLaunchUrl('ftps://h.example')).toEqual({
      host: 'h.example',
      port: 990,
      mode: 'implicit',
      user: '',
      path: '',
    });
    expect(parseLaunchUrl('FTPES://[2001:db8::1]:2121/')).toMatchObject({
      host: '2001:db8::1',
      port: 2121,
      mode: 'explicit',
    });
    expect(parseLaunchUrl('ftp://h/x')).toMatchObject({ mode: 'plain', port: 21, path: 'x' });
  });

  it('never keeps a password', () => {
    const prefill = parseLaunchUrl('ftpes://bob:s3cret@h.example:21//srv/data');
    expect(prefill).toEqual({
      host: 'h.example',
      port: 21,
      mode: 'explicit',
      user: 'bob',
      path: '/srv/data',
    });
    expect(JSON.stringify(prefill)).not.toContain('s3cret');
  });

  it('decodes percent escapes in user and path', () => {
    expect(parseLaunchUrl('ftpes://j%40doe@h/My%20Files')).toMatchObject({
      user: 'j@doe',
      path: 'My Files',
    });
  });

  it.each([
    '',
    'h.example',
    'https://h.example/',
    'sftp://h.example/',
    'file:///etc/passwd',
    'ftpes://',
    'ftpes://h:99999/',
    'ftpes://bad host/',
    'ftpes://h/%zz',
    'ftpes://h/a%0Ab',
    'ftpes://us%0Aer@h/',
    `ftpes://h/${'a'.repeat(5000)}`,
  ])('rejects %j', (text) => {
    expect(parseLaunchUrl(text)).toBeUndefined();
  });
});

describe('findLaunchUrl', () => {
  it('takes the URL among executable, app path and Chromium switches', () => {
    const argv = [
      '/opt/Ferry/ferry',
      '--no-sandbox',
      '--allow-file-access-from-files',
      'ftpes://alice@h.example/in',
    ];
    expect(findLaunchUrl(argv)).toMatchObject({ host: 'h.example', user: 'alice', path: 'in' });
    expect(findLaunchUrl(['electron', '.', '--', 'ftps://h2'])).toMatchObject({
      host: 'h2',
      port: 990,
    });
  });

  it('prefers the last valid URL and skips broken ones', () => {
    expect(
      findLaunchUrl(['ferry', 'ftps://first', 'ftpes://second', 'ftpes://bad host']),
    ).toMatchObject({
      host: 'second',
    });
  });

  it('returns undefined for a plain launch or junk', () => {
    expect(findLaunchUrl([])).toBeUndefined();
    expect(findLaunchUrl(['/usr/bin/ferry'])).toBeUndefined();
    expect(findLaunchUrl(['ferry', '--inspect=9229', 'http://evil.example', '%U'])).toBeUndefined();
  });

  it('registers exactly the TLS schemes', () => {
    expect([...LAUNCH_URL_SCHEMES]).toEqual(['ftps', 'ftpes']);
  });
});
