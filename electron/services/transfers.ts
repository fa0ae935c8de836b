import { randomUUID } from 'node:crypto';
import { mkdir, readdir, stat } from 'node:fs/promises';
import { dirname, extname, join, basename } from 'node:path';
import type { TransferRequest } from '../../shared/ipc';
import type { FerryErrorDetail } from '../../shared/errors';
import type { DataConnectionRecord } from '../../shared/models';
import type {
  FileExistsAction,
  FileExistsAnswer,
  FileExistsQuestion,
  ProgressBatch,
  TransferItem,
  TransferProgressSample,
  TransferTotals,
} from '../../shared/transfers';
import { FerryError, toErrorDetail } from '../engine/errors';
import type { EmitEvent } from './events';
import type { LocalFsService } from './local-fs';
import {
  remoteBasename,
  remoteDirname,
  remoteJoin,
  SerialLane,
  type RemoteClient,
} from './remote-client';

/**
 * What the app needs from a transfer queue. The first implementation below runs one transfer at a
 * time; the real queue (electron/queue) provides the same shape.
 */
export interface TransferService {
  add(requests: TransferRequest[]): Promise<string[]>;
  cancel(id: string): Promise<void>;
  retry(id: string): Promise<void>;
  clearFinished(): void;
  list(): TransferItem[];
  answerFileExists(answer: FileExistsAnswer): void;
  /** Whether anything is queued or running (the window asks before closing). */
  hasPending(): boolean;
  /** Ends the connection and fails what is pending (the session ended). */
  reset(reason: string): Promise<void>;
  dispose(): Promise<void>;
}

export interface SequentialTransferOptions {
  /** Opens a connection for transfers to the current server. */
  openClient: () => Promise<RemoteClient>;
  /** Identifies the current server, e.g. `user@host:port`. */
  siteKey: () => string;
  emit: EmitEvent;
  localFs?: LocalFsService;
  onDataConnection?: (record: DataConnectionRecord) => void;
  defaults?: { upload: FileExistsAction; download: FileExistsAction };
  /** How often progress batches go out. */
  progressIntervalMs?: number;
}

interface Speedometer {
  samples: Array<{ t: number; bytes: number }>;
}

interface Target {
  exists: boolean;
  size?: number;
  modified?: string;
}

const FINISHED = new Set(['done', 'failed', 'cancelled']);

export class SequentialTransferService implements TransferService {
  private readonly items = new Map<string, TransferItem>();
  private readonly speed = new Map<string, Speedometer>();
  private readonly dirty = new Set<string>();
  private readonly questions = new Map<string, (answer: FileExistsAnswer) => void>();
  private readonly policies: { upload: FileExistsAction; download: FileExistsAction };
  private readonly touched = { local: new Set<string>(), remote: new Set<string>() };
  /** The folder each job transfers into, refreshed when the queue drains. */
  private readonly jobTargets = new Map<string, string>();
  private client: RemoteClient | undefined;
  /** One command at a time on the transfer connection. */
  private readonly lane = new SerialLane();
  private clientPromise: Promise<RemoteClient> | undefined;
  private running: { id: string; abort: AbortController } | undefined;
  private pumping = false;
  private timer: ReturnType<typeof setInterval> | undefined;
  private lastTotalsKey = '';

  constructor(private readonly options: SequentialTransferOptions) {
    this.policies = { ...(options.defaults ?? { upload: 'ask', download: 'ask' }) };
  }

  list(): TransferItem[] {
    return [...this.items.values()];
  }

  hasPending(): boolean {
    return [...this.items.values()].some((item) => !FINISHED.has(item.state));
  }

