import { join } from 'node:path';
import {
  DUPLICATE_CHOICES,
  type DuplicateChoice,
  type ImportReport,
  type ImportedSite,
} from '../../../shared/sites';
import { usageError } from '../args';
import type { CommandDefinition } from '../command';
import type { CliIo } from '../io';
import { printable } from '../format';
import { resolveUserPath } from '../user-path';
import { markDuplicates } from '../../services/filezilla/duplicates';
import { applyImport, readImport } from '../../services/filezilla/import';
import { PersistentPinStore } from '../../services/pins/pin-store';
import { UnavailableSecretStore } from '../../services/secrets/secret-store';
import { SiteStore } from '../../services/sites/site-store';

/** The app's user-data folder (Electron's `userData` for the product name "Ferry"). */
export function defaultDataDir(
  io: Pick<CliIo, 'env'>,
  platform: NodeJS.Platform = process.platform,
): string {
  const env = io.env;
  if (env.FERRY_DATA_DIR) return env.FERRY_DATA_DIR;
  const home = env.HOME ?? env.USERPROFILE ?? '.';
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Ferry');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Ferry');
  return join(env.XDG_CONFIG_HOME ?? join(home, '.config'), 'Ferry');
}

const OUTCOME_WORDS: Record<NonNullable<ImportedSite['outcome']>, string> = {
  added: 'added',
  replaced: 'replaced the existing site',
  'kept-both': 'added next to the existing site',
  skipped: 'skipped (already in Ferry)',
  failed: 'not saved',
};

/** Says where the password is: in the file (dry run), or in the secret store (applied). */
function passwordWord(site: ImportedSite, applied: boolean): string {
  if (!site.passwordIncluded) return applied && site.passwordStored ? 'stored' : 'no';
  if (!applied) return 'in the file';
  return site.passwordStored ? 'stored' : 'in the file, not stored';
}

export function formatImportReport(report: ImportReport, dataDir?: string): string {
  const lines: string[] = [];
  lines.push(
    report.applied
      ? `Imported from ${report.source}${dataDir ? ` into ${dataDir}` : ''}`
      : `Would import from ${report.source} (dry run: nothing written)`,
  );
  if (report.folders.length > 0) {
    lines.push('', 'Folders:');
    for (const folder of report.folders) lines.push(`  ${printable(folder.path.join('/'))}`);
  }
  if (report.sites.length > 0) {
    lines.push('', 'Sites:');
    for (const site of report.sites) {
      const name = printable([...site.folder, site.name].join('/'));
      const user =
        site.logonType === 'anonymous' ? 'anonymous' : `user ${printable(site.user || '-')}`;
      const password =
        site.logonType === 'ask'
          ? 'password: asked at connect'
          : site.logonType === 'anonymous'
            ? 'password: none'
            : `password: ${passwordWord(site, report.applied)}`;
      lines.push(
        `  ${name}  ${printable(site.host)}:${site.port}  ${site.mode}  ${user}  remote ${site.remoteDir ? printable(JSON.stringify(site.remoteDir)) : '-'}  ${password}`,
      );
      if (site.duplicateOf) {
        const where = printable([...site.duplicateOf.folder, site.duplicateOf.name].join('/'));
        const why =
          site.duplicateOf.reason === 'same-server' ? 'same server and user' : 'same name';
        lines.push(`    already in Ferry: ${where} (${why})`);
      }
      if (site.outcome) lines.push(`    result: ${OUTCOME_WORDS[site.outcome]}`);
      for (const note of site.notes) lines.push(`    note: ${printable(note)}`);
    }
  }
  if (report.pins.length > 0) {
    lines.push('', 'Trusted certificates:');
    for (const pin of report.pins) {
      lines.push(
        `  ${printable(pin.host)}:${pin.port}  ${printable(pin.subject)}  expires ${printable(pin.validTo)}`,
        `    SHA-256 ${pin.fingerprint256}`,
      );
    }
  }
  if (report.skipped.length > 0) {
    lines.push('', 'Skipped:');
    for (const entry of report.skipped)
      lines.push(
        `  ${printable([...entry.folder, entry.name].join('/'))}: ${printable(entry.reason)}`,
      );
  }
  if (report.notes.length > 0) {
    lines.push('', 'Notes:');
    for (const note of report.notes) lines.push(`  ${printable(note)}`);
  }
  const count = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  lines.push(
    '',
    [
      count(report.sites.length, 'site'),
      count(report.folders.length, 'folder'),
      ...(report.pins.length > 0 ? [count(report.pins.length, 'certificate')] : []),
      `${report.skipped.length} skipped`,
    ].join(', '),
    '',
  );
  return lines.join('\n');
}

export const sitesCommand: CommandDefinition = {
  name: 'sites',
  synopsis: 'import <file>',
  summary: "import sites from FileZilla's sitemanager.xml, trustedcerts.xml or a Ferry export",
  details:
    'Reads a FileZilla site manager file (sitemanager.xml or an export of it), a FileZilla\n' +
    'trustedcerts.xml (pinned certificates) or a Ferry JSON export, prints what is imported\n' +
    '(folders, sites with host, port, mode, user, remote folder, whether a password came along)\n' +
    "and what is skipped and why, and adds it to the app's site list. SFTP and other protocols\n" +
    'are skipped. Passwords are not stored from the command line (the keychain belongs to the\n' +
    'app): Ferry asks for them at connect time.',
  options: [
    { long: 'dry-run', description: 'show what would be imported without writing anything' },
    {
      long: 'duplicates',
      value: 'skip|replace|keep-both',
      description: 'sites already in Ferry (same server and user, or same name): default skip',
    },
    {
      long: 'data-dir',
      value: 'DIR',
      description: "Ferry's data folder (default: the app's, or FERRY_DATA_DIR)",
    },
  ],
  args: { min: 2, max: 2 },
  async run(context) {
    const [action, file] = context.args;
    if (action !== 'import' || file === undefined)
      throw usageError('usage: ferry sites import <file>');
    const dataDirValue = context.options.values.get('data-dir');
    const dataDir =
      typeof dataDirValue === 'string'
        ? resolveUserPath(dataDirValue, context.io)
        : defaultDataDir(context.io);
    const dryRun = context.options.values.get('dry-run') === true;
    const duplicatesValue = context.options.values.get('duplicates') ?? 'skip';
    if (!DUPLICATE_CHOICES.includes(duplicatesValue as DuplicateChoice))
      throw usageError(`--duplicates must be one of ${DUPLICATE_CHOICES.join(', ')}`);
    const duplicates = duplicatesValue as DuplicateChoice;
    const pending = await readImport(resolveUserPath(file, context.io));
    const secrets = new UnavailableSecretStore(
      "the command line cannot reach the app's keychain; Ferry asks for the password at connect time",
    );
    const sites = new SiteStore({ file: join(dataDir, 'sites.json'), secrets });
    if (dryRun) {
      const preview = {
        ...pending.report,
        sites: markDuplicates(pending.report.sites, await sites.tree()),
      };
      return { result: { dryRun: true, ...preview }, text: formatImportReport(preview) };
    }
    const report = await applyImport(pending, {
      sites,
      pins: new PersistentPinStore(join(dataDir, 'pins.json')),
      duplicates,
    });
    return {
      result: { dryRun: false, dataDir, ...report },
      text: formatImportReport(report, dataDir),
    };
  },
};
