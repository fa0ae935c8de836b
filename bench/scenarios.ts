// The scenarios every server runs, per link. A scenario names its tools' command lines, how to
// reset the destination before a run and how to check a run's result. Extra scenario modules
// (ScenarioModule) are registered in bench/run.ts.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { RunningServer } from '../test/servers/servers';
import {
  GROUPS,
  LARGE_MIB,
  LIST_COUNT,
  PARALLEL,
  SMALL_COUNT,
  SMALL_KIB,
  WAN,
  WAN_CURL_TREES,
  type Group,
} from './config';
import { countFiles, fresh, sizeOf, type Fixtures } from './fixtures';
import type { Command } from './measure';
import { toolsFor, type Link, type Tool } from './tools';

export interface Scenario {
  name: string;
  group: Group;
  variantPeers?: Record<string, string>;
  tools: Partial<Record<Tool, () => Command>>;
  /** Files moved and their bytes (round trips per file, CPU per GiB). */
  files?: number;
  bytes?: number;
  /** Connections each tool uses (round trips per file per connection). */
  connections?: Partial<Record<Tool, number>>;
  /** Data connections a run needs at least (checked at the proxy: a tool must not bypass it). */
  minDataConnections: number;
  /** Runs before each measurement: clears the destination. */
  reset: () => Promise<void>;
  /** Checks the result of one run; returns an error text or undefined. */
  check: () => Promise<string | undefined>;
}

/** What a scenario module gets: the server, the link it is seen through, fixtures and paths. */
export interface Builders {
  server: RunningServer;
  link: Link;
  fixtures: Fixtures;
  ferryBundle: string;
  work: string;
}

/** A module of extra scenarios (e.g. segmented downloads): its scenarios for one server and link. */
export type ScenarioModule = (b: Builders) => Promise<Scenario[]>;

export function largeScenarios(b: Builders, mib: number, name: string): Scenario[] {
  const { server, link, work } = b;
  const { base, curl, lftp, ferry } = toolsFor(server, link, b.ferryBundle);
  const down = path.join(work, 'down');
  const upDir = server.path('up');
  const bytes = mib * 1024 * 1024;
  const local = path.join(work, name);
  const common = { group: 'large' as const, files: 1, bytes, minDataConnections: 1 };
  return [
    {
      ...common,
      name: `${mib} MiB file, download`,
      reset: () => fresh(down),
      check: async () =>
        (await sizeOf(path.join(down, name))) === bytes ? undefined : 'size differs',
      tools: {
        ferry: () => ferry('get', `/${name}`, path.join(down, name)),
        curl: () => curl(`${base}/${name}`, '-o', path.join(down, name)),
        lftp: () => lftp(`get /${name} -o ${path.join(down, name)}`),
      },
    },
    {
      ...common,
      name: `${mib} MiB file, upload`,
      reset: () => fresh(upDir, server),
      check: async () =>
        (await sizeOf(path.join(upDir, name))) === bytes ? undefined : 'size differs',
      tools: {
        ferry: () => ferry('put', `/up/${name}`, local),
        curl: () => curl('-T', local, `${base}/up/${name}`),
        lftp: () => lftp(`put ${local} -o /up/${name}`),
      },
    },
  ];
}

