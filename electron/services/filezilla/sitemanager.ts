/**
 * Reads FileZilla's `sitemanager.xml` (and files exported from its site manager, which have the
 * same format) into Ferry sites. Pure: it parses text and returns what would be imported, with
 * passwords held apart from the report so that the report can be printed and logged.
 */
import { XMLParser } from 'fast-xml-parser';
import { defaultPort } from '../../../shared/ports';
import {
  defaultSiteInput,
  SITE_COLOURS,
  validateSite,
  type ImportedSite,
  type LogonType,
  type SiteColour,
  type SiteInput,
  type SkippedEntry,
} from '../../../shared/sites';
import type { SecurityMode } from '../../../shared/models';
import { decodeSafePath } from './safe-path';

/** One site ready to be added: the store input, its folder path, and the password if any. */
export interface PendingSite {
  folder: string[];
  input: Omit<SiteInput, 'parentId'>;
  /** Only in memory, never in a report. */
  password?: string;
  summary: ImportedSite;
}

export interface ParsedSiteManager {
  folders: string[][];
  sites: PendingSite[];
  skipped: SkippedEntry[];
  notes: string[];
}

/** A node of fast-xml-parser's ordered output: `{ tag: children, ':@': attributes }` or text. */
type XmlNode = Record<string, unknown>;

export class FileZillaFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FileZillaFormatError';
  }
}

export function parseXml(xml: string): XmlNode[] {
  const parser = new XMLParser({
    preserveOrder: true,
    ignoreAttributes: false,
    attributeNamePrefix: '',
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: false,
    processEntities: true,
  });
  const parsed: unknown = parser.parse(xml, true);
  if (!Array.isArray(parsed)) throw new FileZillaFormatError('the file is not XML');
  return parsed as XmlNode[];
}

export function tagOf(node: XmlNode): string | undefined {
  return Object.keys(node).find((key) => key !== ':@' && key !== '#text');
}

export function childrenOf(node: XmlNode): XmlNode[] {
  const tag = tagOf(node);
  const children = tag === undefined ? undefined : node[tag];
  return Array.isArray(children) ? (children as XmlNode[]) : [];
}

