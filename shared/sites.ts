/**
 * Saved sites, folders of sites, import reports and application settings: the types the site
 * manager, the settings page and the importer share, plus pure validation and defaults.
 * Pure code only (no Node, no Electron, no DOM).
 */
import {
  LIST_COMMANDS,
  type DataProtection,
  type ListCommand,
  type SecurityMode,
  type TlsVersion,
  TLS_VERSIONS,
} from './models';
import { SETTINGS_LIMITS } from './settings-limits';

/** How the password is obtained: stored (normal), asked at each connect, or anonymous login. */
export type LogonType = 'normal' | 'ask' | 'anonymous';

export type SiteColour =
  'none' | 'red' | 'green' | 'blue' | 'yellow' | 'cyan' | 'magenta' | 'orange';
export const SITE_COLOURS: readonly SiteColour[] = [
  'none',
  'red',
  'green',
  'blue',
  'yellow',
  'cyan',
  'magenta',
  'orange',
];

/** A client certificate: a PEM certificate and key pair, or a PKCS#12 file. Paths are local. */
export type ClientCertificateRef =
  | { kind: 'pem'; certFile: string; keyFile: string; hasPassphrase: boolean }
  | { kind: 'pfx'; pfxFile: string; hasPassphrase: boolean };

/**
 * A saved site. Secrets (password, client-certificate passphrase) never live here: they are in the
 * secret store under `secretKey(site.id, ...)`; `hasPassword` only says whether one was stored.
 */
export interface Site {
  id: string;
  /** The folder this site is in; `null` at the top level. */
  parentId: string | null;
  name: string;
  host: string;
  port: number;
  mode: SecurityMode;
  logonType: LogonType;
  user: string;
  /** A password is stored in the secret store for this site. */
  hasPassword: boolean;
  tlsMin: TlsVersion;
  tlsMax: TlsVersion;
  /** Passive (EPSV/PASV) or active (EPRT/PORT) data connections. */
  transferMode: 'passive' | 'active';
  dataProtection: DataProtection;
  ccc: boolean;
  /** How folders are listed (MLSD when offered, or forced MLSD/LIST). */
  listCommand: ListCommand;
  clientCertificate: ClientCertificateRef | null;
  /** A PEM file of extra CA certificates trusted for this site. */
  caFile: string | null;
  /** Simultaneous connections for transfers, 1–10; `null` uses the settings default. */
  maxConnections: number | null;
  /** Large downloads (64 MiB and up) split over several of those connections (REST ranges). */
  segmentedDownloads: boolean;
  localDir: string;
  remoteDir: string;
  comments: string;
  colour: SiteColour;
  createdAt: string;
  updatedAt: string;
}

export interface SiteFolder {
  id: string;
  parentId: string | null;
  name: string;
}

/** The whole tree, flat: every folder and site names its parent. Order within a parent is by name. */
export interface SiteTree {
  folders: SiteFolder[];
  sites: Site[];
}

/** What the dialog sends to create or update a site (ids, timestamps and `hasPassword` are the store's). */
export type SiteInput = Omit<Site, 'id' | 'createdAt' | 'updatedAt' | 'hasPassword'>;

/** Secrets that travel with a save, once, and are put in the secret store (never in sites.json). */
export interface SiteSecrets {
  /** `undefined` leaves the stored password alone; `null` deletes it. */
  password?: string | null;
  clientCertPassphrase?: string | null;
}

/** `password-target`: where the stored password may go (see `passwordTarget`). */
export type SecretKind = 'password' | 'client-cert-passphrase' | 'password-target';

/**
 * The fields a stored password is bound to. Changing any of them in a saved site drops the
 * password, so a site pointed somewhere else (by the user or by a compromised renderer) never
 * hands the old password to the new place. The CA file is here because a new CA lets another
 * certificate pass for the same host.
 */
export const PASSWORD_BINDING_FIELDS = ['host', 'port', 'user', 'mode', 'caFile'] as const;

const BINDING_LABELS: Record<(typeof PASSWORD_BINDING_FIELDS)[number], string> = {
  host: 'host',
  port: 'port',
  user: 'user',
  mode: 'security mode',
  caFile: 'trusted CA file',
};

/** Where a stored password may be sent: one string made of the binding fields. */
export function passwordTarget(site: Pick<Site, (typeof PASSWORD_BINDING_FIELDS)[number]>): string {
  return JSON.stringify([
    site.mode,
    site.host.trim().toLowerCase(),
    site.port,
    site.user,
    site.caFile,
  ]);
}

/** The binding fields that differ between two versions of a site, as words for the UI. */
export function changedBindingFields(
  before: Pick<Site, (typeof PASSWORD_BINDING_FIELDS)[number]>,
  after: Pick<Site, (typeof PASSWORD_BINDING_FIELDS)[number]>,
): string[] {
  return PASSWORD_BINDING_FIELDS.filter((field) =>
    field === 'host'
      ? before.host.trim().toLowerCase() !== after.host.trim().toLowerCase()
      : before[field] !== after[field],
  ).map((field) => BINDING_LABELS[field]);
}

