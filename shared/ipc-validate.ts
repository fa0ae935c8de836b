/**
 * Run-time validation of command arguments. The renderer is untrusted: main checks every argument
 * against these validators before a service sees it. Pure code, no dependencies.
 */
import type { FerryErrorDetail } from './errors';
import type { CommandArgs, CommandName, ConnectRequest, PathTarget, TransferRequest } from './ipc';
import { LIST_COMMANDS, type SecurityMode, type TrustDecision } from './models';
import { hasDotSegment, unsafeNameReason } from './names';
import { remoteBasename } from './remote-path';
import type { SettingsPatch } from './settings';
import { SETTINGS_LIMITS } from './settings-limits';
import { FILE_EXISTS_ACTIONS, FILE_EXISTS_DECISIONS, type FileExistsAnswer } from './transfers';
import {
  DUPLICATE_CHOICES,
  SITE_COLOURS,
  type ClientCertificateRef,
  type ConnectSecrets,
  type SiteInput,
  type SiteSecrets,
} from './sites';
import type { InsecureDecision, PickFileOptions } from './ipc';
import { layoutProblems, type Layout } from './layout';

export class ValidationError extends Error {
  constructor(
    readonly command: string,
    readonly reason: string,
  ) {
    super(`${command}: ${reason}`);
    this.name = 'ValidationError';
  }

  get detail(): FerryErrorDetail {
    return { kind: 'usage', step: this.command, reason: this.reason };
  }
}

type Check<T> = (value: unknown, where: string) => T;

const MAX_PATH = 4096;
const {
  connections: CONCURRENCY,
  keepaliveSeconds: KEEPALIVE,
  timeoutSeconds: TIMEOUT,
} = SETTINGS_LIMITS;
const MAX_BATCH = 10_000;

function fail(where: string, reason: string): never {
  throw new ValidationError('', `${where} ${reason}`);
}

const string =
  (maxLength = MAX_PATH, allowEmpty = false): Check<string> =>
  (value, where) => {
    if (typeof value !== 'string') fail(where, 'must be a string');
    if (!allowEmpty && value.length === 0) fail(where, 'must not be empty');
    if (value.length > maxLength) fail(where, `must be at most ${maxLength} characters`);
    if (value.includes('\0')) fail(where, 'must not contain NUL');
    return value;
  };

/** A path: no NUL, no CR/LF (they would split an FTP command). */
const path: Check<string> = (value, where) => {
  const text = string()(value, where);
  if (/[\r\n]/.test(text)) fail(where, 'must not contain line breaks');
  return text;
};

const oneOf =
  <T extends string>(...values: T[]): Check<T> =>
  (value, where) => {
    if (typeof value !== 'string' || !(values as string[]).includes(value)) {
      fail(where, `must be one of ${values.join(', ')}`);
    }
    return value as T;
  };

const integer =
  (min: number, max: number): Check<number> =>
  (value, where) => {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      fail(where, `must be an integer from ${min} to ${max}`);
    }
    return value;
  };

const boolean: Check<boolean> = (value, where) => {
  if (typeof value !== 'boolean') fail(where, 'must be true or false');
  return value;
};

function record(value: unknown, where: string, keys: string[]): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    fail(where, 'must be an object');
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) fail(where, 'must be a plain object');
  for (const key of Object.keys(value)) {
    if (!keys.includes(key)) fail(where, `has an unknown field "${key}"`);
  }
  return value as Record<string, unknown>;
}

const array =
  <T>(item: Check<T>, max = MAX_BATCH): Check<T[]> =>
  (value, where) => {
    if (!Array.isArray(value)) fail(where, 'must be a list');
    if (value.length > max) fail(where, `must hold at most ${max} items`);
    return value.map((entry, index) => item(entry, `${where}[${index}]`));
  };

const optional =
  <T>(check: Check<T>): Check<T | undefined> =>
  (value, where) =>
    value === undefined ? undefined : check(value, where);

const securityMode = oneOf<SecurityMode>('explicit', 'explicit-if-available', 'implicit', 'plain');
const trustDecision = oneOf<TrustDecision>('reject', 'once', 'always');
const id = string(128);

const hostName: Check<string> = (value, where) => {
  const text = string(253)(value, where).trim();
  if (!/^[A-Za-z0-9._:[\]-]+$/.test(text)) fail(where, 'is not a host name or address');
  return text;
};