export async function treeScenarios(
  b: Builders,
  group: Group,
  count: number,
  kib: number,
  withTls12Peer: boolean,
): Promise<Scenario[]> {
  const { server, link, work } = b;
  const { base, curl, lftp, ferry } = toolsFor(server, link, b.ferryBundle);
  const { dir, names } = await b.fixtures.tree(count, kib);
  const down = path.join(work, 'down');
  const upDir = server.path('up');
  const localTree = path.join(work, dir);
  // curl takes one URL/output pair per file from a config file: sequential, one connection.
  const tag = `${dir}-${link.host}`;
  const curlDownCfg = path.join(work, `curl-down-${tag}.cfg`);
  await writeFile(
    curlDownCfg,
    names
      .map((n) => `url = "${base}/${dir}/${n}"\noutput = "${path.join(down, dir, n)}"\n`)
      .join(''),
  );
  const curlUpCfg = path.join(work, `curl-up-${tag}.cfg`);
  await writeFile(
    curlUpCfg,
    names
      .map((n) => `upload-file = "${path.join(localTree, n)}"\nurl = "${base}/up/${dir}/${n}"\n`)
      .join(''),
  );
  const size = kib >= 1024 ? `${kib / 1024} MiB` : `${kib} KiB`;
  const withCurl = !link.proxy || WAN_CURL_TREES;
  const common = {
    group,
    files: count,
    bytes: count * kib * 1024,
    minDataConnections: count,
    connections: {
      ferry: PARALLEL,
      lftp: PARALLEL,
      'lftp (TLS 1.2)': PARALLEL,
      curl: 1,
    },
    // Ferry's default (automatic connections) against lftp's -P; its connections are counted.
    variantPeers: { 'ferry (auto)': 'lftp' },
  };
  return [
    {
      ...common,
      name: `${count} × ${size}, download`,
      reset: () => fresh(down),
      check: async () => {
        const n = await countFiles(down);
        return n === count ? undefined : `${n} files`;
      },
      tools: {
        ferry: () => ferry('get-dir', `/${dir}`, path.join(down, dir), String(PARALLEL)),
        'ferry (auto)': () => ferry('get-dir', `/${dir}`, path.join(down, dir), 'auto'),
        ...(withCurl ? { curl: () => curl('--create-dirs', '-K', curlDownCfg) } : {}),
        lftp: () => lftp(`mirror -P ${PARALLEL} /${dir} ${path.join(down, dir)}`),
        ...(withTls12Peer
          ? {
              'lftp (TLS 1.2)': () =>
                lftp(`mirror -P ${PARALLEL} /${dir} ${path.join(down, dir)}`, true),
            }
          : {}),
      },
    },
    {
      ...common,
      name: `${count} × ${size}, upload`,
      reset: () => fresh(upDir, server),
      check: async () => {
        const n = await countFiles(upDir);
        return n === count ? undefined : `${n} files`;
      },
      tools: {
        ferry: () => ferry('put-dir', `/up/${dir}`, localTree, String(PARALLEL)),
        'ferry (auto)': () => ferry('put-dir', `/up/${dir}`, localTree, 'auto'),
        ...(withCurl ? { curl: () => curl('--ftp-create-dirs', '-K', curlUpCfg) } : {}),
        lftp: () => lftp(`mirror -R -P ${PARALLEL} ${localTree} /up/${dir}`),
      },
    },
  ];
}

export async function listScenario(b: Builders, count: number): Promise<Scenario> {
  const { server, link } = b;
  const { base, curl, lftp, ferry } = toolsFor(server, link, b.ferryBundle);
  const dir = await b.fixtures.list(count);
  return {
    name: `list ${count} entries`,
    group: 'list',
    minDataConnections: 1,
    variantPeers: { 'ferry (LIST)': 'lftp' },
    reset: () => Promise.resolve(),
    check: () => Promise.resolve(undefined),
    tools: {
      ferry: () => ferry('list', `/${dir}`),
      curl: () => curl(`${base}/${dir}/`, '-o', '/dev/null'),
      lftp: () => lftp(`ls /${dir} > /dev/null`),
      // Like for like where the server offers MLSD (ProFTPD): Ferry forced to LIST as lftp's
      // `ls` is, and lftp parsing MLSD as Ferry does by default.
      ...(server.kind === 'proftpd'
        ? {
            'ferry (LIST)': () => ferry('list', `/${dir}`, 'list'),
            'lftp (MLSD)': () => lftp(`set ftp:use-mlsd on; cls -l /${dir} > /dev/null`),
          }
        : {}),
    },
  };
}

/** The loopback set: one large file, a small-file tree, a listing. */
export async function loopbackScenarios(b: Builders): Promise<Scenario[]> {
  const { fixtures } = b;
  const scenarios: Scenario[] = [];
  if (GROUPS.has('large'))
    scenarios.push(...largeScenarios(b, LARGE_MIB, await fixtures.big(LARGE_MIB)));
  if (GROUPS.has('small'))
    scenarios.push(...(await treeScenarios(b, 'small', SMALL_COUNT, SMALL_KIB, true)));
  if (GROUPS.has('list')) scenarios.push(await listScenario(b, LIST_COUNT));
  return scenarios;
}

/** The WAN set: small and 1 MiB trees, one large file, a listing. */
export async function wanScenarios(b: Builders): Promise<Scenario[]> {
  const { fixtures } = b;
  const scenarios: Scenario[] = [];
  if (WAN.groups.has('small'))
    scenarios.push(...(await treeScenarios(b, 'small', WAN.smallCount, 16, false)));
  if (WAN.groups.has('medium'))
    scenarios.push(...(await treeScenarios(b, 'medium', WAN.mediumCount, 1024, false)));
  if (WAN.groups.has('large'))
    scenarios.push(...largeScenarios(b, WAN.largeMib, await fixtures.big(WAN.largeMib)));
  if (WAN.groups.has('list')) scenarios.push(await listScenario(b, WAN.listCount));
  return scenarios;
}
