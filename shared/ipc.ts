/**
 * The one IPC contract between the renderer (untrusted) and the main process.
 *
 * Commands go renderer → main and resolve to a `Result`: a value or a typed, serializable error
 * (Electron keeps only the message of an error thrown in a handler, so errors travel as data).
 * Events go main → renderer; listeners receive the payload only.
 *
 * The preload exposes one frozen `FerryApi` object as `window.ferry`; the Playwright bridge
 * provides the same shape. The UI calls named functions, never channel strings.
 */
import type { FerryErrorDetail } from './errors';
import type { SecurityState } from './security';
import type {
  CertificateInfo,
  CertificateReport,
  DataConnectionRecord,
  LogLine,
  RemoteEntry,
  SecurityMode,
  TrustDecision,
} from './models';
import type {
  FileExistsAction,
  FileExistsAnswer,
  FileExistsQuestion,
  ProgressBatch,
  TransferDirection,
  TransferItem,
} from './transfers';
import type {
  ConnectSecrets,
  CredentialPrompt,
  DuplicateChoice,
  FieldError,
  ImportReport,
  PinSummary,
  SecretsStatus,
  Site,
  SiteFolder,
  SiteInput,
  SiteSecrets,
  SiteTree,
  StoreNotice,
} from './sites';
import type { Settings, SettingsPatch } from './settings';

export type Result<T> = { ok: true; value: T } | { ok: false; error: FerryErrorDetail };

/** The certificate pinned for host:port (a pin records the leaf only, no session). */
export interface PinnedCertificate {
  host: string;
  port: number;
  certificate: CertificateInfo;
}

export interface ConnectRequest {
  host: string;
  port: number;
  mode: SecurityMode;
  user: string;
  password: string;
}

export interface SessionSecurity extends SecurityState {
  /**
   * Why the certificate was accepted: `verified` (a chain to a trusted root), `pinned` (matches
   * a certificate the user chose to always trust, now or before), `once` (trusted for this
   * session only, unverified). Absent without TLS.
   */
  certificateTrust?: 'verified' | 'pinned' | 'once';
  /** Data connections opened so far by this session and its transfers. */
  dataConnections: {
    total: number;
    protected: number;
    resumed: number;
    last?: DataConnectionRecord;
  };
}

export type SessionStatus =
  'disconnected' | 'connecting' | 'awaiting-trust' | 'connected' | 'reconnecting' | 'failed';

/** After the browsing connection was lost: which attempt comes next, and when. */
export interface ReconnectState {
  /** 1-based number of the next (or running) attempt. */
  attempt: number;
  attempts: number;
  /** When the attempt starts (ISO time); absent while it runs. */
  at?: string;
}

/** The saved site a session was opened from (absent for a quick connect). */
export interface SessionSite {
  id: string;
  name: string;
}

export interface SessionTarget {
  host: string;
  port: number;
  mode: SecurityMode;
  user: string;
  site?: SessionSite;
}

export interface SessionState {
  status: SessionStatus;
  target?: SessionTarget;
  security?: SessionSecurity;
  report?: CertificateReport;
  /** The remote working directory once connected. */
  cwd?: string;
  error?: FerryErrorDetail;
  /** Set while reconnecting after the connection was lost. */
  reconnect?: ReconnectState;
  /** The session ended because the connection was lost (not a failed connect). */
  lost?: boolean;
}

export type PaneSide = 'local' | 'remote';

export interface Listing {
  side: PaneSide;
  /** Absolute path of the folder listed. */
  path: string;
  entries: RemoteEntry[];
}

export interface RecentConnection {
  host: string;
  port: number;
  mode: SecurityMode;
  user: string;
  lastUsed: string;
}

/** One file or folder to move. A folder expands into one item per file. */
export interface TransferRequest {
  direction: TransferDirection;
  /** The source for uploads, the destination (full path, including the name) for downloads. */
  localPath: string;
  /** The destination for uploads, the source for downloads. */
  remotePath: string;
  /** Whether the source is a folder, when the caller knows. */
  isDirectory?: boolean;
}

export interface TrustPrompt {
  promptId: string;
  report: CertificateReport;
}

/** "Explicit if available" and the server refused TLS: asked before the user name is sent. */
export interface InsecurePrompt {
  promptId: string;
  host: string;
  port: number;
  /** What the server did ("AUTH TLS and AUTH SSL refused"). */
  reason: string;
  /** The saved site being connected: the answer can be remembered for it. */
  siteName?: string;
}

/** `always`: continue, and do not ask again for this site (while host, port and mode stay). */
export type InsecureDecision = 'cancel' | 'continue' | 'always';

export interface PathTarget {
  path: string;
  kind: RemoteEntry['kind'];
}

export interface TransferDefaults {
  upload: FileExistsAction;
  download: FileExistsAction;
}

