import type { RecentConnection } from '../../shared/ipc';
import { readJson, writeJson } from '../files/atomic-json';

const LIMIT = 12;

/** Recent connections (never passwords), most recent first. */
export class RecentConnections {
  constructor(private readonly file: string) {}

  list(): Promise<RecentConnection[]> {
    return readJson<RecentConnection[]>(this.file, []);
  }

  async remember(entry: Omit<RecentConnection, 'lastUsed'>): Promise<RecentConnection[]> {
    const others = (await this.list()).filter((item) => !same(item, entry));
    const next = [{ ...entry, lastUsed: new Date().toISOString() }, ...others].slice(0, LIMIT);
    await writeJson(this.file, next);
    return next;
  }

  async forget(host: string, port: number, user: string): Promise<RecentConnection[]> {
    const next = (await this.list()).filter((item) => !same(item, { host, port, user }));
    await writeJson(this.file, next);
    return next;
  }
}

function same(
  a: Pick<RecentConnection, 'host' | 'port' | 'user'>,
  b: Pick<RecentConnection, 'host' | 'port' | 'user'>,
): boolean {
  return a.host.toLowerCase() === b.host.toLowerCase() && a.port === b.port && a.user === b.user;
}
