/**
 * Run-time checks of site data read from disk or from an imported Ferry export. Anything that is
 * not a well-formed tree throws, so the caller can set the file aside or report the import failed.
 */
import {
  defaultSiteInput,
  SITE_COLOURS,
  type ClientCertificateRef,
  type Site,
  type SiteFolder,
  type SiteTree,
} from '../../../shared/sites';
import { LIST_COMMANDS } from '../../../shared/models';

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(obj: Json, key: string, where: string): string {
  const value = obj[key];
  if (typeof value !== 'string') throw new Error(`${where}: "${key}" must be a string`);
  return value;
}

function optStr(obj: Json, key: string, fallback: string): string {
  const value = obj[key];
  return typeof value === 'string' ? value : fallback;
}

function oneOf<T extends string>(
  obj: Json,
  key: string,
  choices: readonly T[],
  fallback: T,
  where: string,
): T {
  const value = obj[key];
  if (value === undefined) return fallback;
  const found = choices.find((choice) => choice === value);
  if (found === undefined)
    throw new Error(`${where}: "${key}" has an unknown value ${JSON.stringify(value)}`);
  return found;
}

function parentOf(obj: Json, where: string): string | null {
  const value = obj.parentId;
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string') throw new Error(`${where}: "parentId" must be a string or null`);
  return value;
}

function clientCertificateOf(value: unknown, where: string): ClientCertificateRef | null {
  if (value === null || value === undefined) return null;
  if (!isRecord(value)) throw new Error(`${where}: clientCertificate must be an object`);
  const hasPassphrase = value.hasPassphrase === true;
  if (value.kind === 'pem') {
    return {
      kind: 'pem',
      certFile: str(value, 'certFile', where),
      keyFile: str(value, 'keyFile', where),
      hasPassphrase,
    };
  }
  if (value.kind === 'pfx')
    return { kind: 'pfx', pfxFile: str(value, 'pfxFile', where), hasPassphrase };
  throw new Error(`${where}: clientCertificate.kind must be pem or pfx`);
}

export function parseFolder(value: unknown, index: number): SiteFolder {
  const where = `folder ${index + 1}`;
  if (!isRecord(value)) throw new Error(`${where} is not an object`);
  return {
    id: str(value, 'id', where),
    parentId: parentOf(value, where),
    name: str(value, 'name', where),
  };
}

/** A site from JSON; missing optional fields take the dialog's defaults. */
export function parseSite(value: unknown, index: number): Site {
  const where = `site ${index + 1}`;
  if (!isRecord(value)) throw new Error(`${where} is not an object`);
  const defaults = defaultSiteInput();
  const port = value.port;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`${where}: port must be 1-65535`);
  }
  const maxConnections = value.maxConnections;
  const stamp = new Date(0).toISOString();
  return {
    id: str(value, 'id', where),
    parentId: parentOf(value, where),
    name: str(value, 'name', where),
    host: str(value, 'host', where),
    port,
    mode: oneOf(
      value,
      'mode',
      ['explicit', 'explicit-if-available', 'implicit', 'plain'],
      defaults.mode,
      where,
    ),
    logonType: oneOf(value, 'logonType', ['normal', 'ask', 'anonymous'], defaults.logonType, where),
    user: optStr(value, 'user', ''),
    hasPassword: value.hasPassword === true,
    tlsMin: oneOf(value, 'tlsMin', ['1.2', '1.3'], defaults.tlsMin, where),
    tlsMax: oneOf(value, 'tlsMax', ['1.2', '1.3'], defaults.tlsMax, where),
    transferMode: oneOf(value, 'transferMode', ['passive', 'active'], defaults.transferMode, where),
    dataProtection: oneOf(value, 'dataProtection', ['P', 'C'], defaults.dataProtection, where),
    ccc: value.ccc === true,
    listCommand: oneOf(value, 'listCommand', LIST_COMMANDS, defaults.listCommand, where),
    clientCertificate: clientCertificateOf(value.clientCertificate, where),
    caFile: typeof value.caFile === 'string' ? value.caFile : null,
    maxConnections:
      typeof maxConnections === 'number' &&
      Number.isInteger(maxConnections) &&
      maxConnections >= 1 &&
      maxConnections <= 10
        ? maxConnections
        : null,
    // Sites saved before the option existed split large downloads (the default).
    segmentedDownloads: value.segmentedDownloads !== false,
    localDir: optStr(value, 'localDir', ''),
    remoteDir: optStr(value, 'remoteDir', ''),
    comments: optStr(value, 'comments', ''),
    colour: oneOf(value, 'colour', SITE_COLOURS, 'none', where),
    createdAt: optStr(value, 'createdAt', stamp),
    updatedAt: optStr(value, 'updatedAt', stamp),
  };
}

/** Checks a whole tree: ids unique, parents exist, no folder cycles. */
export function parseSiteTree(data: unknown): SiteTree {
  if (!isRecord(data)) throw new Error('the site list is not an object');
  if (!Array.isArray(data.folders) || !Array.isArray(data.sites)) {
    throw new Error('the site list needs "folders" and "sites" arrays');
  }
  const folders = data.folders.map(parseFolder);
  const sites = data.sites.map(parseSite);
  const ids = new Set<string>();
  for (const item of [...folders, ...sites]) {
    if (ids.has(item.id)) throw new Error(`the id ${item.id} is used twice`);
    ids.add(item.id);
  }
  const folderIds = new Set(folders.map((f) => f.id));
  for (const item of [...folders, ...sites]) {
    if (item.parentId !== null && !folderIds.has(item.parentId)) {
      throw new Error(`"${item.name}" is in a folder that does not exist (${item.parentId})`);
    }
  }
  const parent = new Map(folders.map((f) => [f.id, f.parentId]));
  for (const folder of folders) {
    const seen = new Set<string>();
    let current: string | null = folder.id;
    while (current !== null) {
      if (seen.has(current)) throw new Error(`the folder "${folder.name}" is inside itself`);
      seen.add(current);
      current = parent.get(current) ?? null;
    }
  }
  return { folders, sites };
}
