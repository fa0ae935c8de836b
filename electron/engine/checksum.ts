import type { VerificationMethod } from '../../shared/transfers';
import type { ControlConnection } from './control';
import { parseHashReply } from './hash-reply';
import { replyError } from './reply-error';
import type { FtpReply } from './reply-parser';
import type { Features } from './types';

export interface RemoteHash {
  method: Exclude<VerificationMethod, 'size'>;
  /** Lower-case hex. */
  value: string;
}

/** Asks a server for file checksums; remembers the HASH algorithm it selected (OPTS HASH). */
export class RemoteChecksums {
  private hashAlgorithm: string | undefined;

  constructor(
    private readonly control: ControlConnection,
    private readonly features: Features,
  ) {}

  /** The strongest checksum the server offers for a file, or undefined when it offers none. */
  async hash(path: string): Promise<RemoteHash | undefined> {
    const offered = this.features.hash;
    for (const algorithm of ['SHA-256', 'SHA-512', 'SHA-1', 'MD5'] as const) {
      if (!offered.includes(algorithm)) continue;
      if (this.hashAlgorithm !== algorithm) {
        const opts = await this.control.command(`OPTS HASH ${algorithm}`, 'select hash algorithm');
        if (opts.code !== 200) continue;
        this.hashAlgorithm = algorithm;
      }
      const reply = await this.checksumReply(`HASH ${path}`, path, [213]);
      // Refused for this file (too large, no permission) or at all: another algorithm will not help.
      if (typeof reply === 'number') break;
      // The whole file, with the algorithm asked for; anything else cannot verify the file.
      const answer = parseHashReply(reply.text);
      if (answer?.algorithm === algorithm && answer.start === 0)
        return { method: `HASH ${algorithm}`, value: answer.value };
    }
    const legacy = [
      ['xsha256', 'XSHA256'],
      ['xsha1', 'XSHA1'],
      ['xmd5', 'XMD5'],
      ['xcrc', 'XCRC'],
    ] as const;
    for (const [feature, command] of legacy) {
      if (!this.features[feature]) continue;
      const reply = await this.checksumReply(`${command} ${path}`, path, [250, 213]);
      // 550/556: this file gets no checksum; other refusals may be about this command only.
      if (reply === 550 || reply === 556) return undefined;
      if (typeof reply === 'number') continue;
      const value = reply.text.split(/\s+/).find((token) => /^[0-9a-fA-F]{8,}$/.test(token));
      if (value) return { method: command, value: value.toLowerCase() };
    }
    return undefined;
  }

  /**
   * One checksum command. A permanent refusal (5xx: a size limit such as ProFTPD's DigestMaxSize,
   * an algorithm switched off) is not a failed file: it returns the reply code, and the caller
   * tries another method or falls back to the size. A transient refusal (4xx) throws.
   */
  private async checksumReply(
    command: string,
    path: string,
    accepted: readonly number[],
  ): Promise<FtpReply | number> {
    const step = `checksum of ${path}`;
    const verb = command.split(' ')[0] ?? command;
    const reply = await this.control.command(command, step);
    if (accepted.includes(reply.code)) return reply;
    if (reply.code >= 500 && reply.code < 600) {
      this.control.log('warning', `${verb} refused: ${reply.code} ${reply.text}`);
      return reply.code;
    }
    throw replyError(step, verb, reply);
  }
}
