import { FerryError } from './errors';

/**
 * Refuses an argument that would end the command line early. A remote name or user input with
 * CR or LF would let the rest of it run as a second command (`x\r\nDELE y`); NUL truncates
 * arguments on many servers. The argument itself stays out of the message: it may be a password.
 */
export function assertSafeArgument(arg: string, step: string): void {
  const found = /[\r\n\0]/.exec(arg);
  if (found) {
    const name = found[0] === '\r' ? 'CR' : found[0] === '\n' ? 'LF' : 'NUL';
    throw new FerryError({
      kind: 'unsafe-input',
      step,
      reason: `argument contains ${name} at position ${found.index}`,
    });
  }
}

const VERB = /^[A-Za-z][A-Za-z0-9]{1,15}$/;

/**
 * The command line for `verb` and an optional argument, WITHOUT the trailing CRLF (append `\r\n`
 * when writing it; log it through `maskCommand`). Throws unsafe-input for a malformed verb or an
 * argument with CR, LF or NUL.
 */
export function formatCommand(verb: string, arg?: string): string {
  if (!VERB.test(verb)) {
    throw new FerryError({
      kind: 'unsafe-input',
      step: 'send command',
      reason: `invalid command verb ${JSON.stringify(verb.slice(0, 20))}`,
    });
  }
  const upper = verb.toUpperCase();
  if (arg === undefined) return upper;
  assertSafeArgument(arg, `send ${upper}`);
  return `${upper} ${arg}`;
}

/** A command line safe to log: the arguments of PASS (and ACCT, also a secret) become `****`. */
export function maskCommand(line: string): string {
  const trimmed = line.replace(/\r?\n$/, '');
  const match = /^\s*(PASS|ACCT)(\s|$)/i.exec(trimmed);
  if (!match) return trimmed;
  return `${(match[1] ?? '').toUpperCase()} ****`;
}
