import type { FtpReply } from './reply-parser';
import type { Features } from './types';

export function noFeatures(): Features {
  return {
    raw: new Map(),
    mlst: false,
    mlstFacts: [],
    restStream: false,
    utf8: false,
    epsv: false,
    mfmt: false,
    size: false,
    mdtm: false,
    hash: [],
    xsha256: false,
    xsha1: false,
    xmd5: false,
    xcrc: false,
    clnt: false,
    pret: false,
    ccc: false,
  };
}

/** Splits `a*;b;` lists; the `*` only marks what is currently selected, not what is offered. */
function factList(params: string): string[] {
  return params
    .split(';')
    .map((item) => item.trim().replace(/\*$/, ''))
    .filter((item) => item.length > 0);
}

/**
 * Reads a FEAT reply (RFC 2389). `null` (or a non-2xx reply) means the server refused FEAT, so
 * nothing beyond RFC 959 may be assumed.
 */
export function parseFeatures(reply: FtpReply | null): Features {
  const features = noFeatures();
  if (!reply || reply.code < 200 || reply.code > 299) return features;

  // Only the lines between the first and the last carry features; a single-line 211 has none.
  for (const rawLine of reply.lines.slice(1, -1)) {
    // Some servers repeat the code on every line (`211-MDTM`); no feature name starts with a digit.
    const line = rawLine.replace(/^\d{3}-/, '').trim();
    if (line.length === 0) continue;
    const space = line.search(/\s/);
    const key = (space === -1 ? line : line.slice(0, space)).toUpperCase();
    const params = space === -1 ? '' : line.slice(space + 1).trim();
    const previous = features.raw.get(key);
    features.raw.set(key, previous === undefined ? params : `${previous}\n${params}`);

    switch (key) {
      case 'MLST':
        features.mlst = true;
        features.mlstFacts = factList(params).map((fact) => fact.toLowerCase());
        break;
      case 'REST':
        if (/(^|\s)STREAM(\s|$)/i.test(params)) features.restStream = true;
        break;
      case 'UTF8':
        features.utf8 = true;
        break;
      case 'EPSV':
        features.epsv = true;
        break;
      case 'MFMT':
        features.mfmt = true;
        break;
      case 'SIZE':
        features.size = true;
        break;
      case 'MDTM':
        features.mdtm = true;
        break;
      case 'HASH':
        features.hash = factList(params).map((name) => name.toUpperCase());
        break;
      case 'XSHA256':
        features.xsha256 = true;
        break;
      case 'XSHA1':
        features.xsha1 = true;
        break;
      case 'XMD5':
        features.xmd5 = true;
        break;
      case 'XCRC':
        features.xcrc = true;
        break;
      case 'CLNT':
        features.clnt = true;
        break;
      case 'PRET':
        features.pret = true;
        break;
      case 'CCC':
        features.ccc = true;
        break;
    }
  }
  return features;
}