/** The key of a site's secret in the secret store. */
export function secretKey(siteId: string, kind: SecretKind): string {
  return `site:${siteId}:${kind}`;
}

export interface FieldError {
  field:
    | keyof SiteInput
    | 'clientCertificate.certFile'
    | 'clientCertificate.keyFile'
    | 'clientCertificate.pfxFile';
  message: string;
}

export function defaultSiteInput(parentId: string | null = null): SiteInput {
  return {
    parentId,
    name: 'New site',
    host: '',
    port: 21,
    mode: 'explicit',
    logonType: 'normal',
    user: '',
    tlsMin: '1.2',
    tlsMax: '1.3',
    transferMode: 'passive',
    dataProtection: 'P',
    ccc: false,
    listCommand: 'auto',
    clientCertificate: null,
    caFile: null,
    maxConnections: null,
    segmentedDownloads: true,
    localDir: '',
    remoteDir: '',
    comments: '',
    colour: 'none',
  };
}

const SECURITY_MODES: readonly SecurityMode[] = [
  'explicit',
  'explicit-if-available',
  'implicit',
  'plain',
];
const LOGON_TYPES: readonly LogonType[] = ['normal', 'ask', 'anonymous'];

/** A host name (RFC 1123 labels), an IPv4 address, or an IPv6 address with or without brackets. */
export function hostSyntaxError(host: string): string | undefined {
  if (host.length === 0) return 'Enter the server name or address.';
  if (host !== host.trim()) return 'The host must not start or end with spaces.';
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(host)) {
    return 'Enter only the host name, without ftp:// or ftps:// (choose the security mode below).';
  }
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (bare.includes(':')) {
    return /^[0-9a-f:.]+(%[\w.-]+)?$/i.test(bare) && (bare.match(/::/g) ?? []).length <= 1
      ? undefined
      : `"${host}" is not a valid IPv6 address.`;
  }
  if (/^[\d.]+$/.test(bare)) {
    const parts = bare.split('.');
    const valid =
      parts.length === 4 && parts.every((part) => /^\d{1,3}$/.test(part) && Number(part) <= 255);
    return valid ? undefined : `"${host}" is not a valid IPv4 address.`;
  }
  if (bare.length > 253) return 'The host name is longer than 253 characters.';
  const labels = bare.replace(/\.$/, '').split('.');
  for (const label of labels) {
    if (!/^[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?$/i.test(label)) {
      return `"${host}" is not a valid host name (letters, digits, hyphens and dots only).`;
    }
  }
  return undefined;
}

/**
 * Checks a site's fields. Pure: whether files exist is checked on the Node side
 * (`checkSiteFiles` in electron/services/sites), which returns errors of the same shape.
 */
export function validateSite(site: SiteInput): FieldError[] {
  const errors: FieldError[] = [];
  const add = (field: FieldError['field'], message: string): void => {
    errors.push({ field, message });
  };
  if (site.name.trim().length === 0) add('name', 'Give the site a name.');
  else if (site.name.length > 200) add('name', 'The name is longer than 200 characters.');
  const hostError = hostSyntaxError(site.host);
  if (hostError) add('host', hostError);
  if (!Number.isInteger(site.port) || site.port < 1 || site.port > 65535) {
    add('port', 'The port must be a whole number from 1 to 65535.');
  }
  if (!SECURITY_MODES.includes(site.mode))
    add('mode', `Unknown security mode "${String(site.mode)}".`);
  if (!LOGON_TYPES.includes(site.logonType)) {
    add('logonType', `Unknown logon type "${String(site.logonType)}".`);
  }
  if (site.logonType !== 'anonymous' && site.user.trim().length === 0) {
    add('user', 'Enter a user name, or choose anonymous logon.');
  }
  if (/[\r\n]/.test(site.user)) add('user', 'The user name must not contain line breaks.');
  if (!TLS_VERSIONS.includes(site.tlsMin)) add('tlsMin', 'TLS minimum must be 1.2 or 1.3.');
  if (!TLS_VERSIONS.includes(site.tlsMax)) add('tlsMax', 'TLS maximum must be 1.2 or 1.3.');
  if (site.tlsMin === '1.3' && site.tlsMax === '1.2') {
    add('tlsMax', 'The TLS maximum version is below the minimum.');
  }
  if (site.transferMode !== 'passive' && site.transferMode !== 'active') {
    add('transferMode', 'Choose passive or active.');
  }
  if (!LIST_COMMANDS.includes(site.listCommand)) {
    add('listCommand', 'The listing command is auto, MLSD, LIST or LIST without -a.');
  }
  if (site.dataProtection !== 'P' && site.dataProtection !== 'C') {
    add('dataProtection', 'Data protection is P (private) or C (clear).');
  }
  if (site.mode === 'plain') {
    if (site.ccc) add('ccc', 'CCC needs a TLS connection; plain FTP has none.');
    if (site.clientCertificate) add('clientCertificate', 'A client certificate needs TLS.');
  }
  const cert = site.clientCertificate;
  if (cert?.kind === 'pem') {
    if (cert.certFile.trim() === '')
      add('clientCertificate.certFile', 'Choose the certificate file.');
    if (cert.keyFile.trim() === '')
      add('clientCertificate.keyFile', 'Choose the private key file.');
  } else if (cert?.kind === 'pfx' && cert.pfxFile.trim() === '') {
    add('clientCertificate.pfxFile', 'Choose the PKCS#12 (.p12/.pfx) file.');
  }
  if (site.caFile !== null && site.caFile.trim() === '')
    add('caFile', 'Choose the CA file or clear it.');
  if (
    site.maxConnections !== null &&
    (!Number.isInteger(site.maxConnections) ||
      site.maxConnections < SETTINGS_LIMITS.connections.min ||
      site.maxConnections > SETTINGS_LIMITS.connections.max)
  ) {
    const { min, max } = SETTINGS_LIMITS.connections;
    add('maxConnections', `Maximum connections must be a whole number from ${min} to ${max}.`);
  }
  if (
    site.remoteDir !== '' &&
    !site.remoteDir.startsWith('/') &&
    !/^[A-Za-z]:[\\/]/.test(site.remoteDir)
  ) {
    add('remoteDir', 'The remote folder must be an absolute path (starting with /).');
  }
  if (/[\r\n\0]/.test(site.remoteDir)) add('remoteDir', 'The remote folder contains a line break.');
  if (site.comments.length > 10_000) add('comments', 'Comments are limited to 10,000 characters.');
  if (!SITE_COLOURS.includes(site.colour))
    add('colour', `Unknown colour "${String(site.colour)}".`);
  return errors;
}

