import path from 'node:path';
import type { TransferItem } from '../../shared/transfers';
import type { FtpsClient } from '../engine/client';
import { FerryError } from '../engine/errors';
import { resolveLocalTarget } from '../engine/safe-path';
import { remoteJoin } from '../../shared/remote-path';
import { ensureRealFolder } from '../files/download-target';
import type { FileFacts } from './file-exists';
import { walkLocal, walkRemote, type WalkEntry } from './tree-walker';
import type { JobRecord } from './types';

/** A file the expansion found, ready to become a queue item. */
export interface ExpandedFile {
  relative: string;
  localPath: string;
  remotePath: string;
  source: FileFacts;
}

export type ExpandedEntry =
  | { kind: 'file'; file: ExpandedFile }
  | {
      kind: 'rejected';
      relative: string;
      localPath: string;
      remotePath: string;
      error: NonNullable<TransferItem['error']>;
    };

/**
 * Turns a folder job into file entries step by step. The walk is a lazy generator, so the queue
 * pulls a batch, transfers it, and pulls more: 100,000 files never stall the start. Folders are
 * created as they are reached (locally for downloads, MKD for uploads), empty ones included.
 * The client for remote work is passed per step (the expansion borrows a pooled connection).
 */
export class FolderExpander {
  private client: FtpsClient | undefined;
  private readonly walk: AsyncGenerator<WalkEntry>;
  private finished = false;
  /** The server refused `LIST -a`: hidden files of this folder may have been missed. */
  hiddenFilesRefusal: { code: number; text: string } | undefined;
  private steps = 0;

  constructor(private readonly job: JobRecord) {
    this.walk =
      job.direction === 'download'
        ? walkRemote((dir) => this.requireClient().list(dir), job.remotePath)
        : walkLocal(job.localPath);
  }

  get done(): boolean {
    return this.finished;
  }

  /** Steps taken so far (the first one of a remote walk is kept small). */
  get stepsTaken(): number {
    return this.steps;
  }

  private requireClient(): FtpsClient {
    if (!this.client) throw new Error('expansion step without a connection');
    return this.client;
  }

  /** Pulls up to `max` files (folders are handled on the way). */
  async step(client: FtpsClient, max: number): Promise<ExpandedEntry[]> {
    this.client = client;
    this.steps++;
    const out: ExpandedEntry[] = [];
    try {
      while (out.length < max) {
        const next = await this.walk.next();
        if (next.done) {
          this.finished = true;
          break;
        }
        const entry = await this.map(next.value);
        if (entry) out.push(entry);
      }
    } finally {
      this.hiddenFilesRefusal ??=
        this.job.direction === 'download' ? client.hiddenFilesRefusal : undefined;
      this.client = undefined;
    }
    return out;
  }

  private async map(entry: WalkEntry): Promise<ExpandedEntry | undefined> {
    const { job } = this;
    const remotePath =
      entry.relative === '' ? job.remotePath : remoteJoin(job.remotePath, entry.relative);
    if (entry.kind === 'rejected') {
      return {
        kind: 'rejected',
        relative: entry.relative,
        localPath: job.localPath,
        remotePath,
        error: {
          kind: 'unsafe-input',
          step: `expand ${job.remotePath}`,
          reason: `${entry.relative}: ${entry.reason}`,
        },
      };
    }
    let localPath: string;
    try {
      localPath =
        entry.relative === ''
          ? path.resolve(job.localPath)
          : job.direction === 'download'
            ? resolveLocalTarget(job.localPath, entry.relative)
            : path.join(job.localPath, ...entry.relative.split('/'));
    } catch (error) {
      if (!(error instanceof FerryError)) throw error;
      return {
        kind: 'rejected',
        relative: entry.relative,
        localPath: job.localPath,
        remotePath,
        error: error.detail,
      };
    }
    if (entry.kind === 'dir') {
      if (job.direction === 'download') {
        try {
          await ensureRealFolder(job.localPath, localPath, `expand ${job.remotePath}`);
        } catch (error) {
          if (!(error instanceof FerryError)) throw error;
          // A symbolic link (or a file) in the way: that folder's files fail one by one.
          return {
            kind: 'rejected',
            relative: entry.relative,
            localPath,
            remotePath,
            error: error.detail,
          };
        }
      } else await this.makeRemoteFolder(remotePath, entry.relative === '');
      return undefined;
    }
    const source: FileFacts = {
      ...(entry.size !== undefined ? { size: entry.size } : {}),
      ...(entry.modifiedMs !== undefined ? { modifiedMs: entry.modifiedMs } : {}),
      ...(entry.modifiedPrecision ? { modifiedPrecision: entry.modifiedPrecision } : {}),
    };
    return { kind: 'file', file: { relative: entry.relative, localPath, remotePath, source } };
  }

  private async makeRemoteFolder(remotePath: string, isRoot: boolean): Promise<void> {
    const client = this.requireClient();
    if (isRoot) {
      await client.mkdir(remotePath, { recursive: true });
      return;
    }
    // The walk is top-down, so the parent exists: one MKD. "Exists already" is a 5xx we accept;
    // any real failure surfaces when the files inside are uploaded.
    await client.mkdir(remotePath).catch((error: unknown) => {
      const detail = error instanceof FerryError ? error.detail : undefined;
      if (detail?.kind === 'ftp-reply' && detail.code >= 500) return;
      throw error;
    });
  }

  async close(): Promise<void> {
    await this.walk.return(undefined);
  }
}
