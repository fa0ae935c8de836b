/**
 * "Remember for this site" answers to the plain-FTP question: the sites whose user chose to go on
 * without TLS when the server refused it. Each answer is bound to the host, port and mode it was
 * given for, so a site pointed somewhere else asks again. Kept in `plain-fallback.json`.
 */
import type { Site } from '../../../shared/sites';
import { readVersionedJson, writeVersionedJson } from '../../files/atomic-json';

const SCHEMA_VERSION = 1;

type Remembered = Record<string, string>;

const targetOf = (site: Pick<Site, 'host' | 'port' | 'mode'>): string =>
  JSON.stringify([site.mode, site.host.trim().toLowerCase(), site.port]);

export class PlainFallbackStore {
  private cache: Promise<Remembered> | undefined;

  constructor(private readonly file: string) {}

  private load(): Promise<Remembered> {
    this.cache ??= readVersionedJson<Remembered>(this.file, {
      schemaVersion: SCHEMA_VERSION,
      fallback: () => ({}),
      parse: (data) => {
        if (typeof data !== 'object' || data === null || Array.isArray(data)) {
          throw new Error('not an object');
        }
        return Object.fromEntries(
          Object.entries(data).filter((entry): entry is [string, string] => {
            return typeof entry[1] === 'string';
          }),
        );
      },
    })
      .then((result) => result.value)
      .catch(() => ({}));
    return this.cache;
  }

  async allowed(site: Site): Promise<boolean> {
    return (await this.load())[site.id] === targetOf(site);
  }

  /** The ids of `sites` whose remembered answer still matches where the site points. */
  async rememberedIds(sites: readonly Site[]): Promise<string[]> {
    const remembered = await this.load();
    return sites.filter((site) => remembered[site.id] === targetOf(site)).map((site) => site.id);
  }

  async remember(site: Site): Promise<void> {
    const next = { ...(await this.load()), [site.id]: targetOf(site) };
    this.cache = Promise.resolve(next);
    await writeVersionedJson(this.file, SCHEMA_VERSION, next);
  }

  async forget(siteId: string): Promise<void> {
    const current = await this.load();
    if (!(siteId in current)) return;
    const { [siteId]: _gone, ...rest } = current;
    this.cache = Promise.resolve(rest);
    await writeVersionedJson(this.file, SCHEMA_VERSION, rest);
  }
}
