import { describe, expect, it } from 'vitest';
import { FerryError } from './errors';
import { ReplyParser, type FtpReply } from './reply-parser';

function parseAll(input: string | Buffer, parser = new ReplyParser()): FtpReply[] {
  return parser.push(typeof input === 'string' ? Buffer.from(input, 'utf8') : input);
}

function parseBytewise(input: Buffer, parser = new ReplyParser()): FtpReply[] {
  const replies: FtpReply[] = [];
  for (let i = 0; i < input.length; i++) replies.push(...parser.push(input.subarray(i, i + 1)));
  return replies;
}

function catchError(action: () => unknown): FerryError {
  try {
    action();
  } catch (error) {
    if (error instanceof FerryError) return error;
    throw error;
  }
  throw new Error('expected a FerryError');
}

describe('ReplyParser single-line replies', () => {
  it('parses a CRLF-terminated reply', () => {
    expect(parseAll('220 Welcome to Ferry test\r\n')).toEqual([
      { code: 220, text: 'Welcome to Ferry test', lines: ['220 Welcome to Ferry test'] },
    ]);
  });

  it('accepts bare LF terminators', () => {
    expect(parseAll('331 Please specify the password.\n')).toEqual([
      {
        code: 331,
        text: 'Please specify the password.',
        lines: ['331 Please specify the password.'],
      },
    ]);
  });

  it('returns several replies from one chunk, in order', () => {
    const replies = parseAll('200 Switching to Binary mode.\r\n421 Timeout.\r\n');
    expect(replies.map((reply) => [reply.code, reply.text])).toEqual([
      [200, 'Switching to Binary mode.'],
      [421, 'Timeout.'],
    ]);
  });

  it('keeps a reply back until its line is complete', () => {
    const parser = new ReplyParser();
    expect(parser.push(Buffer.from('226 Transfer comp'))).toEqual([]);
    expect(parser.pendingBytes).toBe(17);
    expect(parser.push(Buffer.from('lete.\r'))).toEqual([]);
    expect(parser.push(Buffer.from('\n'))).toEqual([
      { code: 226, text: 'Transfer complete.', lines: ['226 Transfer complete.'] },
    ]);
    expect(parser.pendingBytes).toBe(0);
  });

  it('accepts a bare code without text', () => {
    expect(parseAll('200\r\n')).toEqual([{ code: 200, text: '', lines: ['200'] }]);
  });

  it('keeps spaces inside the text', () => {
    expect(parseAll('257 "/dir with  spaces" is the current directory\r\n')[0]?.text).toBe(
      '"/dir with  spaces" is the current directory',
    );
  });

  it('ignores blank lines between replies', () => {
    expect(parseAll('\r\n200 OK\r\n\n\r\n211 Status\r\n').map((reply) => reply.code)).toEqual([
      200, 211,
    ]);
  });

  it('accepts RFC 2228 6xx protected replies', () => {
    expect(parseAll('631 Zm9v\r\n')[0]).toEqual({ code: 631, text: 'Zm9v', lines: ['631 Zm9v'] });
  });

  it('leaves nothing pending after AUTH TLS, so the socket can be handed to TLS', () => {
    const parser = new ReplyParser();
    expect(parser.push(Buffer.from('234 Proceed with negotiation.\r\n'))[0]?.code).toBe(234);
    expect(parser.pendingBytes).toBe(0);
  });
});

describe('ReplyParser multi-line replies', () => {
  const banner =
    '220-Welcome to the server\r\n' +
    '220-This line repeats the code\r\n' +
    '  indented line\r\n' +
    '230 looks like another reply but is not\r\n' +
    '2201 starts with the code but no space\r\n' +
    '220-\r\n' +
    '220 Ready.\r\n';

  it('ends at the first line with the same code and a space', () => {
    expect(parseAll(banner)).toEqual([
      {
        code: 220,
        text: [
          'Welcome to the server',
          '220-This line repeats the code',
          '  indented line',
          '230 looks like another reply but is not',
          '2201 starts with the code but no space',
          '220-',
          'Ready.',
        ].join('\n'),
        lines: [
          '220-Welcome to the server',
          '220-This line repeats the code',
          '  indented line',
          '230 looks like another reply but is not',
          '2201 starts with the code but no space',
          '220-',
          '220 Ready.',
        ],
      },
    ]);
  });

  it('gives the same result byte by byte', () => {
    const data = Buffer.from(banner + '331 Password required\r\n');
    expect(parseBytewise(data)).toEqual(parseAll(data));
    expect(parseBytewise(data)).toHaveLength(2);
  });

  it('reports the multi-line reply as pending until it ends', () => {
    const parser = new ReplyParser();
    expect(parser.push(Buffer.from('211-Features:\r\n MDTM\r\n'))).toEqual([]);
    expect(parser.pendingBytes).toBe(22);
    expect(parser.push(Buffer.from('211 End\r\n'))[0]?.lines).toEqual([
      '211-Features:',
      ' MDTM',
      '211 End',
    ]);
    expect(parser.pendingBytes).toBe(0);
  });

  it('ends a multi-line reply at a bare code line', () => {
    expect(parseAll('230-Hello\r\n230\r\n')).toEqual([
      { code: 230, text: 'Hello\n', lines: ['230-Hello', '230'] },
    ]);
  });

  it('keeps blank lines inside a multi-line reply', () => {
    expect(parseAll('220-a\r\n\r\n220 b\r\n')[0]?.lines).toEqual(['220-a', '', '220 b']);
  });
});

