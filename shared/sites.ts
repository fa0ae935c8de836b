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
} from './models';
import { FILE_EXISTS_ACTIONS, type FileExistsAction } from './transfers';
import { defaultLayout, layoutProblems, type Layout } from './layout';

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

export function defaultPortFor(mode: SecurityMode): number {
  return mode === 'implicit' ? 990 : 21;
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
const TLS_VERSIONS: readonly TlsVersion[] = ['1.2', '1.3'];

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
    (!Number.isInteger(site.maxConnections) || site.maxConnections < 1 || site.maxConnections > 10)
  ) {
    add('maxConnections', 'Maximum connections must be a whole number from 1 to 10.');
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

// ---- Settings -------------------------------------------------------------------------------

export type Theme = 'system' | 'light' | 'dark';

export interface Settings {
  /** Simultaneous transfers, 1–10. */
  transferConcurrency: number;
  fileExists: { upload: FileExistsAction; download: FileExistsAction };
  /** NOOP after this many seconds of idle control connection; 0 disables. */
  keepaliveSeconds: number;
  timeouts: { connectSeconds: number; replySeconds: number; dataIdleSeconds: number };
  defaultTlsMin: TlsVersion;
  showHiddenFiles: boolean;
  theme: Theme;
  confirm: {
    deleteRemote: boolean;
    deleteLocal: boolean;
    disconnectWithTransfers: boolean;
    quitWithTransfers: boolean;
  };
  /** Splitters, column widths and sort per pane, as the user left them. */
  layout: Layout;
}

export const SETTINGS_SCHEMA_VERSION = 1;

const DEFAULTS: Settings = {
  transferConcurrency: 2,
  fileExists: { upload: 'ask', download: 'ask' },
  keepaliveSeconds: 30,
  timeouts: { connectSeconds: 20, replySeconds: 30, dataIdleSeconds: 60 },
  defaultTlsMin: '1.2',
  showHiddenFiles: false,
  theme: 'system',
  confirm: {
    deleteRemote: true,
    deleteLocal: true,
    disconnectWithTransfers: true,
    quitWithTransfers: true,
  },
  layout: defaultLayout(),
};

export const DEFAULT_SETTINGS: Readonly<Settings> = Object.freeze(DEFAULTS);

export interface SettingsError {
  field: string;
  message: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function wholeIn(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

/** Checks a complete settings object (e.g. one read from disk or sent by the renderer). */
export function validateSettings(value: unknown): SettingsError[] {
  const errors: SettingsError[] = [];
  const add = (field: string, message: string): void => {
    errors.push({ field, message });
  };
  if (!isRecord(value)) return [{ field: '', message: 'Settings must be an object.' }];
  if (!wholeIn(value.transferConcurrency, 1, 10)) {
    add('transferConcurrency', 'Simultaneous transfers must be a whole number from 1 to 10.');
  }
  const fileExists = value.fileExists;
  if (!isRecord(fileExists)) add('fileExists', 'Missing file-exists defaults.');
  else {
    for (const side of ['upload', 'download'] as const) {
      if (!FILE_EXISTS_ACTIONS.includes(fileExists[side] as FileExistsAction)) {
        add(`fileExists.${side}`, `Unknown file-exists action "${String(fileExists[side])}".`);
      }
    }
  }
  if (!wholeIn(value.keepaliveSeconds, 0, 3600)) {
    add('keepaliveSeconds', 'Keepalive must be 0 (off) to 3600 seconds.');
  }
  const timeouts = value.timeouts;
  if (!isRecord(timeouts)) add('timeouts', 'Missing timeouts.');
  else {
    for (const key of ['connectSeconds', 'replySeconds', 'dataIdleSeconds'] as const) {
      if (!wholeIn(timeouts[key], 1, 3600))
        add(`timeouts.${key}`, 'Timeouts are 1 to 3600 seconds.');
    }
  }
  if (!TLS_VERSIONS.includes(value.defaultTlsMin as TlsVersion)) {
    add('defaultTlsMin', 'The default TLS minimum is 1.2 or 1.3.');
  }
  if (typeof value.showHiddenFiles !== 'boolean') add('showHiddenFiles', 'Must be true or false.');
  if (value.theme !== 'system' && value.theme !== 'light' && value.theme !== 'dark') {
    add('theme', 'Theme is system, light or dark.');
  }
  const confirm = value.confirm;
  if (!isRecord(confirm)) add('confirm', 'Missing confirmation settings.');
  else {
    for (const key of Object.keys(DEFAULT_SETTINGS.confirm)) {
      if (typeof confirm[key] !== 'boolean') add(`confirm.${key}`, 'Must be true or false.');
    }
  }
  for (const problem of layoutProblems(value.layout)) add('layout', problem);
  return errors;
}

/** A deep partial used to change some settings at once. */
export type SettingsPatch = {
  [K in keyof Settings]?: Settings[K] extends object ? Partial<Settings[K]> : Settings[K];
};

export function applySettingsPatch(current: Settings, patch: SettingsPatch): Settings {
  return {
    ...current,
    ...patch,
    fileExists: { ...current.fileExists, ...patch.fileExists },
    timeouts: { ...current.timeouts, ...patch.timeouts },
    confirm: { ...current.confirm, ...patch.confirm },
    layout: { ...current.layout, ...patch.layout },
  };
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
