import type { PinnedCertificate, PinStore } from '../engine/types';
import { readJson, writeJson } from './json-file';

/** Pinned ("always trust") certificates, one per host and port, in a JSON file. */
export class JsonPinStore implements PinStore {
  private cache: Promise<Record<string, PinnedCertificate>> | undefined;

  constructor(private readonly file: string) {}

  private load(): Promise<Record<string, PinnedCertificate>> {
    this.cache ??= readJson<Record<string, PinnedCertificate>>(this.file, {});
    return this.cache;
  }

  async get(host: string, port: number): Promise<PinnedCertificate | undefined> {
    const pins = await this.load();
    return pins[key(host, port)];
  }

  async set(pin: PinnedCertificate): Promise<void> {
    const pins = { ...(await this.load()), [key(pin.host, pin.port)]: pin };
    this.cache = Promise.resolve(pins);
    await writeJson(this.file, pins);
  }
}

function key(host: string, port: number): string {
  return `${host.toLowerCase()}:${port}`;
}