  async add(requests: TransferRequest[]): Promise<string[]> {
    const jobIds: string[] = [];
    const created: TransferItem[] = [];
    for (const request of requests) {
      const jobId = randomUUID();
      jobIds.push(jobId);
      this.jobTargets.set(
        jobId,
        request.direction === 'download'
          ? dirname(request.localPath)
          : remoteDirname(request.remotePath),
      );
      const files = await this.expand(request);
      for (const file of files) {
        const item: TransferItem = {
          id: randomUUID(),
          jobId,
          siteKey: this.options.siteKey(),
          direction: request.direction,
          localPath: file.localPath,
          remotePath: file.remotePath,
          state: 'queued',
          priority: 0,
          bytesDone: 0,
          retries: 0,
          ...(file.size !== undefined ? { size: file.size } : {}),
        };
        this.items.set(item.id, item);
        created.push(item);
      }
    }
    if (created.length > 0) this.options.emit('transfers', created);
    this.pump();
    return jobIds;
  }

  async cancel(id: string): Promise<void> {
    const item = this.items.get(id);
    if (!item || FINISHED.has(item.state)) return;
    if (this.running?.id === id) {
      this.running.abort.abort();
      await this.client?.cancel().catch(() => undefined);
      return;
    }
    this.update(item, { state: 'cancelled' });
  }

  retry(id: string): Promise<void> {
    const item = this.items.get(id);
    if (!item || (item.state !== 'failed' && item.state !== 'cancelled')) return Promise.resolve();
    const next: TransferItem = {
      ...item,
      state: 'queued',
      bytesDone: 0,
      retries: item.retries + 1,
    };
    delete next.error;
    this.items.set(id, next);
    this.options.emit('transfers', [next]);
    this.pump();
    return Promise.resolve();
  }

  clearFinished(): void {
    const removed = [...this.items.values()].filter(
      (item) => item.state === 'done' || item.state === 'cancelled',
    );
    for (const item of removed) {
      this.items.delete(item.id);
      this.speed.delete(item.id);
    }
    if (removed.length > 0)
      this.options.emit(
        'transfersRemoved',
        removed.map((item) => item.id),
      );
    this.sendProgress(true);
  }

  answerFileExists(answer: FileExistsAnswer): void {
    const resolve = this.questions.get(answer.questionId);
    if (!resolve)
      throw new FerryError({
        kind: 'usage',
        step: 'Answer file-exists question',
        reason: 'no such question',
      });
    this.questions.delete(answer.questionId);
    resolve(answer);
  }

  async reset(reason: string): Promise<void> {
    for (const resolve of this.questions.values()) {
      resolve({ questionId: '', action: 'skip', applyToAll: false });
    }
    this.questions.clear();
    const detail: FerryErrorDetail = { kind: 'closed', step: 'Transfer', reason };
    for (const item of this.items.values()) {
      if (!FINISHED.has(item.state) && item.id !== this.running?.id)
        this.update(item, { state: 'failed', error: detail });
    }
    this.running?.abort.abort();
    await this.closeClient();
  }

  async dispose(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.reset('Ferry is closing');
  }

  // --- internals -------------------------------------------------------------------------------

  private async expand(
    request: TransferRequest,
  ): Promise<Array<{ localPath: string; remotePath: string; size?: number }>> {
    if (request.direction === 'upload') {
      const info = await stat(request.localPath).catch((error: unknown) => {
        throw new FerryError(
          {
            kind: 'local-fs',
            step: 'Queue upload',
            path: request.localPath,
            code: (error as NodeJS.ErrnoException).code ?? 'EIO',
            reason: 'cannot read the file',
          },
          { cause: error },
        );
      });
      if (!info.isDirectory())
        return [{ localPath: request.localPath, remotePath: request.remotePath, size: info.size }];
      const out: Array<{ localPath: string; remotePath: string; size?: number }> = [];
      const walk = async (local: string, remote: string): Promise<void> => {
        for (const entry of await readdir(local, { withFileTypes: true })) {
          const l = join(local, entry.name);
          const r = remoteJoin(remote, entry.name);
          if (entry.isDirectory()) await walk(l, r);
          else if (entry.isFile())
            out.push({ localPath: l, remotePath: r, size: (await stat(l)).size });
        }
      };
      await walk(request.localPath, request.remotePath);
      return out;
    }
    if (!request.isDirectory)
      return [{ localPath: request.localPath, remotePath: request.remotePath }];
    return this.lane.run(async () => {
      const client = await this.connection();
      const out: Array<{ localPath: string; remotePath: string; size?: number }> = [];
      const walk = async (remote: string, local: string): Promise<void> => {
        for (const entry of await client.list(remote)) {
          if (entry.name === '.' || entry.name === '..') continue;
          const r = remoteJoin(remote, entry.name);
          const l = join(local, entry.name);
          if (entry.kind === 'dir') await walk(r, l);
          else if (entry.kind === 'file')
            out.push({
              localPath: l,
              remotePath: r,
              ...(entry.size !== undefined ? { size: entry.size } : {}),
            });
        }
      };
      await walk(request.remotePath, request.localPath);
      if (out.length === 0) await mkdir(request.localPath, { recursive: true });
      return out;
    });
  }