const connectRequest: Check<ConnectRequest> = (value, where) => {
  const r = record(value, where, ['host', 'port', 'mode', 'user', 'password']);
  return {
    host: hostName(r.host, `${where}.host`),
    port: integer(1, 65535)(r.port, `${where}.port`),
    mode: securityMode(r.mode, `${where}.mode`),
    user: string(256, true)(r.user, `${where}.user`),
    password: string(1024, true)(r.password, `${where}.password`),
  };
};

const pathTarget: Check<PathTarget> = (value, where) => {
  const r = record(value, where, ['path', 'kind']);
  return {
    path: path(r.path, `${where}.path`),
    kind: oneOf('file', 'dir', 'link', 'other')(r.kind, `${where}.kind`),
  };
};

const transferRequest: Check<TransferRequest> = (value, where) => {
  const r = record(value, where, ['direction', 'localPath', 'remotePath', 'isDirectory']);
  const request: TransferRequest = {
    direction: oneOf('upload', 'download')(r.direction, `${where}.direction`),
    localPath: path(r.localPath, `${where}.localPath`),
    remotePath: path(r.remotePath, `${where}.remotePath`),
  };
  // A listed name is the server's word: joined into a path, `..` or a separator would move the
  // download out of the folder the user chose.
  if (hasDotSegment(request.localPath))
    fail(`${where}.localPath`, 'must not contain . or .. segments');
  if (hasDotSegment(request.remotePath))
    fail(`${where}.remotePath`, 'must not contain . or .. segments');
  const nameProblem = unsafeNameReason(remoteBasename(request.remotePath));
  if (request.direction === 'download' && nameProblem) fail(`${where}.remotePath`, nameProblem);
  const isDirectory = optional(boolean)(r.isDirectory, `${where}.isDirectory`);
  if (isDirectory !== undefined) request.isDirectory = isDirectory;
  return request;
};

const fileExistsAnswer: Check<FileExistsAnswer> = (value, where) => {
  const r = record(value, where, ['questionId', 'action', 'applyToAll']);
  return {
    questionId: id(r.questionId, `${where}.questionId`),
    action: oneOf(...FILE_EXISTS_DECISIONS)(r.action, `${where}.action`),
    applyToAll: boolean(r.applyToAll, `${where}.applyToAll`),
  };
};

// ---- Site manager, secrets, pins and settings ----

const nullable =
  <T>(check: Check<T>): Check<T | null> =>
  (value, where) =>
    value === null ? null : check(value, where);

/** A single line of text: no NUL, no line breaks. */
const line =
  (maxLength: number, allowEmpty = true): Check<string> =>
  (value, where) => {
    const text = string(maxLength, allowEmpty)(value, where);
    if (/[\r\n]/.test(text)) fail(where, 'must not contain line breaks');
    return text;
  };

const siteName = line(200, false);
const secretText = string(1024, true);
const tlsVersion = oneOf('1.2', '1.3');

const clientCertificate: Check<ClientCertificateRef> = (value, where) => {
  const kind = (value as { kind?: unknown } | null)?.kind;
  if (kind === 'pem') {
    const r = record(value, where, ['kind', 'certFile', 'keyFile', 'hasPassphrase']);
    return {
      kind: 'pem',
      certFile: line(MAX_PATH)(r.certFile, `${where}.certFile`),
      keyFile: line(MAX_PATH)(r.keyFile, `${where}.keyFile`),
      hasPassphrase: boolean(r.hasPassphrase, `${where}.hasPassphrase`),
    };
  }
  const r = record(value, where, ['kind', 'pfxFile', 'hasPassphrase']);
  if (r.kind !== 'pfx') fail(`${where}.kind`, 'must be pem or pfx');
  return {
    kind: 'pfx',
    pfxFile: line(MAX_PATH)(r.pfxFile, `${where}.pfxFile`),
    hasPassphrase: boolean(r.hasPassphrase, `${where}.hasPassphrase`),
  };
};

const SITE_INPUT_KEYS: (keyof SiteInput)[] = [
  'parentId',
  'name',
  'host',
  'port',
  'mode',
  'logonType',
  'user',
  'tlsMin',
  'tlsMax',
  'transferMode',
  'dataProtection',
  'ccc',
  'listCommand',
  'clientCertificate',
  'caFile',
  'maxConnections',
  'segmentedDownloads',
  'localDir',
  'remoteDir',
  'comments',
  'colour',
];

