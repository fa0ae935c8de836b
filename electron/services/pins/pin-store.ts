/**
 * "Always trust" pins, persisted in `pins.json`: the leaf certificate's SHA-256 and the certificate
 * itself (so a changed certificate can be compared with the pinned one), per host and port.
 * Implements the engine's PinStore; list/remove serve the settings page.
 */
import type { CertificateInfo } from '../../../shared/models';
import type { PinSummary, StoreNotice } from '../../../shared/sites';
import type { PinnedCertificate, PinStore } from '../../engine/types';
import { readVersionedJson, writeVersionedJson } from '../../files/atomic-json';

const SCHEMA_VERSION = 1;

export type { PinSummary } from '../../../shared/sites';

export function pinKey(host: string, port: number): string {
  return `${host.toLowerCase()}:${port}`;
}

export function summarizePin(pin: PinnedCertificate, now = new Date()): PinSummary {
  return {
    host: pin.host,
    port: pin.port,
    subject: pin.certificate.subject.text,
    issuer: pin.certificate.issuer.text,
    fingerprint256: pin.fingerprint256,
    validTo: pin.certificate.validTo,
    expired: new Date(pin.certificate.validTo).getTime() < now.getTime(),
    pinnedAt: pin.pinnedAt,
  };
}

function isPin(value: unknown): value is PinnedCertificate {
  const pin = value as Partial<PinnedCertificate> | null;
  const cert = pin?.certificate as Partial<CertificateInfo> | undefined;
  return (
    typeof pin?.host === 'string' &&
    typeof pin.port === 'number' &&
    typeof pin.fingerprint256 === 'string' &&
    typeof pin.pinnedAt === 'string' &&
    typeof cert?.fingerprint256 === 'string' &&
    typeof cert.subject?.text === 'string'
  );
}

function parsePins(data: unknown): Map<string, PinnedCertificate> {
  const list = (data as { pins?: unknown } | null)?.pins;
  if (!Array.isArray(list)) throw new Error('no pin list');
  const pins = new Map<string, PinnedCertificate>();
  for (const item of list) {
    if (!isPin(item)) throw new Error('a pin entry is incomplete');
    pins.set(pinKey(item.host, item.port), item);
  }
  return pins;
}

export class PersistentPinStore implements PinStore {
  private cache: Promise<Map<string, PinnedCertificate>> | undefined;
  private noticeValue: StoreNotice | undefined;
  private readonly listeners = new Set<(pins: PinSummary[]) => void>();

  constructor(private readonly file: string) {}

  private load(): Promise<Map<string, PinnedCertificate>> {
    this.cache ??= readVersionedJson(this.file, {
      schemaVersion: SCHEMA_VERSION,
      parse: (data) => parsePins(data),
      fallback: () => new Map<string, PinnedCertificate>(),
      // Before versioning, pins were a plain object keyed by host:port.
      legacy: (raw) => {
        if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
        const values = Object.values(raw);
        return values.every(isPin) ? parsePins({ pins: values }) : undefined;
      },
    }).then((result) => {
      this.noticeValue = result.notice;
      return result.value;
    });
    return this.cache;
  }

  /** Set when pins.json was unreadable and set aside. */
  async notice(): Promise<StoreNotice | undefined> {
    await this.load();
    return this.noticeValue;
  }

  async get(host: string, port: number): Promise<PinnedCertificate | undefined> {
    return (await this.load()).get(pinKey(host, port));
  }

  async set(pin: PinnedCertificate): Promise<void> {
    const next = new Map(await this.load());
    next.set(pinKey(pin.host, pin.port), pin);
    await this.save(next);
  }

  /** Every pin, sorted by host then port. */
  async list(): Promise<PinnedCertificate[]> {
    return [...(await this.load()).values()].sort(
      (a, b) => a.host.localeCompare(b.host) || a.port - b.port,
    );
  }

  async summaries(now = new Date()): Promise<PinSummary[]> {
    return (await this.list()).map((pin) => summarizePin(pin, now));
  }

  /** Removes a pin; the next connection prompts again. Returns whether one was removed. */
  async remove(host: string, port: number): Promise<boolean> {
    const current = await this.load();
    if (!current.has(pinKey(host, port))) return false;
    const next = new Map(current);
    next.delete(pinKey(host, port));
    await this.save(next);
    return true;
  }

  /** Called after every change with the new list (for a `pinsChanged` event). */
  onChange(listener: (pins: PinSummary[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private async save(next: Map<string, PinnedCertificate>): Promise<void> {
    this.cache = Promise.resolve(next);
    await writeVersionedJson(this.file, SCHEMA_VERSION, { pins: [...next.values()] });
    if (this.listeners.size > 0) {
      const summaries = await this.summaries();
      for (const listener of this.listeners) listener(summaries);
    }
  }
}
