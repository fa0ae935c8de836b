/**
 * Run-time validation of command arguments. The renderer is untrusted: main checks every argument
 * against these validators before a service sees it. Pure code, no dependencies.
 */
import type { FerryErrorDetail } from './errors';
import type { CommandArgs, CommandName, ConnectRequest, PathTarget, TransferRequest } from './ipc';
import type { SecurityMode, TrustDecision } from './models';
import type { FileExistsAnswer } from './transfers';

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
  const isDirectory = optional(boolean)(r.isDirectory, `${where}.isDirectory`);
  if (isDirectory !== undefined) request.isDirectory = isDirectory;
  return request;
};

const fileExistsAnswer: Check<FileExistsAnswer> = (value, where) => {
  const r = record(value, where, ['questionId', 'action', 'applyToAll']);
  return {
    questionId: id(r.questionId, `${where}.questionId`),
    action: oneOf(
      'overwrite',
      'overwrite-if-newer',
      'overwrite-if-size-differs',
      'overwrite-if-size-differs-or-newer',
      'resume',
      'rename',
      'skip',
    )(r.action, `${where}.action`),
    applyToAll: boolean(r.applyToAll, `${where}.applyToAll`),
  };
};

type TupleChecks<T extends unknown[]> = { [I in keyof T]-?: Check<T[I]> };
type ArgChecks = { [K in CommandName]: TupleChecks<CommandArgs<K>> };

const checks: ArgChecks = {
  getAppInfo: [],
  getSession: [],
  connect: [connectRequest],
  disconnect: [],
  answerTrust: [id, trustDecision],
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
  clearFinished: [],
  getTransfers: [],
  answerFileExists: [fileExistsAnswer],
  getLog: [],
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
