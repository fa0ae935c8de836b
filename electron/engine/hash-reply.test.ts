import { describe, expect, it } from 'vitest';
import { parseHashReply } from './hash-reply';
import { ReplyParser } from './reply-parser';

function replyText(wire: string): string {
  const [reply] = new ReplyParser().push(Buffer.from(wire));
  if (!reply) throw new Error('fixture is not a complete reply');
  return reply.text;
}

const SHA256_12 = 'a948904f2f0f479b8f8197694b30184b0d2ed1c1cd2a1ec0fb85d299a192a447';

describe('parseHashReply', () => {
  it('reads the single-line reply of the draft', () => {
    expect(parseHashReply(replyText(`213 SHA-256 0-12 ${SHA256_12} /a.bin\r\n`))).toEqual({
      algorithm: 'SHA-256',
      start: 0,
      end: 12,
      value: SHA256_12,
    });
  });

  it("reads ProFTPD mod_digest's multi-line reply (the answer is on the last line)", () => {
    // As ProFTPD 1.3.8 sends it; long files add "Computing..." lines in between.
    const wire =
      '213-Computing SHA-256 digest\r\n' +
      '213-Computing...\r\n' +
      `213 SHA-256 0-12 ${SHA256_12.toUpperCase()} /dir with space/a b.bin\r\n`;
    expect(parseHashReply(replyText(wire))).toEqual({
      algorithm: 'SHA-256',
      start: 0,
      end: 12,
      value: SHA256_12,
    });
  });

  it('reads an empty file (range 0-0) and lower-cases the algorithm', () => {
    const empty = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
    expect(parseHashReply(`Computing SHA-256 digest\nsha-256 0-0 ${empty} /empty.bin`)).toEqual({
      algorithm: 'SHA-256',
      start: 0,
      end: 0,
      value: empty,
    });
  });

  it('refuses replies that carry no digest', () => {
    expect(parseHashReply('Computing SHA-256 digest')).toBeUndefined();
    expect(parseHashReply('SHA-256 0-12 not-hex /a.bin')).toBeUndefined();
    expect(parseHashReply('SHA-256 12 abcdef /a.bin')).toBeUndefined();
    expect(parseHashReply('')).toBeUndefined();
  });
});