export function attributeOf(node: XmlNode, name: string): string | undefined {
  const attributes = node[':@'];
  if (typeof attributes !== 'object' || attributes === null) return undefined;
  const value = (attributes as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
}

/** The node's own text (text children only, not descendants'). */
export function ownText(node: XmlNode): string {
  return childrenOf(node)
    .map((child) => (typeof child['#text'] === 'string' ? child['#text'] : ''))
    .join('');
}

export function childNamed(node: XmlNode, tag: string): XmlNode | undefined {
  return childrenOf(node).find((child) => tagOf(child) === tag);
}

export function findTag(nodes: XmlNode[], tag: string): XmlNode | undefined {
  return nodes.find((node) => tagOf(node) === tag);
}

const PROTOCOL_MODES: Record<number, SecurityMode> = {
  0: 'explicit-if-available',
  3: 'implicit',
  4: 'explicit',
  6: 'plain',
};

const OTHER_PROTOCOLS: Record<number, string> = {
  1: 'SFTP (SSH file transfer)',
  2: 'HTTP',
  5: 'HTTPS',
  7: 'Amazon S3',
  8: 'Storj',
  9: 'WebDAV',
  10: 'Azure File Storage',
  11: 'Azure Blob Storage',
  12: 'OpenStack Swift',
  13: 'Google Cloud Storage',
  14: 'Google Drive',
  15: 'Dropbox',
  16: 'Microsoft OneDrive',
  17: 'Backblaze B2',
  18: 'Box',
  19: 'WebDAV (insecure)',
};

// FileZilla's Colour numbers are indexes into the same list, in the same order.
const COLOURS: readonly SiteColour[] = SITE_COLOURS;

/** Parses sitemanager.xml text. Throws FileZillaFormatError when it is not such a file. */
export function parseSiteManager(xml: string): ParsedSiteManager {
  let nodes: XmlNode[];
  try {
    nodes = parseXml(xml);
  } catch (error) {
    if (error instanceof FileZillaFormatError) throw error;
    throw new FileZillaFormatError(
      `the file is not well-formed XML (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  const root = findTag(nodes, 'FileZilla3');
  const servers = root ? childNamed(root, 'Servers') : undefined;
  if (!root || !servers) {
    throw new FileZillaFormatError(
      'this is not a FileZilla site manager file (no <FileZilla3><Servers>)',
    );
  }
  const result: ParsedSiteManager = { folders: [], sites: [], skipped: [], notes: [] };
  let bookmarks = 0;

  const walk = (container: XmlNode, folder: string[]): void => {
    for (const child of childrenOf(container)) {
      const tag = tagOf(child);
      if (tag === 'Folder') {
        const name = ownText(child).trim() || 'Unnamed folder';
        const path = [...folder, name];
        result.folders.push(path);
        walk(child, path);
      } else if (tag === 'Server') {
        const outcome = readServer(child, folder);
        bookmarks += childrenOf(child).filter((c) => tagOf(c) === 'Bookmark').length;
        if ('skipped' in outcome) result.skipped.push(outcome.skipped);
        else result.sites.push(outcome.site);
      }
    }
  };
  walk(servers, []);
  if (bookmarks > 0) {
    result.notes.push(
      `${bookmarks} bookmark${bookmarks === 1 ? '' : 's'} ignored: Ferry has no per-site bookmarks yet.`,
    );
  }
  return result;
}

function text(server: XmlNode, tag: string): string | undefined {
  const node = childNamed(server, tag);
  return node ? ownText(node) : undefined;
}

// eslint-disable-next-line max-lines-per-function -- one flat reading of <Server>, a few lines per field
function readServer(
  server: XmlNode,
  folder: string[],
): { site: PendingSite } | { skipped: SkippedEntry } {
  const notes: string[] = [];
  // Current files have <Name>; older ones keep the name as the element's own text.
  const name =
    (text(server, 'Name') ?? ownText(server)).trim() ||
    (text(server, 'Host') ?? '').trim() ||
    'Unnamed site';
  const skip = (reason: string): { skipped: SkippedEntry } => ({
    skipped: { folder, name, reason },
  });

  const host = (text(server, 'Host') ?? '').trim();
  const protocolText = (text(server, 'Protocol') ?? '0').trim();
  const protocol = Number(protocolText);
  if (!/^\d+$/.test(protocolText)) return skip(`the protocol "${protocolText}" is not a number`);
  const mode = PROTOCOL_MODES[protocol];
  if (!mode) {
    const known = OTHER_PROTOCOLS[protocol];
    return skip(
      known
        ? `${known} (protocol ${protocol}) is not FTP: Ferry speaks FTP over TLS only`
        : `unknown protocol number ${protocol}: Ferry speaks FTP over TLS only`,
    );
  }
  if (host === '') return skip('no host');
  if (mode === 'explicit-if-available') {
    notes.push(
      'FTP over TLS if available: kept. If the server refuses TLS, Ferry stops before sending ' +
        'your user name and asks whether to continue without encryption.',
    );
  }

  const portText = (text(server, 'Port') ?? '').trim();
  let port = defaultPort(mode);
  if (portText !== '') {
    const parsed = Number(portText);
    if (!/^\d+$/.test(portText) || parsed < 1 || parsed > 65535)
      return skip(`invalid port "${portText}"`);
    port = parsed;
  }

  const logonText = (text(server, 'Logontype') ?? '1').trim();
  let logonType: LogonType;
  switch (logonText) {
    case '0':
      logonType = 'anonymous';
      break;
    case '1':
      logonType = 'normal';
      break;
    case '2':
      logonType = 'ask';
      break;
    case '3':
      logonType = 'ask';
      notes.push('Interactive logon imported as "ask for password".');
      break;
    case '4':
      logonType = 'normal';
      notes.push('Account logon: the ACCT account is not supported and was left out.');
      break;
    default:
      logonType = 'ask';
      notes.push(`Logon type ${logonText} is not supported; imported as "ask for password".`);
  }

  const user = logonType === 'anonymous' ? '' : (text(server, 'User') ?? '');
  let password: string | undefined;
  const passNode = childNamed(server, 'Pass');
  if (passNode && logonType === 'normal') {
    const encoding = attributeOf(passNode, 'encoding');
    const raw = ownText(passNode);
    if (encoding === 'crypt') {
      notes.push(
        'Password not imported: FileZilla protects it with a master password. Enter it in Ferry.',
      );
    } else if (encoding === 'base64') {
      const clean = raw.replace(/\s+/g, '');
      if (/^[A-Za-z0-9+/]*={0,2}$/.test(clean) && clean.length % 4 === 0) {
        password = Buffer.from(clean, 'base64').toString('utf8');
      } else {
        notes.push('Password not imported: its base64 text is damaged.');
      }
    } else if (encoding === undefined || encoding === '') {
      password = raw;
    } else {
      notes.push(`Password not imported: unknown encoding "${encoding}".`);
    }
    if (password === '') password = undefined;
  }

  const pasv = (text(server, 'PasvMode') ?? 'MODE_DEFAULT').trim();
  const transferMode = pasv === 'MODE_ACTIVE' ? 'active' : 'passive';

  const maxText = (text(server, 'MaximumMultipleConnections') ?? '0').trim();
  let maxConnections: number | null = null;
  const maxValue = Number(maxText);
  if (/^\d+$/.test(maxText) && maxValue > 0) {
    maxConnections = Math.min(maxValue, 10);
    if (maxValue > 10) notes.push(`Maximum connections ${maxValue} lowered to 10.`);
  }

  const colourText = (text(server, 'Colour') ?? '0').trim();
  const colour = COLOURS[Number(colourText)] ?? 'none';

  let remoteDir = '';
  const remoteText = (text(server, 'RemoteDir') ?? '').trim();
  if (remoteText !== '') {
    const decoded = decodeSafePath(remoteText);
    if (decoded.ok) remoteDir = decoded.path;
    else notes.push(`Remote folder not imported: ${decoded.reason}.`);
  }

  const encoding = (text(server, 'EncodingType') ?? 'Auto').trim();
  if (encoding === 'Custom') {
    notes.push(
      `Custom character set "${(text(server, 'CustomEncoding') ?? '').trim()}" not supported; Ferry uses UTF-8.`,
    );
  }
  const offset = Number((text(server, 'TimezoneOffset') ?? '0').trim());
  if (Number.isFinite(offset) && offset !== 0)
    notes.push(`Server time zone offset (${offset} minutes) ignored.`);
  const bookmarkCount = childrenOf(server).filter((c) => tagOf(c) === 'Bookmark').length;
  if (bookmarkCount > 0)
    notes.push(`${bookmarkCount} bookmark${bookmarkCount === 1 ? '' : 's'} ignored.`);
  if (mode === 'plain') notes.push('Plain FTP: password and files travel unencrypted.');

  const input: Omit<SiteInput, 'parentId'> = {
    ...defaultSiteInput(),
    name,
    host,
    port,
    mode,
    logonType,
    user,
    transferMode,
    maxConnections,
    localDir: text(server, 'LocalDir') ?? '',
    remoteDir,
    comments: text(server, 'Comments') ?? '',
    colour,
  };
  const errors = validateSite({ ...input, parentId: null });
  if (errors.length > 0) return skip(errors.map((error) => error.message).join(' '));

  const summary: ImportedSite = {
    folder,
    name,
    host,
    port,
    mode,
    logonType,
    user,
    remoteDir,
    localDir: input.localDir,
    passwordIncluded: password !== undefined,
    transferMode,
    maxConnections,
    comments: input.comments,
    colour,
    notes,
  };
  return { site: { folder, input, ...(password !== undefined ? { password } : {}), summary } };
}
