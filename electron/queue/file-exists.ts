import path from 'node:path';
import type { TimePrecision } from '../../shared/models';
import type { FileExistsAction } from '../../shared/transfers';

/** What is known about one side of a transfer. */
export interface FileFacts {
  size?: number;
  /** Milliseconds since the epoch. */
  modifiedMs?: number;
  /** Set when the time came from a listing; absent for stat and MDTM, which give the second. */
  modifiedPrecision?: TimePrecision;
}

/**
 * A LIST time, to the minute or the day: too coarse to order two versions written close together.
 */
export function isCoarseTime(facts: FileFacts): boolean {
  return facts.modifiedPrecision === 'minute' || facts.modifiedPrecision === 'day';
}

/** What to do with a target that already exists (after an "ask" has been answered). */
export type ExistsDecision =
  | { action: 'overwrite' }
  | { action: 'skip'; reason: string }
  | { action: 'resume'; offset: number }
  | { action: 'rename' }
  | { action: 'ask' };

function newer(source: FileFacts, target: FileFacts): boolean {
  // Unknown times: FileZilla overwrites, so do we (skipping could silently keep a stale file).
  if (source.modifiedMs === undefined || target.modifiedMs === undefined) return true;
  // Servers round to whole seconds (MDTM): one second of slack avoids endless re-transfers.
  return source.modifiedMs - target.modifiedMs >= 1000;
}

function sizeDiffers(source: FileFacts, target: FileFacts): boolean {
  if (source.size === undefined || target.size === undefined) return true;
  return source.size !== target.size;
}

/**
 * Whether modification times can change the decision for an existing target, given its size and
 * the source's: a time costs a round trip (MDTM) where no listing gave it exactly. The newer-than
 * test of "size differs or newer" matters only when the sizes are equal; "ask" shows both times.
 */
export function timeDecides(
  action: FileExistsAction,
  source: FileFacts,
  target: FileFacts,
): boolean {
  switch (action) {
    case 'overwrite-if-newer':
    case 'ask':
      return true;
    case 'overwrite-if-size-differs-or-newer':
      return !sizeDiffers(source, target);
    default:
      return false;
  }
}

/** The file-exists policy, pure: the same rules for uploads and downloads. */
export function decideFileExists(
  action: FileExistsAction,
  source: FileFacts,
  target: FileFacts,
): ExistsDecision {
  switch (action) {
    case 'ask':
      return { action: 'ask' };
    case 'overwrite':
      return { action: 'overwrite' };
    case 'rename':
      return { action: 'rename' };
    case 'skip':
      return { action: 'skip', reason: 'target exists' };
    case 'overwrite-if-newer':
      return newer(source, target)
        ? { action: 'overwrite' }
        : { action: 'skip', reason: 'target is not older' };
    case 'overwrite-if-size-differs':
      return sizeDiffers(source, target)
        ? { action: 'overwrite' }
        : { action: 'skip', reason: 'same size' };
    case 'overwrite-if-size-differs-or-newer':
      return sizeDiffers(source, target) || newer(source, target)
        ? { action: 'overwrite' }
        : { action: 'skip', reason: 'same size and not older' };
    case 'resume': {
      const have = target.size ?? 0;
      if (source.size === undefined) return { action: 'resume', offset: have };
      if (have === source.size) return { action: 'skip', reason: 'already complete' };
      // A target larger than the source is not a prefix of it: start again.
      if (have > source.size) return { action: 'overwrite' };
      return { action: 'resume', offset: have };
    }
  }
}

/**
 * `name (1).ext`, `name (2).ext`, … : the first candidate for which `exists` is false.
 * Works on a bare file name; the caller joins it to the folder.
 */
export async function pickFreeName(
  name: string,
  exists: (candidate: string) => Promise<boolean>,
  limit = 1000,
): Promise<string> {
  const ext = path.posix.extname(name);
  const stem = ext && ext !== name ? name.slice(0, -ext.length) : name;
  const suffix = ext && ext !== name ? ext : '';
  for (let n = 1; n <= limit; n++) {
    const candidate = `${stem} (${n})${suffix}`;
    if (!(await exists(candidate))) return candidate;
  }
  throw new Error(`no free name for ${name} after ${limit} tries`);
}
