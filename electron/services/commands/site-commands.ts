import { homedir } from 'node:os';
import { join } from 'node:path';
import type { SecretsStatus } from '../../../shared/sites';
import { markDuplicates } from '../filezilla/duplicates';
import { applyImport, readImport } from '../filezilla/import';
import type { SecretStore } from '../secrets/secret-store';
import { checkSiteFiles } from '../sites/connect-options';
import { exportSitesToFile } from '../sites/export-file';
import type { CommandContext, CommandHandlers } from './context';

/** `~/x` as a shell reads it (the import field's placeholder suggests one). */
export function expandHome(path: string): string {
  if (path === '~') return homedir();
  if (path.startsWith('~/') || path.startsWith('~\\')) return join(homedir(), path.slice(2));
  return path;
}

export function secretsStatus(secrets: SecretStore): SecretsStatus {
  const reason = secrets.unavailableReason();
  return reason === undefined ? { available: true } : { available: false, reason };
}

/** The site manager: the site tree, import and export. */
export function siteCommands(c: CommandContext) {
  const { sites, secrets, plainFallback, pins, host } = c;
  return {
    getSites: async () => {
      const tree = await sites.tree();
      return {
        tree,
        secrets: secretsStatus(secrets),
        plainFallback: await plainFallback.rememberedIds(tree.sites),
      };
    },
    forgetPlainFallback: async (id) => {
      await sites.getSite(id);
      await plainFallback.forget(id);
      return plainFallback.rememberedIds((await sites.tree()).sites);
    },
    createSite: (input, siteSecrets) => sites.createSite(input, siteSecrets),
    updateSite: (id, input, siteSecrets) => sites.updateSite(id, input, siteSecrets),
    renameSite: (id, name) => sites.renameSite(id, name),
    duplicateSite: (id) => sites.duplicateSite(id),
    deleteSite: async (id) => {
      await sites.deleteSite(id);
      await plainFallback.forget(id);
    },
    createFolder: (name, parentId) => sites.createFolder(name, parentId),
    renameFolder: (id, name) => sites.renameFolder(id, name),
    deleteFolder: (id) => sites.deleteFolder(id),
    moveSiteItem: (id, parentId) => sites.move(id, parentId),
    checkSiteFiles: (input) => checkSiteFiles(input),
    previewImport: async (path) => {
      const { report } = await readImport(expandHome(path));
      return { ...report, sites: markDuplicates(report.sites, await sites.tree()) };
    },
    applyImport: async (path, duplicates) =>
      applyImport(await readImport(expandHome(path)), {
        sites,
        pins,
        ...(duplicates ? { duplicates } : {}),
      }),
    exportSites: (path, includeSecrets) =>
      exportSitesToFile(path, includeSecrets, {
        sites,
        secrets,
        ...(host.pickFile ? { pickFile: host.pickFile } : {}),
      }),
  } satisfies Partial<CommandHandlers>;
}
