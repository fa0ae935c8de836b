import { describe, expect, it } from 'vitest';
import { noFeatures, parseFeatures } from './features';
import { ReplyParser, type FtpReply } from './reply-parser';

function reply(text: string): FtpReply {
  const [parsed] = new ReplyParser().push(Buffer.from(text));
  if (!parsed) throw new Error('fixture is not a complete reply');
  return parsed;
}

describe('parseFeatures', () => {
  it('reads a ProFTPD-style FEAT with everything', () => {
    const features = parseFeatures(
      reply(
        '211-Features:\r\n' +
          ' MLST modify*;perm*;size*;type*;unique*;UNIX.group*;UNIX.mode*;UNIX.owner*;\r\n' +
          ' REST STREAM\r\n' +
          ' UTF8\r\n' +
          ' EPSV\r\n' +
          ' MFMT\r\n' +
          ' SIZE\r\n' +
          ' MDTM\r\n' +
          ' HASH SHA-256*;SHA-1;md5\r\n' +
          ' XSHA256\r\n' +
          ' XSHA1\r\n' +
          ' XMD5\r\n' +
          ' XCRC\r\n' +
          ' CLNT\r\n' +
          ' PRET\r\n' +
          ' CCC\r\n' +
          ' AUTH TLS\r\n' +
          ' LANG en-US*\r\n' +
          '211 End\r\n',
      ),
    );
    expect({ ...features, raw: undefined }).toEqual({
      raw: undefined,
      mlst: true,
      mlstFacts: [
        'modify',
        'perm',
        'size',
        'type',
        'unique',
        'unix.group',
        'unix.mode',
        'unix.owner',
      ],
      restStream: true,
      utf8: true,
      epsv: true,
      mfmt: true,
      size: true,
      mdtm: true,
      hash: ['SHA-256', 'SHA-1', 'MD5'],
      xsha256: true,
      xsha1: true,
      xmd5: true,
      xcrc: true,
      clnt: true,
      pret: true,
      ccc: true,
    });
    expect(features.raw.get('AUTH')).toBe('TLS');
    expect(features.raw.get('LANG')).toBe('en-US*');
    expect(features.raw.get('MLST')).toBe(
      'modify*;perm*;size*;type*;unique*;UNIX.group*;UNIX.mode*;UNIX.owner*;',
    );
    expect(features.raw.get('UTF8')).toBe('');
    expect(features.raw.size).toBe(17);
  });

  it('reads a vsftpd FEAT (no MLST, no REST STREAM listed with other text)', () => {
    const features = parseFeatures(
      reply(
        '211-Features:\r\n EPRT\r\n EPSV\r\n MDTM\r\n PASV\r\n PBSZ\r\n PROT\r\n REST STREAM\r\n SIZE\r\n TVFS\r\n UTF8\r\n211 End\r\n',
      ),
    );
    expect(features.mlst).toBe(false);
    expect(features.mlstFacts).toEqual([]);
    expect(features.restStream).toBe(true);
    expect(features.epsv).toBe(true);
    expect(features.mfmt).toBe(false);
    expect(features.hash).toEqual([]);
    expect([...features.raw.keys()]).toEqual([
      'EPRT',
      'EPSV',
      'MDTM',
      'PASV',
      'PBSZ',
      'PROT',
      'REST',
      'SIZE',
      'TVFS',
      'UTF8',
    ]);
  });

  it('is case-insensitive and tolerates lines that repeat the code', () => {
    const features = parseFeatures(
      reply('211-Extensions supported\r\n211-mdtm\r\n  rest   stream  \r\n\tutf8\r\n211 END\r\n'),
    );
    expect(features.mdtm).toBe(true);
    expect(features.restStream).toBe(true);
    expect(features.utf8).toBe(true);
    expect(features.raw.get('REST')).toBe('stream');
  });

  it('does not take REST without STREAM for REST STREAM', () => {
    expect(parseFeatures(reply('211-x\r\n REST\r\n211 end\r\n')).restStream).toBe(false);
    expect(parseFeatures(reply('211-x\r\n REST STREAMING\r\n211 end\r\n')).restStream).toBe(false);
  });

  it('keeps every value of a repeated feature', () => {
    const features = parseFeatures(reply('211-x\r\n AUTH TLS\r\n AUTH SSL\r\n211 end\r\n'));
    expect(features.raw.get('AUTH')).toBe('TLS\nSSL');
  });

  it('ignores the first and last lines, even when they look like features', () => {
    const features = parseFeatures(reply('211-UTF8\r\n SIZE\r\n211 MDTM\r\n'));
    expect(features.utf8).toBe(false);
    expect(features.size).toBe(true);
    expect(features.mdtm).toBe(false);
  });

  it('treats a single-line 211 as no features', () => {
    expect(parseFeatures(reply('211 No features\r\n'))).toEqual(noFeatures());
  });

  it('treats a refused FEAT as no features', () => {
    expect(parseFeatures(null)).toEqual(noFeatures());
    expect(parseFeatures(reply('500 Unknown command\r\n'))).toEqual(noFeatures());
    expect(parseFeatures(reply('502-Not here\r\n UTF8\r\n502 no\r\n')).utf8).toBe(false);
  });

  it('returns fresh objects', () => {
    const a = parseFeatures(null);
    a.raw.set('X', '');
    a.hash.push('MD5');
    expect(parseFeatures(null).raw.size).toBe(0);
    expect(parseFeatures(null).hash).toEqual([]);
  });
});