/** Case-insensitive search over name, host, user and comments; also matches folder names. */
export function siteMatches(site: Site, query: string): boolean {
  const needle = query.trim().toLowerCase();
  if (needle === '') return true;
  return [site.name, site.host, site.user, site.comments].some((text) =>
    text.toLowerCase().includes(needle),
  );
}

// ---- Import ---------------------------------------------------------------------------------

export interface ImportedFolder {
  /** Folder names from the top, e.g. ["Clients", "Acme"]. */
  path: string[];
}

export interface ImportedSite {
  /** Folder names from the top. */
  folder: string[];
  name: string;
  host: string;
  port: number;
  mode: SecurityMode;
  logonType: LogonType;
  user: string;
  remoteDir: string;
  localDir: string;
  /** A password came along (plain or base64 in the file). */
  passwordIncluded: boolean;
  transferMode: 'passive' | 'active';
  maxConnections: number | null;
  comments: string;
  colour: SiteColour;
  /** Things the user should know about this site (e.g. password protected by a master password). */
  notes: string[];
  /** A site already in Ferry that this one matches (same server and user, or same name). */
  duplicateOf?: { name: string; folder: string[]; reason: 'same-server' | 'same-name' };
  /** After applying: what became of this site. */
  outcome?: ImportOutcome;
  /** After applying: a password is in the secret store for it (not just in the file). */
  passwordStored?: boolean;
}

/** What to do with an imported site that matches one already in Ferry. */
export type DuplicateChoice = 'skip' | 'replace' | 'keep-both';
export const DUPLICATE_CHOICES: readonly DuplicateChoice[] = ['skip', 'replace', 'keep-both'];

export type ImportOutcome = 'added' | 'replaced' | 'kept-both' | 'skipped' | 'failed';

export interface SkippedEntry {
  folder: string[];
  name: string;
  /** Why it was not imported. */
  reason: string;
}

export interface ImportedPin {
  host: string;
  port: number;
  fingerprint256: string;
  subject: string;
  validTo: string;
}

export interface ImportReport {
  source: string;
  folders: ImportedFolder[];
  sites: ImportedSite[];
  skipped: SkippedEntry[];
  pins: ImportedPin[];
  /** File-level remarks (e.g. bookmarks ignored). */
  notes: string[];
  /** False for a dry run: nothing was written. */
  applied: boolean;
}

/** A notice the UI shows once, e.g. "settings.json was unreadable and was set aside". */
export interface StoreNotice {
  file: string;
  /** Where the unreadable file was moved. */
  setAsideAs: string;
  reason: string;
}

// ---- IPC shapes of the site manager and settings ---------------------------------------------

/** Secrets for one connection: from the store, or typed by the user at connect time. */
export interface ConnectSecrets {
  password?: string;
  clientCertPassphrase?: string;
}

export type SecretField = 'password' | 'clientCertPassphrase';

/** What the UI must ask for before connecting, and why (shown in the prompt). */
export interface CredentialPrompt {
  siteId: string;
  fields: SecretField[];
  reason: string;
}

/** Whether passwords can be saved on this machine, and why not. */
export interface SecretsStatus {
  available: boolean;
  reason?: string;
}

/** One row of the settings page's pinned-certificates list. */
export interface PinSummary {
  host: string;
  port: number;
  subject: string;
  issuer: string;
  fingerprint256: string;
  validTo: string;
  expired: boolean;
  pinnedAt: string;
}