  private connection(): Promise<RemoteClient> {
    if (this.client) return Promise.resolve(this.client);
    this.clientPromise ??= this.options
      .openClient()
      .then((client) => {
        this.client = client;
        client.onClose(() => {
          if (this.client === client) this.client = undefined;
        });
        return client;
      })
      .finally(() => {
        this.clientPromise = undefined;
      });
    return this.clientPromise;
  }

  private async closeClient(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    await client?.close().catch(() => undefined);
  }

  private update(item: TransferItem, patch: Partial<TransferItem>): TransferItem {
    const next = { ...item, ...patch };
    this.items.set(item.id, next);
    this.options.emit('transfers', [next]);
    return next;
  }

  private pump(): void {
    if (this.pumping) return;
    this.pumping = true;
    this.timer ??= setInterval(
      () => this.sendProgress(false),
      this.options.progressIntervalMs ?? 200,
    );
    void this.drain().finally(() => {
      this.pumping = false;
      this.sendProgress(true);
      if (this.timer) clearInterval(this.timer);
      this.timer = undefined;
      void this.announceTouched();
      if ([...this.items.values()].some((item) => item.state === 'queued')) this.pump();
    });
  }

  private async drain(): Promise<void> {
    for (;;) {
      const next = [...this.items.values()].find((item) => item.state === 'queued');
      if (!next) return;
      await this.lane.run(() => this.runOne(next));
    }
  }

  private async runOne(queued: TransferItem): Promise<void> {
    const abort = new AbortController();
    this.running = { id: queued.id, abort };
    let item = this.update(queued, { state: 'connecting' });
    try {
      const client = await this.connection();
      if (abort.signal.aborted) throw new FerryError({ kind: 'cancelled', step: 'Transfer' });
      const decision = await this.resolveExisting(client, item);
      if (decision.skip) {
        this.update(item, {
          state: 'cancelled',
          error: { kind: 'cancelled', step: 'Skipped: the target exists' },
        });
        return;
      }
      item = this.update(item, {
        state: 'transferring',
        localPath: decision.localPath,
        remotePath: decision.remotePath,
      });
      this.speed.set(item.id, { samples: [{ t: Date.now(), bytes: decision.offset }] });
      const onProgress = (progress: { bytes: number; total?: number }): void => {
        const current = this.items.get(item.id);
        if (!current) return;
        const next = { ...current, bytesDone: decision.offset + progress.bytes };
        if (progress.total !== undefined) next.size = progress.total;
        this.items.set(item.id, next);
        this.track(item.id, next.bytesDone);
      };
      const transferOptions = {
        offset: decision.offset || undefined,
        onProgress,
        progressIntervalMs: 100,
        signal: abort.signal,
      };
      let result;
      if (item.direction === 'download') {
        await mkdir(dirname(item.localPath), { recursive: true });
        result = await client.download(item.remotePath, item.localPath, transferOptions);
        this.touched.local.add(dirname(item.localPath));
        this.touched.local.add(this.jobTargets.get(item.jobId) ?? dirname(item.localPath));
      } else {
        await client
          .mkdir(remoteDirname(item.remotePath), { recursive: true })
          .catch(() => undefined);
        result = await client.upload(item.localPath, item.remotePath, transferOptions);
        this.touched.remote.add(remoteDirname(item.remotePath));
        this.touched.remote.add(this.jobTargets.get(item.jobId) ?? remoteDirname(item.remotePath));
      }
      this.options.onDataConnection?.(result.record);
      const total = decision.offset + result.bytes;
      this.track(item.id, total);
      this.update(this.items.get(item.id) ?? item, {
        state: 'done',
        bytesDone: total,
        size: total,
        tlsResumed: result.record.resumed,
      });
    } catch (error) {
      const current = this.items.get(item.id) ?? item;
      const detail = toErrorDetail(error, item.direction === 'upload' ? 'Upload' : 'Download');
      if (abort.signal.aborted || detail.kind === 'cancelled')
        this.update(current, { state: 'cancelled' });
      else this.update(current, { state: 'failed', error: detail });
      if (
        detail.kind === 'closed' ||
        detail.kind === 'network' ||
        detail.kind === 'timeout' ||
        abort.signal.aborted
      ) {
        await this.closeClient();
      }
    } finally {
      this.dirty.add(item.id);
      this.running = undefined;
    }
  }

