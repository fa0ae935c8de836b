/**
 * The site manager's tree of folders and sites, persisted in `sites.json` in the user-data folder.
 * Secrets go to the SecretStore under `secretKey(siteId, kind)`; sites.json never holds them.
 */
import { randomUUID } from 'node:crypto';
import {
  changedBindingFields,
  passwordTarget,
  secretKey,
  siteMatches,
  validateSite,
  type FieldError,
  type Site,
  type SiteFolder,
  type SiteInput,
  type SiteSecrets,
  type SiteTree,
  type StoreNotice,
} from '../../../shared/sites';
import { readVersionedJson, writeVersionedJson } from '../../files/atomic-json';
import type { SecretStore } from '../secrets/secret-store';
import { parseSiteTree } from './parse';

export const SITES_SCHEMA_VERSION = 1;

/** A failed tree operation (unknown id, a folder moved into itself); `detail` crosses IPC. */
export class SiteStoreError extends Error {
  readonly detail: { kind: 'usage'; step: string; reason: string };
  constructor(step: string, reason: string) {
    super(`${step}: ${reason}`);
    this.name = 'SiteStoreError';
    this.detail = { kind: 'usage', step, reason };
  }
}

/** The result of saving a site: field errors are data, so the dialog can show them per field. */
export type SaveSiteResult =
  | {
      ok: true;
      site: Site;
      /** Set when a password was given but could not be stored (no keychain): asked at connect. */
      secretsWarning?: string;
    }
  | { ok: false; errors: FieldError[] };

export interface SiteStoreOptions {
  /** The sites file, normally `<userData>/sites.json`. */
  file: string;
  secrets: SecretStore;
  now?: () => Date;
  newId?: () => string;
}

export interface SearchResult {
  sites: Site[];
  folders: SiteFolder[];
}

export class SiteStore {
  private cache: Promise<SiteTree> | undefined;
  private noticeValue: StoreNotice | undefined;
  private readonly listeners = new Set<(tree: SiteTree) => void>();
  private readonly now: () => Date;
  private readonly newId: () => string;

  constructor(private readonly options: SiteStoreOptions) {
    this.now = options.now ?? (() => new Date());
    this.newId = options.newId ?? randomUUID;
  }

  private load(): Promise<SiteTree> {
    this.cache ??= readVersionedJson<SiteTree>(this.options.file, {
      schemaVersion: SITES_SCHEMA_VERSION,
      parse: (data) => parseSiteTree(data),
      fallback: () => ({ folders: [], sites: [] }),
    }).then((result) => {
      this.noticeValue = result.notice;
      return result.value;
    });
    return this.cache;
  }

  /** Set when sites.json was unreadable and set aside at load (show it once). */
  async notice(): Promise<StoreNotice | undefined> {
    await this.load();
    return this.noticeValue;
  }

  /** The whole tree, folders and sites sorted by name. */
  async tree(): Promise<SiteTree> {
    const tree = await this.load();
    return {
      folders: [...tree.folders].sort(byName),
      sites: [...tree.sites].sort(byName),
    };
  }

  async getSite(id: string): Promise<Site> {
    const site = (await this.load()).sites.find((s) => s.id === id);
    if (!site) throw new SiteStoreError('Find site', `no site with id ${id}`);
    return site;
  }

  /** Sites whose name, host, user or comments match, plus folders whose name matches. */
  async search(query: string): Promise<SearchResult> {
    const tree = await this.tree();
    const needle = query.trim().toLowerCase();
    return {
      sites: tree.sites.filter((site) => siteMatches(site, query)),
      folders:
        needle === ''
          ? tree.folders
          : tree.folders.filter((f) => f.name.toLowerCase().includes(needle)),
    };
  }

  /** Folder names from the top to `folderId` (empty for the top level). */
  async folderPath(folderId: string | null): Promise<string[]> {
    const tree = await this.load();
    const names: string[] = [];
    let current = folderId;
    while (current !== null) {
      const folder = tree.folders.find((f) => f.id === current);
      if (!folder) break;
      names.unshift(folder.name);
      current = folder.parentId;
    }
    return names;
  }

