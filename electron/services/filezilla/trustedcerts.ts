/**
 * FileZilla's `trustedcerts.xml`: certificates the user chose to always trust, per host and port,
 * as hex DER. Each becomes a Ferry pin (fingerprint and certificate, for the changed-certificate
 * comparison).
 */
import { X509Certificate } from 'node:crypto';
import type { ImportedPin, SkippedEntry } from '../../../shared/sites';
import { describeCertificate } from '../../engine/certificate';
import type { PinnedCertificate } from '../../engine/types';
import {
  childNamed,
  childrenOf,
  FileZillaFormatError,
  findTag,
  ownText,
  parseXml,
  tagOf,
} from './sitemanager';

export interface ParsedTrustedCerts {
  pins: PinnedCertificate[];
  summaries: ImportedPin[];
  skipped: SkippedEntry[];
}

export function isTrustedCertsXml(xml: string): boolean {
  try {
    const root = findTag(parseXml(xml), 'FileZilla3');
    return root !== undefined && childNamed(root, 'TrustedCerts') !== undefined;
  } catch {
    return false;
  }
}

export function parseTrustedCerts(xml: string, now = new Date()): ParsedTrustedCerts {
  const root = findTag(parseXml(xml), 'FileZilla3');
  const list = root ? childNamed(root, 'TrustedCerts') : undefined;
  if (!list)
    throw new FileZillaFormatError(
      'this is not a FileZilla trustedcerts.xml (no <FileZilla3><TrustedCerts>)',
    );
  const result: ParsedTrustedCerts = { pins: [], summaries: [], skipped: [] };
  for (const node of childrenOf(list)) {
    if (tagOf(node) !== 'Certificate') continue;
    const field = (tag: string): string => {
      const child = childNamed(node, tag);
      return child ? ownText(child).trim() : '';
    };
    const host = field('Host');
    const portText = field('Port');
    const port = Number(portText);
    const name = `${host || '?'}:${portText || '?'}`;
    if (host === '' || !/^\d+$/.test(portText) || port < 1 || port > 65535) {
      result.skipped.push({
        folder: [],
        name,
        reason: 'certificate without a valid host and port',
      });
      continue;
    }
    const hex = field('Data').replace(/\s+/g, '');
    if (!/^([0-9a-fA-F]{2})+$/.test(hex)) {
      result.skipped.push({ folder: [], name, reason: 'the certificate data is not hex DER' });
      continue;
    }
    let certificate;
    try {
      certificate = describeCertificate(new X509Certificate(Buffer.from(hex, 'hex')), now);
    } catch (error) {
      result.skipped.push({
        folder: [],
        name,
        reason: `the certificate does not parse (${error instanceof Error ? error.message : String(error)})`,
      });
      continue;
    }
    result.pins.push({
      host,
      port,
      fingerprint256: certificate.fingerprint256,
      certificate,
      pinnedAt: now.toISOString(),
    });
    result.summaries.push({
      host,
      port,
      fingerprint256: certificate.fingerprint256,
      subject: certificate.subject.text,
      validTo: certificate.validTo,
    });
  }
  return result;
}
