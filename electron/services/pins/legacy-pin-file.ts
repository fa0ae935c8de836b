import { existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The pin file in `dataDir`. Earlier versions kept pins in `pinned-certificates.json`: that file
 * is renamed once, and the pin store reads its old format and rewrites it versioned.
 */
export function pinFileIn(dataDir: string): string {
  const file = join(dataDir, 'pins.json');
  const legacy = join(dataDir, 'pinned-certificates.json');
  if (!existsSync(file) && existsSync(legacy)) renameSync(legacy, file);
  return file;
}
