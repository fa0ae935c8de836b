import { writeFile } from 'node:fs/promises';
import type { PickFileOptions } from '../../../shared/ipc';
import { FerryError } from '../../engine/errors';
import { exportSites } from '../filezilla/ferry-json';
import type { SecretStore } from '../secrets/secret-store';
import type { SiteStore } from './site-store';

export interface ExportFileDeps {
  sites: SiteStore;
  secrets: SecretStore;
  /** Main's native save dialog; without one a path must be given. */
  pickFile?: (options: PickFileOptions) => Promise<string | null>;
}

/**
 * Writes every site (and its passwords, in clear text, when `includeSecrets`) as Ferry JSON to
 * `path`, or to the file chosen in the save dialog when `path` is null. Returns the file written,
 * or null when the dialog was cancelled.
 */
export async function exportSitesToFile(
  path: string | null,
  includeSecrets: boolean,
  deps: ExportFileDeps,
): Promise<string | null> {
  if (includeSecrets && path !== null) {
    // A compromised renderer must not be able to drop every password where it can read it.
    throw new FerryError({
      kind: 'usage',
      step: 'Export sites',
      reason: 'passwords are exported only to a file chosen in Ferry’s own save dialog',
    });
  }
  const target =
    path ??
    (await deps.pickFile?.({
      title: includeSecrets ? 'Export sites WITH passwords (clear text)' : 'Export sites',
      save: true,
      extensions: ['json'],
    })) ??
    null;
  if (target === null) return null;
  const data = await exportSites(await deps.sites.tree(), {
    includeSecrets,
    secrets: deps.secrets,
  });
  await writeFile(target, `${JSON.stringify(data, null, 2)}\n`, { mode: 0o600 });
  return target;
}