describe('ReplyParser decoding', () => {
  it('decodes UTF-8 split across chunks', () => {
    const bytes = Buffer.from('257 "/Grüße/日本"\r\n', 'utf8');
    const cut = bytes.indexOf(0xc3) + 1; // inside the two-byte ü
    const parser = new ReplyParser();
    expect(parser.push(bytes.subarray(0, cut))).toEqual([]);
    expect(parser.push(bytes.subarray(cut))[0]?.text).toBe('"/Grüße/日本"');
  });

  it('falls back to latin1 for bytes that are not UTF-8', () => {
    const bytes = Buffer.from([
      ...Buffer.from('550 '),
      0x63,
      0x61,
      0x66,
      0xe9, // é in latin1, invalid as UTF-8 here
      ...Buffer.from(': no such file\r\n'),
    ]);
    expect(parseAll(bytes)[0]?.text).toBe('café: no such file');
  });

  it('decodes each line on its own', () => {
    const bytes = Buffer.concat([
      Buffer.from('211-caf'),
      Buffer.from([0xe9]),
      Buffer.from('\r\n café\r\n211 end\r\n'),
    ]);
    expect(parseAll(bytes)[0]?.lines).toEqual(['211-café', ' café', '211 end']);
  });
});

describe('ReplyParser errors', () => {
  it.each([
    ['text without a code', 'hello there\r\n'],
    ['two digits', '22 Short\r\n'],
    ['letters after two digits', '22x Short\r\n'],
    ['code not followed by space or hyphen', '220Welcome\r\n'],
    ['code starting with 0', '099 x\r\n'],
    ['code starting with 7', '700 x\r\n'],
    ['HTML', '<html>\r\n'],
    ['a leading space', ' 220 hi\r\n'],
  ])('rejects %s', (_label, input) => {
    const error = catchError(() => parseAll(input));
    expect(error.detail.kind).toBe('protocol');
    expect(error.detail.step).toBe('read reply');
  });

  it('stays failed after an error', () => {
    const parser = new ReplyParser();
    expect(() => parser.push(Buffer.from('garbage\r\n'))).toThrow(FerryError);
    expect(() => parser.push(Buffer.from('200 OK\r\n'))).toThrow(FerryError);
    expect(parser.pendingBytes).toBe(0);
  });

  it('quotes the offending line in the message without control characters', () => {
    const error = catchError(() => parseAll('bad\x1b[31mline\r\n'));
    expect(error.message).toContain('"bad\\u001b[31mline"');
  });
});

describe('ReplyParser limits', () => {
  it('accepts a line of exactly maxLineBytes, with or without CR, however split', () => {
    const line = `200 ${'x'.repeat(12)}`; // 16 bytes
    for (const terminator of ['\r\n', '\n']) {
      const data = Buffer.from(line + terminator);
      expect(parseAll(data, new ReplyParser({ maxLineBytes: 16 }))[0]?.text).toBe('x'.repeat(12));
      expect(parseBytewise(data, new ReplyParser({ maxLineBytes: 16 }))).toHaveLength(1);
    }
  });

  it('rejects a line one byte over maxLineBytes, however split', () => {
    const data = Buffer.from(`200 ${'x'.repeat(13)}\r\n`);
    const whole = catchError(() => parseAll(data, new ReplyParser({ maxLineBytes: 16 })));
    expect(whole.detail).toEqual({
      kind: 'protocol',
      step: 'read reply',
      reason: 'reply line longer than 16 bytes',
    });
    const split = catchError(() => parseBytewise(data, new ReplyParser({ maxLineBytes: 16 })));
    expect(split.detail).toEqual(whole.detail);
  });

  it('cuts off an endless line at the limit without buffering it', () => {
    const parser = new ReplyParser();
    const chunk = Buffer.alloc(1024, 0x41);
    let pushed = 0;
    const error = catchError(() => {
      for (let i = 0; i < 100_000; i++) {
        parser.push(chunk);
        pushed++;
        expect(parser.pendingBytes).toBeLessThanOrEqual(8193);
      }
    });
    expect(error.detail.kind).toBe('protocol');
    expect(pushed).toBe(8); // the 9th KiB crosses 8192
    expect(parser.pendingBytes).toBe(0);
  });

  it('cuts off an endless multi-line reply at maxReplyBytes', () => {
    const parser = new ReplyParser({ maxReplyBytes: 64 * 1024 });
    parser.push(Buffer.from('220-start\r\n'));
    const line = Buffer.from(`${'y'.repeat(98)}\r\n`);
    let pushed = 0;
    const error = catchError(() => {
      for (let i = 0; i < 100_000; i++) {
        parser.push(line);
        pushed++;
      }
    });
    expect(error.detail).toEqual({
      kind: 'protocol',
      step: 'read reply',
      reason: 'reply larger than 65536 bytes',
    });
    // 11 bytes of first line + 100 bytes per line: the 656th line crosses 65536.
    expect(pushed).toBe(655);
  });

  it('accepts a multi-line reply of exactly maxReplyBytes', () => {
    const parser = new ReplyParser({ maxReplyBytes: 20 });
    expect(parser.push(Buffer.from('211-a\r\n b\r\n211 end\r\n'))[0]?.code).toBe(211); // 7+4+9
    const tight = new ReplyParser({ maxReplyBytes: 19 });
    expect(() => tight.push(Buffer.from('211-a\r\n b\r\n211 end\r\n'))).toThrow(FerryError);
  });

  it('refuses nonsensical limits', () => {
    expect(() => new ReplyParser({ maxLineBytes: 0 })).toThrow(RangeError);
  });
});
