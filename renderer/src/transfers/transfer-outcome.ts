import type { TransferItem, VerificationMethod } from '../../../shared/transfers';
import { formatBytes, plural } from '../lib/format';

/** What a finished queue row says about how its file got there. */
export interface TransferOutcome {
  /** The badge: `Done`, or `Skipped` when the file-exists policy left the target alone. */
  label: string;
  /** Short facts shown on the row, most important first. */
  facts: string[];
  /** The long form, for the row's tooltip. */
  details: string[];
}

const CHECKSUM_NAME: Record<Exclude<VerificationMethod, 'size'>, string> = {
  'HASH SHA-256': 'SHA-256',
  'HASH SHA-512': 'SHA-512',
  'HASH SHA-1': 'SHA-1',
  'HASH MD5': 'MD5',
  XSHA256: 'SHA-256',
  XSHA1: 'SHA-1',
  XMD5: 'MD5',
  XCRC: 'CRC-32',
};

/** Describes a `done` item; other states have no outcome yet. */
export function describeOutcome(item: TransferItem): TransferOutcome | undefined {
  if (item.state !== 'done') return undefined;
  if (item.skipped !== undefined) {
    return {
      label: 'Skipped',
      facts: [item.skipped],
      details: [`Skipped by the file-exists policy: ${item.skipped}`],
    };
  }
  const facts: string[] = [];
  const details: string[] = [];
  const method = item.verification;
  if (method === 'size') {
    facts.push('size checked');
    details.push(
      'Checked by size: the server gave no checksum for this file (none offered, refused, or an empty file)',
    );
  } else if (method !== undefined) {
    facts.push(`${CHECKSUM_NAME[method]} verified`);
    details.push(`Verified with ${method}: the server's checksum matched the local file`);
  }
  // Offset 0 means the attempt started over (a changed file), not a resume.
  const resumes = (item.resumedAt ?? []).filter((offset) => offset > 0);
  const last = resumes[resumes.length - 1];
  if (last !== undefined) {
    facts.push(
      resumes.length === 1
        ? `resumed at ${formatBytes(last)}`
        : `resumed ${resumes.length}×, last at ${formatBytes(last)}`,
    );
    details.push(`Resumed from ${resumes.map((offset) => formatBytes(offset)).join(', ')}`);
  }
  if (item.retries > 0) facts.push(plural(item.retries, 'retry', 'retries'));
  if (item.tlsResumed === true) {
    details.push('The data connection resumed the TLS session of the control connection');
  } else if (item.tlsResumed === false) {
    details.push('The data connection did not resume the TLS session of the control connection');
  }
  if (item.sha256 !== undefined) details.push(`SHA-256 ${item.sha256}`);
  return { label: 'Done', facts, details };
}

/**
 * Whether a row shows a speed and a time left: only while bytes are moving. Connecting (after a
 * lost connection too), verifying, waiting on a question or paused, a stale speed and ETA would
 * promise progress that is not happening.
 */
export function showsSpeed(state: TransferItem['state']): boolean {
  return state === 'transferring';
}
