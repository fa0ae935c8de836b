import { FerryError } from './errors';
import type { FtpReply } from './reply-parser';

/** A refusal of `command` as a typed error; PASS is named without its argument. */
export function replyError(step: string, command: string, reply: FtpReply): FerryError {
  const verb = command.startsWith('PASS ') ? 'PASS' : command;
  return new FerryError({
    kind: 'ftp-reply',
    step,
    command: verb,
    code: reply.code,
    text: reply.text,
  });
}
