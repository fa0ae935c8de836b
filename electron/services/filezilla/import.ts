/**
 * One entry point for every import: FileZilla `sitemanager.xml` (or a site-manager export),
 * FileZilla `trustedcerts.xml`, and Ferry's own JSON export. `readImport` parses without writing
 * (the dry run); `applyImport` adds the folders, sites, secrets and pins to the stores.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { DuplicateChoice, ImportReport } from '../../../shared/sites';
import { FerryError } from '../../engine/errors';
import { localFsError } from '../../files/local-fs-error';
import type { PinnedCertificate } from '../../engine/types';
import type { PersistentPinStore } from '../pins/pin-store';
import type { SaveSiteResult, SiteStore } from '../sites/site-store';
import { findDuplicate, folderNames, freeSiteName } from './duplicates';
import { isFerryExport, parseFerryExport } from './ferry-json';
import {
  FileZillaFormatError,
  parseSiteManager,
  type ParsedSiteManager,
  type PendingSite,
} from './sitemanager';
import { isTrustedCertsXml, parseTrustedCerts } from './trustedcerts';

export type ImportKind = 'filezilla-sites' | 'filezilla-trusted-certs' | 'ferry-json';

/** A parsed import: the report to show, and what `applyImport` writes. Secrets stay in here. */
export interface PendingImport {
  kind: ImportKind;
  report: ImportReport;
  sites: PendingSite[];
  pins: PinnedCertificate[];
  passphrases: Map<PendingSite, string>;
}

function fromSites(
  kind: ImportKind,
  source: string,
  parsed: ParsedSiteManager,
  passphrases = new Map<PendingSite, string>(),
): PendingImport {
  return {
    kind,
    report: {
      source,
      folders: parsed.folders.map((path) => ({ path })),
      sites: parsed.sites.map((site) => site.summary),
      skipped: parsed.skipped,
      pins: [],
      notes: parsed.notes,
      applied: false,
    },
    sites: parsed.sites,
    pins: [],
    passphrases,
  };
}

/** Parses import text, recognizing its kind. Throws FerryError (usage) for unknown content. */
export function parseImport(text: string, source: string, now = new Date()): PendingImport {
  const step = `Import ${source}`;
  const trimmed = text.replace(/^\uFEFF/, '').trimStart();
  try {
    if (trimmed.startsWith('{')) {
      const raw: unknown = JSON.parse(trimmed);
      if (!isFerryExport(raw)) throw new Error('this JSON file is not a Ferry site export');
      const parsed = parseFerryExport(raw);
      return fromSites('ferry-json', source, parsed, parsed.passphrases);
    }
    if (isTrustedCertsXml(trimmed)) {
      const certs = parseTrustedCerts(trimmed, now);
      return {
        kind: 'filezilla-trusted-certs',
        report: {
          source,
          folders: [],
          sites: [],
          skipped: certs.skipped,
          pins: certs.summaries,
          notes: [],
          applied: false,
        },
        sites: [],
        pins: certs.pins,
        passphrases: new Map(),
      };
    }
    return fromSites('filezilla-sites', source, parseSiteManager(trimmed));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new FerryError(
      { kind: 'usage', step, reason },
      { cause: error instanceof FileZillaFormatError ? undefined : error },
    );
  }
}

/** Reads and parses an import file (nothing is written). */
export async function readImport(file: string, now = new Date()): Promise<PendingImport> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw localFsError('Read import file', file, error);
  }
  return parseImport(text, basename(file), now);
}

export interface ApplyImportOptions {
  sites: SiteStore;
  /** Where pins go; without it, pins in the import are reported but not stored. */
  pins?: PersistentPinStore;
  /** Put everything under this folder path (e.g. ["Imported from FileZilla"]). */
  intoFolder?: string[];
  /** Sites matching one already there (see duplicates.ts): skipped unless told otherwise. */
  duplicates?: DuplicateChoice;
}

/**
 * Writes a parsed import into the stores. Passwords go to the secret store when it is available;
 * otherwise the site is kept and the report says the password will be asked for at connect time.
 */
export async function applyImport(
  pending: PendingImport,
  options: ApplyImportOptions,
): Promise<ImportReport> {
  const prefix = options.intoFolder ?? [];
  const report: ImportReport = {
    ...pending.report,
    sites: pending.report.sites.map((site) => ({ ...site, notes: [...site.notes] })),
    notes: [...pending.report.notes],
    applied: true,
  };
  for (const path of pending.report.folders)
    await options.sites.ensureFolderPath([...prefix, ...path.path]);
  const choice = options.duplicates ?? 'skip';
  for (const [index, site] of pending.sites.entries()) {
    const summary = report.sites[index] ?? { ...site.summary, notes: [...site.summary.notes] };
    const folder = [...prefix, ...site.folder];
    const tree = await options.sites.tree();
    const match = findDuplicate(site.summary, folder, tree);
    summary.passwordStored = false;
    if (match) {
      summary.duplicateOf = {
        name: match.site.name,
        folder: folderNames(tree, match.site.parentId),
        reason: match.reason,
      };
      if (choice === 'skip') {
        summary.outcome = 'skipped';
        continue;
      }
    }
    const passphrase = pending.passphrases.get(site);
    const secrets = {
      ...(site.password !== undefined ? { password: site.password } : {}),
      ...(passphrase !== undefined ? { clientCertPassphrase: passphrase } : {}),
    };
    let saved: SaveSiteResult;
    if (match && choice === 'replace') {
      // The existing site keeps its place in the tree; everything else comes from the file.
      saved = await options.sites.updateSite(
        match.site.id,
        { ...site.input, parentId: match.site.parentId },
        secrets,
      );
      summary.outcome = 'replaced';
    } else {
      const parentId = await options.sites.ensureFolderPath(folder);
      const name = match
        ? freeSiteName(site.input.name, parentId, await options.sites.tree())
        : site.input.name;
      saved = await options.sites.createSite({ ...site.input, name, parentId }, secrets);
      summary.outcome = match ? 'kept-both' : 'added';
      if (name !== site.input.name) summary.notes.push(`Saved as "${name}".`);
    }
    if (!saved.ok) {
      summary.outcome = 'failed';
      summary.notes.push(`Not saved: ${saved.errors.map((e) => e.message).join(' ')}`);
      continue;
    }
    // What the secret store holds now, not what the file had.
    summary.passwordStored = saved.site.hasPassword;
    if (saved.secretsWarning && site.password !== undefined) {
      summary.notes.push(
        `Password not stored (${saved.secretsWarning}) Ferry will ask for it at connect time.`,
      );
    }
  }
  if (pending.pins.length > 0) {
    if (options.pins) {
      for (const pin of pending.pins) await options.pins.set(pin);
    } else {
      report.notes.push('Certificates were read but not stored (no pin store given).');
    }
  }
  return report;
}
