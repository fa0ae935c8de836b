/**
 * Ferry's own export format: the site tree as JSON, without secrets unless the user asks for them
 * (then passwords are in the file in clear text, which the UI must say before writing it).
 */
import { secretKey, type ImportedSite, type Site, type SiteTree } from '../../../shared/sites';
import type { SecretStore } from '../secrets/secret-store';
import { storedPassword } from '../sites/bound-password';
import { parseSiteTree } from '../sites/parse';
import type { ParsedSiteManager, PendingSite } from './sitemanager';

export const FERRY_EXPORT_FORMAT = 'ferry-sites';
export const FERRY_EXPORT_VERSION = 1;

export interface FerryExportSecrets {
  password?: string;
  clientCertPassphrase?: string;
}

export interface FerryExport {
  format: typeof FERRY_EXPORT_FORMAT;
  version: number;
  exportedAt: string;
  folders: SiteTree['folders'];
  /** Sites without `hasPassword` (it describes this machine's keychain, not the file). */
  sites: Omit<Site, 'hasPassword'>[];
  /** Only when exported with secrets: site id → secrets, in clear text. */
  secrets?: Record<string, FerryExportSecrets>;
}

export async function exportSites(
  tree: SiteTree,
  options: { includeSecrets?: boolean; secrets?: SecretStore; now?: Date } = {},
): Promise<FerryExport> {
  const data: FerryExport = {
    format: FERRY_EXPORT_FORMAT,
    version: FERRY_EXPORT_VERSION,
    exportedAt: (options.now ?? new Date()).toISOString(),
    folders: tree.folders,
    sites: tree.sites.map(({ hasPassword: _hasPassword, ...site }) => site),
  };
  if (options.includeSecrets && options.secrets) {
    const secrets: Record<string, FerryExportSecrets> = {};
    for (const site of tree.sites) {
      const password = await storedPassword(site, options.secrets);
      const passphrase = await options.secrets.get(secretKey(site.id, 'client-cert-passphrase'));
      if (password === undefined && passphrase === undefined) continue;
      secrets[site.id] = {
        ...(password !== undefined ? { password } : {}),
        ...(passphrase !== undefined ? { clientCertPassphrase: passphrase } : {}),
      };
    }
    data.secrets = secrets;
  }
  return data;
}

export function isFerryExport(raw: unknown): raw is { format: string } {
  return (
    typeof raw === 'object' &&
    raw !== null &&
    (raw as { format?: unknown }).format === FERRY_EXPORT_FORMAT
  );
}

/** Reads a Ferry export into the importer's common shape (folders by path, sites with secrets). */
export function parseFerryExport(
  raw: unknown,
): ParsedSiteManager & { passphrases: Map<PendingSite, string> } {
  if (!isFerryExport(raw))
    throw new Error('this is not a Ferry site export (no "format": "ferry-sites")');
  const version = (raw as { version?: unknown }).version;
  if (typeof version !== 'number' || version > FERRY_EXPORT_VERSION) {
    throw new Error(`this export was written by a newer Ferry (version ${String(version)})`);
  }
  const body = raw as { folders?: unknown; sites?: unknown; secrets?: unknown };
  const tree = parseSiteTree({ folders: body.folders, sites: body.sites });
  const secrets =
    typeof body.secrets === 'object' && body.secrets !== null
      ? (body.secrets as Record<string, unknown>)
      : {};
  const byId = new Map(tree.folders.map((folder) => [folder.id, folder]));
  const pathOf = (id: string | null): string[] => {
    const names: string[] = [];
    for (let current = id; current !== null;) {
      const folder = byId.get(current);
      if (!folder) break;
      names.unshift(folder.name);
      current = folder.parentId;
    }
    return names;
  };
  const passphrases = new Map<PendingSite, string>();
  const sites = tree.sites.map((site): PendingSite => {
    const entry = secrets[site.id] as FerryExportSecrets | undefined;
    const password =
      typeof entry?.password === 'string' && site.logonType === 'normal'
        ? entry.password
        : undefined;
    const {
      id: _id,
      parentId: _parent,
      hasPassword: _has,
      createdAt: _c,
      updatedAt: _u,
      ...input
    } = site;
    const folder = pathOf(site.parentId);
    const summary: ImportedSite = {
      folder,
      name: site.name,
      host: site.host,
      port: site.port,
      mode: site.mode,
      logonType: site.logonType,
      user: site.user,
      remoteDir: site.remoteDir,
      localDir: site.localDir,
      passwordIncluded: password !== undefined,
      transferMode: site.transferMode,
      maxConnections: site.maxConnections,
      comments: site.comments,
      colour: site.colour,
      notes: [],
    };
    const pending: PendingSite = {
      folder,
      input,
      ...(password !== undefined ? { password } : {}),
      summary,
    };
    if (typeof entry?.clientCertPassphrase === 'string')
      passphrases.set(pending, entry.clientCertPassphrase);
    return pending;
  });
  return {
    folders: tree.folders.map((folder) => [...pathOf(folder.parentId), folder.name]),
    sites,
    skipped: [],
    notes: [],
    passphrases,
  };
}