  onChange(listener: (tree: SiteTree) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // ---- folders ----

  async createFolder(name: string, parentId: string | null = null): Promise<SiteFolder> {
    const clean = checkName(name, 'Create folder');
    const tree = await this.load();
    this.requireParent(tree, parentId, 'Create folder');
    const folder: SiteFolder = { id: this.newId(), parentId, name: clean };
    await this.save({ ...tree, folders: [...tree.folders, folder] });
    return folder;
  }

  /** The folder at `path` (names from the top), created with its parents where missing. */
  async ensureFolderPath(path: readonly string[]): Promise<string | null> {
    let parentId: string | null = null;
    for (const name of path) {
      const tree = await this.load();
      const existing = tree.folders.find((f) => f.parentId === parentId && f.name === name);
      parentId = existing ? existing.id : (await this.createFolder(name, parentId)).id;
    }
    return parentId;
  }

  async renameFolder(id: string, name: string): Promise<SiteFolder> {
    const clean = checkName(name, 'Rename folder');
    const tree = await this.load();
    const folder = this.requireFolder(tree, id, 'Rename folder');
    const renamed = { ...folder, name: clean };
    await this.save({ ...tree, folders: tree.folders.map((f) => (f.id === id ? renamed : f)) });
    return renamed;
  }

  /** Deletes a folder with everything in it (sites' secrets too). */
  async deleteFolder(id: string): Promise<void> {
    const tree = await this.load();
    this.requireFolder(tree, id, 'Delete folder');
    const doomed = new Set([id, ...descendantFolders(tree, id)]);
    const doomedSites = tree.sites.filter((s) => s.parentId !== null && doomed.has(s.parentId));
    await this.save({
      folders: tree.folders.filter((f) => !doomed.has(f.id)),
      sites: tree.sites.filter((s) => !doomedSites.includes(s)),
    });
    for (const site of doomedSites) await this.options.secrets.deletePrefix(`site:${site.id}:`);
  }

  // ---- sites ----

  async createSite(input: SiteInput, secrets: SiteSecrets = {}): Promise<SaveSiteResult> {
    const errors = validateSite(input);
    const tree = await this.load();
    if (input.parentId !== null && !tree.folders.some((f) => f.id === input.parentId)) {
      errors.push({ field: 'parentId', message: 'The folder no longer exists.' });
    }
    if (errors.length > 0) return { ok: false, errors };
    const stamp = this.now().toISOString();
    const site: Site = {
      ...normalizeInput(input),
      id: this.newId(),
      hasPassword: false,
      createdAt: stamp,
      updatedAt: stamp,
    };
    await this.save({ ...tree, sites: [...tree.sites, site] });
    return this.storeSecrets(site, effectiveSecrets(site, secrets));
  }

  async updateSite(
    id: string,
    input: SiteInput,
    secrets: SiteSecrets = {},
  ): Promise<SaveSiteResult> {
    const errors = validateSite(input);
    const tree = await this.load();
    const existing = this.requireSite(tree, id, 'Save site');
    if (input.parentId !== null && !tree.folders.some((f) => f.id === input.parentId)) {
      errors.push({ field: 'parentId', message: 'The folder no longer exists.' });
    }
    if (errors.length > 0) return { ok: false, errors };
    const site: Site = {
      ...normalizeInput(input),
      id,
      hasPassword: existing.hasPassword,
      createdAt: existing.createdAt,
      updatedAt: this.now().toISOString(),
    };
    await this.replaceSite(site);
    const effective = effectiveSecrets(site, secrets);
    // A password entered for one place is never released to another: moving the site drops it.
    const moved = changedBindingFields(existing, site);
    if (moved.length === 0 || effective.password !== undefined) {
      return this.storeSecrets(site, effective);
    }
    const result = await this.storeSecrets(site, { ...effective, password: null });
    if (!result.ok || !existing.hasPassword) return result;
    const dropped =
      `removed because the ${joinWords(moved)} changed; ` +
      'enter it again to save it for the new connection.';
    return {
      ...result,
      secretsWarning: result.secretsWarning ? `${dropped} ${result.secretsWarning}` : dropped,
    };
  }

  async renameSite(id: string, name: string): Promise<Site> {
    const clean = checkName(name, 'Rename site');
    const tree = await this.load();
    const site = {
      ...this.requireSite(tree, id, 'Rename site'),
      name: clean,
      updatedAt: this.now().toISOString(),
    };
    await this.replaceSite(site);
    return site;
  }

  /** A copy next to the original, named "<name> (copy)", with the same secrets. */
  async duplicateSite(id: string): Promise<Site> {
    const tree = await this.load();
    const original = this.requireSite(tree, id, 'Duplicate site');
    const siblings = new Set(
      tree.sites.filter((s) => s.parentId === original.parentId).map((s) => s.name),
    );
    let name = `${original.name} (copy)`;
    for (let n = 2; siblings.has(name); n++) name = `${original.name} (copy ${n})`;
    const stamp = this.now().toISOString();
    const copy: Site = { ...original, id: this.newId(), name, createdAt: stamp, updatedAt: stamp };
    await this.save({ ...tree, sites: [...tree.sites, copy] });
    for (const kind of ['password', 'password-target', 'client-cert-passphrase'] as const) {
      const value = await this.options.secrets.get(secretKey(id, kind));
      if (value !== undefined) await this.options.secrets.set(secretKey(copy.id, kind), value);
    }
    return copy;
  }

  async deleteSite(id: string): Promise<void> {
    const tree = await this.load();
    this.requireSite(tree, id, 'Delete site');
    await this.save({ ...tree, sites: tree.sites.filter((s) => s.id !== id) });
    await this.options.secrets.deletePrefix(`site:${id}:`);
  }

  /** Moves a site or a folder into `parentId` (null: top level). Refuses to move a folder into itself. */
  async move(id: string, parentId: string | null): Promise<void> {
    const tree = await this.load();
    this.requireParent(tree, parentId, 'Move');
    const site = tree.sites.find((s) => s.id === id);
    if (site) {
      await this.replaceSite({ ...site, parentId, updatedAt: this.now().toISOString() });
      return;
    }
    const folder = this.requireFolder(tree, id, 'Move');
    if (parentId !== null && (parentId === id || descendantFolders(tree, id).includes(parentId))) {
      throw new SiteStoreError('Move', `cannot move the folder "${folder.name}" into itself`);
    }
    await this.save({
      ...tree,
      folders: tree.folders.map((f) => (f.id === id ? { ...f, parentId } : f)),
    });
  }

  /** Stores, replaces or deletes a site's secrets; keeps `hasPassword` in step. */
  async storeSecrets(site: Site, secrets: SiteSecrets): Promise<SaveSiteResult> {
    const store = this.options.secrets;
    let secretsWarning: string | undefined;
    let hasPassword = site.hasPassword;
    for (const [kind, value] of [
      ['password', secrets.password],
      ['client-cert-passphrase', secrets.clientCertPassphrase],
    ] as const) {
      if (value === undefined) continue;
      const key = secretKey(site.id, kind);
      const targetKey = secretKey(site.id, 'password-target');
      if (value === null || value === '') {
        await store.delete(key);
        if (kind === 'password') {
          hasPassword = false;
          await store.delete(targetKey);
        }
      } else if (store.available()) {
        await store.set(key, value);
        if (kind === 'password') {
          hasPassword = true;
          await store.set(targetKey, passwordTarget(site));
        }
      } else {
        await store.delete(key);
        if (kind === 'password') {
          hasPassword = false;
          await store.delete(targetKey);
        }
        secretsWarning = `Not saved: ${store.unavailableReason() ?? 'no keychain'}.`;
      }
    }
    const next = hasPassword === site.hasPassword ? site : { ...site, hasPassword };
    if (next !== site) await this.replaceSite(next);
    return secretsWarning ? { ok: true, site: next, secretsWarning } : { ok: true, site: next };
  }

  private async replaceSite(site: Site): Promise<void> {
    const tree = await this.load();
    await this.save({ ...tree, sites: tree.sites.map((s) => (s.id === site.id ? site : s)) });
  }

  private requireSite(tree: SiteTree, id: string, step: string): Site {
    const site = tree.sites.find((s) => s.id === id);
    if (!site) throw new SiteStoreError(step, `no site with id ${id}`);
    return site;
  }

  private requireParent(tree: SiteTree, id: string | null, step: string): void {
    if (id !== null) this.requireFolder(tree, id, step);
  }

  private requireFolder(tree: SiteTree, id: string, step: string): SiteFolder {
    const folder = tree.folders.find((f) => f.id === id);
    if (!folder) throw new SiteStoreError(step, `no folder with id ${id}`);
    return folder;
  }

  private async save(tree: SiteTree): Promise<void> {
    this.cache = Promise.resolve(tree);
    await writeVersionedJson(this.options.file, SITES_SCHEMA_VERSION, tree);
    for (const listener of this.listeners) listener(tree);
  }
}

function joinWords(words: string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1] ?? ''}`;
}

function byName(a: { name: string }, b: { name: string }): number {
  return a.name.localeCompare(b.name, undefined, { sensitivity: 'base', numeric: true });
}

function checkName(name: string, step: string): string {
  const clean = name.trim();
  if (clean === '') throw new SiteStoreError(step, 'the name is empty');
  if (clean.length > 200) throw new SiteStoreError(step, 'the name is longer than 200 characters');
  return clean;
}

function normalizeInput(input: SiteInput): SiteInput {
  return {
    ...input,
    name: input.name.trim(),
    host: input.host.trim(),
    user: input.logonType === 'anonymous' ? '' : input.user,
  };
}

/** Anonymous and ask-each-time sites keep no password; a passphrase only where the certificate has one. */
function effectiveSecrets(site: Site, secrets: SiteSecrets): SiteSecrets {
  const effective: SiteSecrets = { ...secrets };
  if (site.logonType !== 'normal') effective.password = null;
  if (!site.clientCertificate?.hasPassphrase) effective.clientCertPassphrase = null;
  return effective;
}

function descendantFolders(tree: SiteTree, id: string): string[] {
  const found: string[] = [];
  const queue = [id];
  while (queue.length > 0) {
    const parent = queue.shift();
    for (const folder of tree.folders) {
      if (folder.parentId === parent && !found.includes(folder.id)) {
        found.push(folder.id);
        queue.push(folder.id);
      }
    }
  }
  return found;
}