  private async resolveExisting(
    client: RemoteClient,
    item: TransferItem,
  ): Promise<{ skip: boolean; offset: number; localPath: string; remotePath: string }> {
    const source =
      item.direction === 'upload'
        ? await localTarget(item.localPath)
        : await remoteTarget(client, item.remotePath);
    const target =
      item.direction === 'upload'
        ? await remoteTarget(client, item.remotePath)
        : await localTarget(item.localPath);
    const plain = {
      skip: false,
      offset: 0,
      localPath: item.localPath,
      remotePath: item.remotePath,
    };
    if (!target.exists) return plain;
    let action = this.policies[item.direction];
    if (action === 'ask') {
      const question: FileExistsQuestion = {
        questionId: randomUUID(),
        itemId: item.id,
        direction: item.direction,
        source: {
          path: item.direction === 'upload' ? item.localPath : item.remotePath,
          ...sizeAndTime(source),
        },
        target: {
          path: item.direction === 'upload' ? item.remotePath : item.localPath,
          ...sizeAndTime(target),
        },
      };
      const answer = await new Promise<FileExistsAnswer>((resolve) => {
        this.questions.set(question.questionId, resolve);
        this.options.emit('fileExists', question);
      });
      action = answer.action;
      if (answer.applyToAll) this.policies[item.direction] = answer.action;
    }
    const newer =
      source.modified && target.modified
        ? Date.parse(source.modified) > Date.parse(target.modified)
        : true;
    const sizeDiffers =
      source.size === undefined || target.size === undefined || source.size !== target.size;
    switch (action) {
      case 'overwrite':
        return plain;
      case 'overwrite-if-newer':
        return newer ? plain : { ...plain, skip: true };
      case 'overwrite-if-size-differs':
        return sizeDiffers ? plain : { ...plain, skip: true };
      case 'overwrite-if-size-differs-or-newer':
        return sizeDiffers || newer ? plain : { ...plain, skip: true };
      case 'resume':
        return { ...plain, offset: target.size ?? 0 };
      case 'rename':
        return item.direction === 'download'
          ? { ...plain, localPath: await freeLocalName(item.localPath) }
          : { ...plain, remotePath: await freeRemoteName(client, item.remotePath) };
      case 'skip':
        return { ...plain, skip: true };
    }
  }

  private track(id: string, bytes: number): void {
    const meter = this.speed.get(id) ?? { samples: [] };
    const now = Date.now();
    meter.samples.push({ t: now, bytes });
    while (meter.samples.length > 2 && now - (meter.samples[0]?.t ?? now) > 3000)
      meter.samples.shift();
    this.speed.set(id, meter);
    this.dirty.add(id);
  }

  private sample(item: TransferItem): TransferProgressSample {
    const samples = this.speed.get(item.id)?.samples ?? [];
    const first = samples[0];
    const last = samples[samples.length - 1];
    const seconds = first && last ? (last.t - first.t) / 1000 : 0;
    const speed =
      item.state === 'transferring' && first && last && seconds > 0
        ? (last.bytes - first.bytes) / seconds
        : 0;
    const sample: TransferProgressSample = { id: item.id, bytesDone: item.bytesDone, speed };
    if (item.size !== undefined) sample.size = item.size;
    if (item.size !== undefined && speed > 0)
      sample.etaSeconds = Math.max(0, (item.size - item.bytesDone) / speed);
    return sample;
  }