export interface AppInfo {
  version: string;
  platform: string;
  homeDir: string;
  /** 'electron' in the app; 'bridge' when the renderer runs in a browser driven by Playwright. */
  runtime: 'electron' | 'bridge';
  /** Local delete moves items to the Trash / Recycle Bin (false: it deletes permanently). */
  localTrash: boolean;
}

/** The result of saving a site: field errors are data, so the dialog shows them per field. */
export type SaveSiteResult =
  { ok: true; site: Site; secretsWarning?: string } | { ok: false; errors: FieldError[] };

/** Connecting to a saved site either starts the session or asks for what is missing first. */
export type ConnectSiteResult =
  | { status: 'session'; session: SessionState }
  | { status: 'needs-secrets'; prompt: CredentialPrompt };

export interface SitesSnapshot {
  tree: SiteTree;
  secrets: SecretsStatus;
  /** Sites whose user chose "continue without TLS, remember for this site" (still bound). */
  plainFallback: string[];
}

export interface SettingsSnapshot {
  settings: Settings;
  /** Store files that were unreadable and set aside (sites, secrets, pins, settings). */
  notices: StoreNotice[];
  /** Whether passwords can be saved on this machine, and why not. */
  secrets: SecretsStatus;
}

export interface PickFileOptions {
  title: string;
  /** A save dialog instead of an open dialog. */
  save?: boolean;
  /** File name extensions without the dot, e.g. ["xml"]. */
  extensions?: string[];
}

/** What a launch URL (`ftpes://user@host:port/path`) fills the connect bar with; never a password. */
export interface ConnectPrefill {
  host: string;
  port: number;
  mode: 'explicit' | 'implicit' | 'plain';
  /** Empty when the URL names no user. */
  user: string;
  /** The remote folder (relative to the login folder unless it starts with `/`); empty for none. */
  path: string;
}

export type MenuCommand =
  | 'new-connection'
  | 'site-manager'
  | 'settings'
  | 'refresh'
  | 'disconnect'
  | 'toggle-log'
  | 'show-certificate';

/** Commands, renderer → main. Each resolves to `Result<ReturnType>`. */
export interface Commands {
  getAppInfo(): AppInfo;
  getSession(): SessionState;
  connect(request: ConnectRequest): SessionState;
  disconnect(): SessionState;
  answerTrust(promptId: string, decision: TrustDecision): void;
  answerInsecure(promptId: string, decision: InsecureDecision): void;
  listRemote(path?: string): Listing;
  makeRemoteDir(path: string): void;
  renameRemote(from: string, to: string): void;
  deleteRemote(targets: PathTarget[]): void;
  listLocal(path?: string): Listing;
  makeLocalDir(path: string): void;
  renameLocal(from: string, to: string): void;
  deleteLocal(paths: string[]): void;
  listRecent(): RecentConnection[];
  forgetRecent(host: string, port: number, user: string): RecentConnection[];
  addTransfers(requests: TransferRequest[]): string[];
  cancelTransfer(id: string): void;
  retryTransfer(id: string): void;
  pauseTransfer(id: string): void;
  resumeTransfer(id: string): void;
  /** Runs the item next, before everything else queued. */
  moveTransferToTop(id: string): void;
  clearFinished(): void;
  getTransfers(): TransferItem[];
  answerFileExists(answer: FileExistsAnswer): void;
  getLog(): LogLine[];
  /** The connect-bar prefill of the URL Ferry was opened with, once; null when there is none. */
  takeLaunchPrefill(): ConnectPrefill | null;
  // Site manager, secrets, pins and settings (issue 5).
  getSites(): SitesSnapshot;
  createSite(input: SiteInput, secrets: SiteSecrets): SaveSiteResult;
  updateSite(id: string, input: SiteInput, secrets: SiteSecrets): SaveSiteResult;
  renameSite(id: string, name: string): Site;
  duplicateSite(id: string): Site;
  deleteSite(id: string): void;
  createFolder(name: string, parentId: string | null): SiteFolder;
  renameFolder(id: string, name: string): SiteFolder;
  deleteFolder(id: string): void;
  moveSiteItem(id: string, parentId: string | null): void;
  /** Checks the site's files (client certificate, CA) exist: field errors, empty when fine. */
  checkSiteFiles(input: SiteInput): FieldError[];
  connectSite(id: string, secrets: ConnectSecrets): ConnectSiteResult;
  /** Forgets a remembered "continue without TLS" for a site: Ferry asks again. */
  forgetPlainFallback(id: string): string[];
  /** Reads an import file (FileZilla sitemanager.xml, trustedcerts.xml, Ferry JSON): nothing is written. */
  previewImport(path: string): ImportReport;
  /** Imports; sites matching one already saved are skipped, replace it, or are added too. */
  applyImport(path: string, duplicates?: DuplicateChoice): ImportReport;
  /**
   * Writes Ferry's JSON export and returns where (null: the save dialog was cancelled). With
   * `includeSecrets` (passwords in clear text) the destination comes only from main's own save
   * dialog: `path` must be null. Without, a typed `path` is used, or the dialog when null.
   */
  exportSites(path: string | null, includeSecrets: boolean): string | null;
  listPins(): PinSummary[];
  getPinnedCertificate(host: string, port: number): PinnedCertificate;
  removePin(host: string, port: number): PinSummary[];
  getSettings(): SettingsSnapshot;
  updateSettings(patch: SettingsPatch): Settings;
  /** A native file dialog (Electron); `null` when cancelled or where there is none (the bridge). */
  pickFile(options: PickFileOptions): string | null;
}

