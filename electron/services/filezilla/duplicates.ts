/**
 * Re-importing the same FileZilla file must not silently double every site: an imported site
 * that matches one already in Ferry (same host, port, user and mode, or the same name in the same
 * folder) is marked in the report, and the user picks skip / replace / keep both.
 */
import type { ImportedSite, Site, SiteTree } from '../../../shared/sites';

export interface DuplicateMatch {
  site: Site;
  reason: NonNullable<ImportedSite['duplicateOf']>['reason'];
}

const serverKey = (s: Pick<Site, 'host' | 'port' | 'user' | 'mode'>): string =>
  `${s.host.trim().toLowerCase()}|${s.port}|${s.user}|${s.mode}`;

/** The folder names from the top of the tree down to `parentId`. */
export function folderNames(tree: SiteTree, parentId: string | null): string[] {
  const names: string[] = [];
  const seen = new Set<string>();
  for (let id = parentId; id !== null && !seen.has(id);) {
    seen.add(id);
    const folder = tree.folders.find((f) => f.id === id);
    if (!folder) break;
    names.unshift(folder.name);
    id = folder.parentId;
  }
  return names;
}

const samePath = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((name, i) => name.toLowerCase() === b[i]?.toLowerCase());

/** The existing site an imported one duplicates (a server match first), if any. */
export function findDuplicate(
  imported: Pick<ImportedSite, 'host' | 'port' | 'user' | 'mode' | 'name'>,
  folder: readonly string[],
  tree: SiteTree,
): DuplicateMatch | undefined {
  const key = serverKey(imported);
  const server = tree.sites.find((s) => serverKey(s) === key);
  if (server) return { site: server, reason: 'same-server' };
  const named = tree.sites.find(
    (s) =>
      s.name.toLowerCase() === imported.name.toLowerCase() &&
      samePath(folderNames(tree, s.parentId), folder),
  );
  return named ? { site: named, reason: 'same-name' } : undefined;
}

/** Marks every imported site that duplicates an existing one (for the preview). */
export function markDuplicates(
  sites: ImportedSite[],
  tree: SiteTree,
  prefix: readonly string[] = [],
): ImportedSite[] {
  return sites.map((site) => {
    const match = findDuplicate(site, [...prefix, ...site.folder], tree);
    if (!match) return site;
    return {
      ...site,
      duplicateOf: {
        name: match.site.name,
        folder: folderNames(tree, match.site.parentId),
        reason: match.reason,
      },
    };
  });
}

/** A name not used by a site in the same folder: "name (2)", "name (3)", … */
export function freeSiteName(name: string, parentId: string | null, tree: SiteTree): string {
  const taken = new Set(
    tree.sites.filter((s) => s.parentId === parentId).map((s) => s.name.toLowerCase()),
  );
  if (!taken.has(name.toLowerCase())) return name;
  for (let n = 2; ; n++) {
    const candidate = `${name} (${n})`;
    if (!taken.has(candidate.toLowerCase())) return candidate;
  }
}