  private totals(): TransferTotals {
    const totals: TransferTotals = {
      queued: 0,
      active: 0,
      done: 0,
      failed: 0,
      bytesDone: 0,
      bytesTotal: 0,
      speed: 0,
    };
    for (const item of this.items.values()) {
      if (item.state === 'queued' || item.state === 'paused') totals.queued++;
      else if (item.state === 'done') totals.done++;
      else if (item.state === 'failed') totals.failed++;
      else if (item.state !== 'cancelled') totals.active++;
      if (item.state !== 'cancelled') {
        totals.bytesDone += item.bytesDone;
        totals.bytesTotal += item.size ?? item.bytesDone;
      }
    }
    const running = this.running ? this.items.get(this.running.id) : undefined;
    if (running) totals.speed = this.sample(running).speed;
    return totals;
  }

  private sendProgress(force: boolean): void {
    const samples = [...this.dirty]
      .map((id) => this.items.get(id))
      .filter((i): i is TransferItem => !!i)
      .map((i) => this.sample(i));
    this.dirty.clear();
    const totals = this.totals();
    const key = JSON.stringify(totals);
    if (samples.length === 0 && !force && key === this.lastTotalsKey) return;
    this.lastTotalsKey = key;
    const batch: ProgressBatch = { samples, totals };
    this.options.emit('progress', batch);
  }

  private async announceTouched(): Promise<void> {
    const local = [...this.touched.local];
    const remote = [...this.touched.remote];
    this.touched.local.clear();
    this.touched.remote.clear();
    for (const dir of local) {
      const listing = await this.options.localFs?.list(dir).catch(() => undefined);
      if (listing) this.options.emit('listing', listing);
    }
    for (const dir of remote) {
      const client = this.client;
      if (!client) break;
      const entries = await this.lane.run(() => client.list(dir)).catch(() => undefined);
      if (entries) this.options.emit('listing', { side: 'remote', path: dir, entries });
    }
  }
}

function sizeAndTime(target: Target): { size?: number; modified?: string } {
  return {
    ...(target.size !== undefined ? { size: target.size } : {}),
    ...(target.modified !== undefined ? { modified: target.modified } : {}),
  };
}

async function localTarget(path: string): Promise<Target> {
  try {
    const info = await stat(path);
    return { exists: true, size: info.size, modified: info.mtime.toISOString() };
  } catch {
    return { exists: false };
  }
}

async function remoteTarget(client: RemoteClient, path: string): Promise<Target> {
  try {
    const entries = await client.list(remoteDirname(path));
    const entry = entries.find((e) => e.name === remoteBasename(path));
    if (!entry) return { exists: false };
    return {
      exists: true,
      ...sizeAndTime({ exists: true, size: entry.size, modified: entry.modified }),
    };
  } catch {
    return { exists: false };
  }
}

async function freeLocalName(path: string): Promise<string> {
  const ext = extname(path);
  const stem = basename(path, ext);
  for (let n = 1; n < 1000; n++) {
    const candidate = join(dirname(path), `${stem} (${n})${ext}`);
    if (!(await localTarget(candidate)).exists) return candidate;
  }
  return path;
}

async function freeRemoteName(client: RemoteClient, path: string): Promise<string> {
  const names = new Set(
    (await client.list(remoteDirname(path)).catch(() => [])).map((e) => e.name),
  );
  const name = remoteBasename(path);
  const dot = name.lastIndexOf('.');
  const stem = dot > 0 ? name.slice(0, dot) : name;
  const ext = dot > 0 ? name.slice(dot) : '';
  for (let n = 1; n < 1000; n++) {
    const candidate = `${stem} (${n})${ext}`;
    if (!names.has(candidate)) return remoteJoin(remoteDirname(path), candidate);
  }
  return path;
}