const siteInput: Check<SiteInput> = (value, where) => {
  const r = record(value, where, SITE_INPUT_KEYS);
  return {
    parentId: nullable(id)(r.parentId, `${where}.parentId`),
    name: line(1000)(r.name, `${where}.name`),
    host: line(1000)(r.host, `${where}.host`),
    port: integer(0, 65535)(r.port, `${where}.port`),
    mode: securityMode(r.mode, `${where}.mode`),
    logonType: oneOf('normal', 'ask', 'anonymous')(r.logonType, `${where}.logonType`),
    user: line(256)(r.user, `${where}.user`),
    tlsMin: tlsVersion(r.tlsMin, `${where}.tlsMin`),
    tlsMax: tlsVersion(r.tlsMax, `${where}.tlsMax`),
    transferMode: oneOf('passive', 'active')(r.transferMode, `${where}.transferMode`),
    dataProtection: oneOf('P', 'C')(r.dataProtection, `${where}.dataProtection`),
    ccc: boolean(r.ccc, `${where}.ccc`),
    listCommand: oneOf(...LIST_COMMANDS)(r.listCommand, `${where}.listCommand`),
    clientCertificate: nullable(clientCertificate)(
      r.clientCertificate,
      `${where}.clientCertificate`,
    ),
    caFile: nullable(line(MAX_PATH))(r.caFile, `${where}.caFile`),
    maxConnections: nullable(integer(CONCURRENCY.min, CONCURRENCY.max))(
      r.maxConnections,
      `${where}.maxConnections`,
    ),
    segmentedDownloads: boolean(r.segmentedDownloads, `${where}.segmentedDownloads`),
    localDir: line(MAX_PATH)(r.localDir, `${where}.localDir`),
    remoteDir: line(MAX_PATH)(r.remoteDir, `${where}.remoteDir`),
    comments: string(10_000, true)(r.comments, `${where}.comments`),
    colour: oneOf(...SITE_COLOURS)(r.colour, `${where}.colour`),
  };
};

const siteSecrets: Check<SiteSecrets> = (value, where) => {
  const r = record(value, where, ['password', 'clientCertPassphrase']);
  const out: SiteSecrets = {};
  const password = optional(nullable(secretText))(r.password, `${where}.password`);
  if (password !== undefined) out.password = password;
  const passphrase = optional(nullable(secretText))(
    r.clientCertPassphrase,
    `${where}.clientCertPassphrase`,
  );
  if (passphrase !== undefined) out.clientCertPassphrase = passphrase;
  return out;
};

const connectSecrets: Check<ConnectSecrets> = (value, where) => {
  const r = record(value, where, ['password', 'clientCertPassphrase']);
  const out: ConnectSecrets = {};
  const password = optional(secretText)(r.password, `${where}.password`);
  if (password !== undefined) out.password = password;
  const passphrase = optional(secretText)(r.clientCertPassphrase, `${where}.clientCertPassphrase`);
  if (passphrase !== undefined) out.clientCertPassphrase = passphrase;
  return out;
};

const fileExistsDefault = oneOf(...FILE_EXISTS_ACTIONS);

/** Copies the listed fields that are present, each checked. */
function partial<T extends object>(
  value: unknown,
  where: string,
  fields: { [K in keyof T]-?: Check<T[K]> },
): Partial<T> {
  const r = record(value, where, Object.keys(fields));
  const out: Partial<T> = {};
  for (const key of Object.keys(fields) as (keyof T)[]) {
    if (r[key as string] === undefined) continue;
    out[key] = fields[key](r[key as string], `${where}.${String(key)}`);
  }
  return out;
}

const settingsPatch: Check<SettingsPatch> = (value, where) =>
  partial<SettingsPatch>(value, where, {
    transferConcurrency: (v, w) =>
      v === 'auto' ? v : integer(CONCURRENCY.min, CONCURRENCY.max)(v, w),
    fileExists: (v, w) => partial(v, w, { upload: fileExistsDefault, download: fileExistsDefault }),
    preserveTimes: boolean,
    keepaliveSeconds: integer(KEEPALIVE.min, KEEPALIVE.max),
    timeouts: (v, w) =>
      partial(v, w, {
        connectSeconds: integer(TIMEOUT.min, TIMEOUT.max),
        replySeconds: integer(TIMEOUT.min, TIMEOUT.max),
        dataIdleSeconds: integer(TIMEOUT.min, TIMEOUT.max),
      }),
    defaultTlsMin: tlsVersion,
    showHiddenFiles: boolean,
    theme: oneOf('system', 'light', 'dark'),
    confirm: (v, w) =>
      partial(v, w, {
        deleteRemote: boolean,
        deleteLocal: boolean,
        disconnectWithTransfers: boolean,
        quitWithTransfers: boolean,
      }),
    layout: (v, w) => {
      const problem = layoutProblems(v, true, w)[0];
      if (problem) throw new ValidationError('', problem);
      return v as Partial<Layout>;
    },
  });

