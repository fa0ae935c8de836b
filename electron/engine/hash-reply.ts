/** One `HASH` answer (draft-bryan-ftpext-hash): `<algorithm> <start>-<end> <hex> <path>`. */
export interface HashReply {
  algorithm: string;
  start: number;
  end: number;
  /** Lower-case hex. */
  value: string;
}

/**
 * Reads the text of a 213 reply to `HASH`. The answer is the reply's last line: ProFTPD's
 * mod_digest sends `213-Computing SHA-256 digest` (and, on long files, `Computing...` lines)
 * before `213 SHA-256 0-49 169cd222… /file name`. The path may contain spaces.
 */
export function parseHashReply(text: string): HashReply | undefined {
  const last = text.split('\n').at(-1)?.trim() ?? '';
  const match = /^(\S+)\s+(\d+)-(\d+)\s+([0-9a-fA-F]+)(?:\s|$)/.exec(last);
  if (!match) return undefined;
  const [, algorithm = '', start = '', end = '', value = ''] = match;
  return {
    algorithm: algorithm.toUpperCase(),
    start: Number(start),
    end: Number(end),
    value: value.toLowerCase(),
  };
}