export type CommandName = keyof Commands;
export type CommandArgs<K extends CommandName> = Parameters<Commands[K]>;
export type CommandValue<K extends CommandName> = ReturnType<Commands[K]>;

/** Events, main → renderer. */
export interface Events {
  session: SessionState;
  /** A folder changed on the main side (e.g. a transfer finished into it). */
  listing: Listing;
  /** Items added or changed (state, error, retries). */
  transfers: TransferItem[];
  /** Items removed from the queue. */
  transfersRemoved: string[];
  /** Merged progress, a few times a second. */
  progress: ProgressBatch;
  fileExists: FileExistsQuestion;
  trustPrompt: TrustPrompt;
  insecurePrompt: InsecurePrompt;
  log: LogLine[];
  menu: MenuCommand;
  /** Ferry was opened with an ftps:// or ftpes:// URL while running (a second launch). */
  launchPrefill: ConnectPrefill;
  sites: SiteTree;
  pins: PinSummary[];
  settings: Settings;
}

export type EventName = keyof Events;

/** What the renderer can hand over for a dropped OS file (a DOM `File`). */
export interface DroppedFile {
  readonly name: string;
  readonly size: number;
  arrayBuffer(): Promise<ArrayBuffer>;
}

export type CommandFunctions = {
  readonly [K in CommandName]: (...args: CommandArgs<K>) => Promise<Result<CommandValue<K>>>;
};

export interface FerryApi extends CommandFunctions {
  /** Subscribes to an event; returns the unsubscribe function. */
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void;
  /**
   * The local path of a file dropped from the OS (Electron: `webUtils.getPathForFile`). Where a
   * dropped file has no path (the browser bridge), the bytes are staged to a temporary file first.
   */
  pathForFile(file: DroppedFile): Promise<string>;
}

const commandTable: { [K in CommandName]: true } = {
  getAppInfo: true,
  getSession: true,
  connect: true,
  disconnect: true,
  answerTrust: true,
  answerInsecure: true,
  listRemote: true,
  makeRemoteDir: true,
  renameRemote: true,
  deleteRemote: true,
  listLocal: true,
  makeLocalDir: true,
  renameLocal: true,
  deleteLocal: true,
  listRecent: true,
  forgetRecent: true,
  addTransfers: true,
  cancelTransfer: true,
  retryTransfer: true,
  pauseTransfer: true,
  resumeTransfer: true,
  moveTransferToTop: true,
  clearFinished: true,
  getTransfers: true,
  answerFileExists: true,
  getLog: true,
  takeLaunchPrefill: true,
  getSites: true,
  createSite: true,
  updateSite: true,
  renameSite: true,
  duplicateSite: true,
  deleteSite: true,
  createFolder: true,
  renameFolder: true,
  deleteFolder: true,
  moveSiteItem: true,
  checkSiteFiles: true,
  connectSite: true,
  forgetPlainFallback: true,
  previewImport: true,
  applyImport: true,
  exportSites: true,
  listPins: true,
  getPinnedCertificate: true,
  removePin: true,
  getSettings: true,
  updateSettings: true,
  pickFile: true,
};

const eventTable: { [E in EventName]: true } = {
  session: true,
  listing: true,
  transfers: true,
  transfersRemoved: true,
  progress: true,
  fileExists: true,
  trustPrompt: true,
  insecurePrompt: true,
  log: true,
  menu: true,
  launchPrefill: true,
  sites: true,
  pins: true,
  settings: true,
};

/** Every command name, checked against `Commands` by the compiler. */
export const COMMAND_NAMES = Object.freeze(Object.keys(commandTable) as CommandName[]);
export const EVENT_NAMES = Object.freeze(Object.keys(eventTable) as EventName[]);

export function isCommandName(value: unknown): value is CommandName {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(commandTable, value);
}

export function isEventName(value: unknown): value is EventName {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(eventTable, value);
}

export const commandChannel = (name: CommandName): string => `ferry:cmd:${name}`;
export const eventChannel = (name: EventName): string => `ferry:evt:${name}`;