const pickFileOptions: Check<PickFileOptions> = (value, where) => {
  const r = record(value, where, ['title', 'save', 'extensions']);
  const out: PickFileOptions = { title: line(200)(r.title, `${where}.title`) };
  const save = optional(boolean)(r.save, `${where}.save`);
  if (save !== undefined) out.save = save;
  const extensions = optional(
    array((v, w) => {
      const text = string(16)(v, w);
      if (!/^[A-Za-z0-9]+$/.test(text)) fail(w, 'must be letters and digits');
      return text;
    }, 20),
  )(r.extensions, `${where}.extensions`);
  if (extensions !== undefined) out.extensions = extensions;
  return out;
};

type TupleChecks<T extends unknown[]> = { [I in keyof T]-?: Check<T[I]> };
type ArgChecks = { [K in CommandName]: TupleChecks<CommandArgs<K>> };

const checks: ArgChecks = {
  getAppInfo: [],
  getSession: [],
  connect: [connectRequest],
  disconnect: [],
  answerTrust: [id, trustDecision],
  answerInsecure: [id, oneOf<InsecureDecision>('cancel', 'continue', 'always')],
  listRemote: [optional(path)],
  makeRemoteDir: [path],
  renameRemote: [path, path],
  deleteRemote: [array(pathTarget)],
  listLocal: [optional(path)],
  makeLocalDir: [path],
  renameLocal: [path, path],
  deleteLocal: [array(path)],
  listRecent: [],
  forgetRecent: [hostName, integer(1, 65535), string(256, true)],
  addTransfers: [array(transferRequest)],
  cancelTransfer: [id],
  retryTransfer: [id],
  pauseTransfer: [id],
  resumeTransfer: [id],
  moveTransferToTop: [id],
  clearFinished: [],
  getTransfers: [],
  answerFileExists: [fileExistsAnswer],
  getLog: [],
  takeLaunchPrefill: [],
  getSites: [],
  createSite: [siteInput, siteSecrets],
  updateSite: [id, siteInput, siteSecrets],
  renameSite: [id, siteName],
  duplicateSite: [id],
  deleteSite: [id],
  createFolder: [siteName, nullable(id)],
  renameFolder: [id, siteName],
  deleteFolder: [id],
  moveSiteItem: [id, nullable(id)],
  checkSiteFiles: [siteInput],
  connectSite: [id, connectSecrets],
  forgetPlainFallback: [id],
  previewImport: [path],
  applyImport: [path, oneOf(...DUPLICATE_CHOICES)],
  exportSites: [nullable(path), boolean],
  listPins: [],
  getPinnedCertificate: [hostName, integer(1, 65535)],
  removePin: [hostName, integer(1, 65535)],
  getSettings: [],
  updateSettings: [settingsPatch],
  pickFile: [pickFileOptions],
};

/**
 * Checks a command's arguments; returns them typed or throws a `ValidationError`.
 * Optional trailing arguments may be left out; extra arguments are refused.
 */
export function validateCommandArgs<K extends CommandName>(name: K, args: unknown): CommandArgs<K> {
  const list = checks[name] as readonly Check<unknown>[] | undefined;
  if (!list) throw new ValidationError(String(name), 'unknown command');
  if (!Array.isArray(args)) throw new ValidationError(name, 'arguments must be a list');
  if (args.length > list.length) {
    throw new ValidationError(name, `takes at most ${list.length} argument(s), got ${args.length}`);
  }
  try {
    return list.map((check, index) =>
      check(args[index], `argument ${index + 1}`),
    ) as CommandArgs<K>;
  } catch (error) {
    if (error instanceof ValidationError) throw new ValidationError(name, error.reason);
    throw error;
  }
}
