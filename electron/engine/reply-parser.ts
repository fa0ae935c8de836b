import { FerryError } from './errors';

/** One complete server reply (RFC 959 section 4.2). */
export interface FtpReply {
  code: number;
  /** All lines joined by `\n`; the code is stripped from the first and the last line only. */
  text: string;
  /** The reply's lines as received (codes included), without line terminators. */
  lines: string[];
}

export interface ReplyParserLimits {
  /** Longest accepted line, terminator excluded. */
  maxLineBytes?: number;
  /** Largest accepted reply, all lines and terminators included. */
  maxReplyBytes?: number;
}

export const DEFAULT_MAX_LINE_BYTES = 8192;
export const DEFAULT_MAX_REPLY_BYTES = 1024 * 1024;

const STEP = 'read reply';
const LF = 0x0a;
const CR = 0x0d;

// Fatal, so that bytes that are not UTF-8 fall back to latin1 instead of turning into U+FFFD:
// servers without UTF8 in FEAT send names in their local code page.
const utf8 = new TextDecoder('utf-8', { fatal: true });

export function decodeLine(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch {
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  }
}

function protocolError(reason: string): FerryError {
  return new FerryError({ kind: 'protocol', step: STEP, reason });
}

function isDigit(code: number | undefined): boolean {
  return code !== undefined && code >= 0x30 && code <= 0x39;
}

/** A printable, bounded rendering of a hostile line for an error message. */
function quote(line: string): string {
  const shown = line.length > 60 ? `${line.slice(0, 60)}…` : line;
  return JSON.stringify(shown);
}

/**
 * Incremental FTP reply parser. Feed it whatever the socket delivers; it returns each reply as
 * soon as its last line is complete. Memory stays bounded by the two limits: an over-long line or
 * reply throws a protocol FerryError, after which the parser refuses further input (the control
 * connection is out of sync and must be closed).
 */
export class ReplyParser {
  private readonly maxLineBytes: number;
  private readonly maxReplyBytes: number;
  /** Bytes of the line not yet terminated, in arrival order. */
  private partial: Buffer[] = [];
  private partialLength = 0;
  /** The multi-line reply being collected, if any. */
  private current: { code: number; prefix: string; lines: string[]; bytes: number } | null = null;
  private failure: FerryError | null = null;

  constructor(limits: ReplyParserLimits = {}) {
    this.maxLineBytes = limits.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
    this.maxReplyBytes = limits.maxReplyBytes ?? DEFAULT_MAX_REPLY_BYTES;
    if (!(this.maxLineBytes > 0) || !(this.maxReplyBytes > 0)) {
      throw new RangeError('ReplyParser limits must be positive');
    }
  }

  /** Bytes received that do not belong to a completed reply yet. */
  get pendingBytes(): number {
    return this.partialLength + (this.current?.bytes ?? 0);
  }

  push(chunk: Buffer): FtpReply[] {
    if (this.failure) throw this.failure;
    try {
      return this.consume(chunk);
    } catch (error) {
      // Drop everything buffered: the stream cannot be resynchronised, and holding on to the
      // data would defeat the memory bound.
      this.partial = [];
      this.partialLength = 0;
      this.current = null;
      this.failure =
        error instanceof FerryError
          ? error
          : protocolError(error instanceof Error ? error.message : String(error));
      throw this.failure;
    }
  }

  private consume(chunk: Buffer): FtpReply[] {
    const replies: FtpReply[] = [];
    let start = 0;
    for (;;) {
      const newline = chunk.indexOf(LF, start);
      if (newline === -1) break;
      const piece = chunk.subarray(start, newline);
      let line: Buffer;
      if (this.partialLength === 0) {
        line = piece;
      } else {
        this.partial.push(piece);
        line = Buffer.concat(this.partial, this.partialLength + piece.length);
        this.partial = [];
        this.partialLength = 0;
      }
      start = newline + 1;
      const terminatorLength = line.length > 0 && line[line.length - 1] === CR ? 2 : 1;
      const content = terminatorLength === 2 ? line.subarray(0, line.length - 1) : line;
      if (content.length > this.maxLineBytes) {
        throw protocolError(`reply line longer than ${this.maxLineBytes} bytes`);
      }
      const reply = this.acceptLine(content, content.length + terminatorLength);
      if (reply) replies.push(reply);
    }
    if (start < chunk.length) {
      const rest = chunk.subarray(start);
      // One extra byte of slack for a CR whose LF is still in flight, so that the limit does not
      // depend on where the stream happens to be split.
      if (this.partialLength + rest.length > this.maxLineBytes + 1) {
        throw protocolError(`reply line longer than ${this.maxLineBytes} bytes`);
      }
      // Copy: the caller may reuse the chunk's memory, and a small copy lets the big chunk go.
      this.partial.push(Buffer.from(rest));
      this.partialLength += rest.length;
    }
    if (this.pendingBytes > this.maxReplyBytes) {
      throw protocolError(`reply larger than ${this.maxReplyBytes} bytes`);
    }
    return replies;
  }

  private acceptLine(bytes: Buffer, wireLength: number): FtpReply | null {
    const current = this.current;
    if (current) {
      current.bytes += wireLength;
      if (current.bytes > this.maxReplyBytes) {
        throw protocolError(`reply larger than ${this.maxReplyBytes} bytes`);
      }
      const line = decodeLine(bytes);
      current.lines.push(line);
      if (!isFinalLine(line, current.prefix)) return null;
      this.current = null;
      const texts = current.lines.map((text, index) => {
        if (index === 0) return text.slice(4);
        if (index === current.lines.length - 1) return text.slice(4);
        return text;
      });
      return { code: current.code, text: texts.join('\n'), lines: current.lines };
    }

    // Tolerated between replies: some servers send a stray blank line after a reply.
    if (bytes.length === 0) return null;
    if (wireLength > this.maxReplyBytes) {
      throw protocolError(`reply larger than ${this.maxReplyBytes} bytes`);
    }

    const line = decodeLine(bytes);
    if (!isDigit(bytes[0]) || !isDigit(bytes[1]) || !isDigit(bytes[2])) {
      throw protocolError(`reply line does not start with a code: ${quote(line)}`);
    }
    const first = (bytes[0] ?? 0) - 0x30;
    // RFC 959 codes start with 1-5; RFC 2228 adds 6xx protected replies.
    if (first < 1 || first > 6) {
      throw protocolError(`reply code out of range: ${quote(line)}`);
    }
    const code = Number(line.slice(0, 3));
    const separator = bytes[3];
    if (separator === undefined || separator === 0x20) {
      // A bare code without text is against RFC 959 but sent by some servers; accept it.
      return { code, text: line.slice(4), lines: [line] };
    }
    if (separator === 0x2d) {
      this.current = { code, prefix: line.slice(0, 3), lines: [line], bytes: wireLength };
      return null;
    }
    throw protocolError(`reply code not followed by space or hyphen: ${quote(line)}`);
  }
}

function isFinalLine(line: string, prefix: string): boolean {
  return line.startsWith(prefix) && (line.length === 3 || line.charCodeAt(3) === 0x20);
}
