import type { FerryErrorDetail } from '../../shared/errors';
import type { FtpsClient } from '../engine/client';
import { FerryError, toErrorDetail } from '../engine/errors';
import { backoffDelay, classifyFailure, sleep } from './backoff';
import { downloadFile } from './download';
import { ItemState, type RunOutcome } from './item-state';
import { PoolShrunk } from './pool';
import { resolveTarget } from './target';
import { uploadFile } from './upload';
import { strongestMethod } from './verify';

export type { RunContext, RunOutcome, RunSettings } from './item-state';

/**
 * Runs one file item to the end: existence policy, transfer with resume on faults, verification,
 * modification time. One attempt holds one pooled connection; a fault closes that connection and
 * the next attempt resumes from the offset the destination already has.
 */
export class ItemRunner extends ItemState {
  async run(): Promise<RunOutcome> {
    const { item, signal } = this.ctx;
    let resolved = false;
    let resumeOffset: number | undefined;
    for (;;) {
      if (signal.aborted) return { state: 'aborted' };
      this.ctx.setState('connecting');
      let client: FtpsClient;
      try {
        client = await this.ctx.pool.acquire();
      } catch (error) {
        if (error instanceof PoolShrunk) return { state: 'requeue' };
        const retry = await this.onFailure(error, false);
        if (retry) continue;
        return { state: 'failed', error: toErrorDetail(error, 'connect') };
      }
      const before = item.bytesDone;
      try {
        if (!resolved) {
          const decision = await resolveTarget(this, client);
          if (decision.kind === 'skip') {
            this.ctx.pool.release(client, true);
            return { state: 'skipped', reason: decision.reason };
          }
          if (decision.kind === 'ask') {
            // Do not hold a connection while a person thinks.
            this.ctx.pool.release(client, true);
            const answer = await this.ctx.ask(decision.question);
            this.ctx.action = answer;
            continue;
          }
          resumeOffset = decision.offset;
          resolved = true;
        }
        const outcome = await this.attempt(client, resumeOffset);
        resumeOffset = undefined;
        this.ctx.pool.release(client, true);
        return outcome;
      } catch (error) {
        const detail = toErrorDetail(error, `transfer ${item.remotePath}`);
        const kind = classifyFailure(detail);
        if (signal.aborted || kind === 'cancelled') {
          this.ctx.pool.release(client, !client.closed);
          return { state: 'aborted' };
        }
        this.ctx.pool.release(client, kind === 'permanent' && !client.closed);
        resumeOffset = undefined;
        if (detail.kind === 'ftp-reply' && detail.command === 'REST' && !this.restRefused) {
          // The server cannot resume: start the file again from zero (and verify it whole).
          this.restRefused = true;
          this.restart = true;
          this.ctx.log(
            'warning',
            `${item.remotePath}: REST refused (${detail.code}); starting again from zero`,
          );
          continue;
        }
        // A failed verification moved bytes but no real progress: it counts towards the bound.
        const progressed = !this.restart && item.bytesDone > before;
        if (await this.onFailure(error, progressed)) continue;
        return { state: 'failed', error: detail };
      }
    }
  }

  /** Decides whether to try again (after a backoff) and counts the retry. */
  private async onFailure(error: unknown, progressed: boolean): Promise<boolean> {
    const detail = toErrorDetail(error, 'transfer');
    if (classifyFailure(detail) !== 'transient') return false;
    this.noProgress = progressed ? 0 : this.noProgress + 1;
    const { retry } = this.ctx.settings;
    if (this.noProgress > retry.maxRetries) return false;
    this.ctx.item.retries++;
    const delay = backoffDelay(Math.max(1, this.noProgress), retry);
    this.ctx.log(
      'warning',
      `${this.ctx.item.remotePath}: ${describe(detail)}; retry ${this.ctx.item.retries} in ${delay} ms`,
    );
    await sleep(delay, this.ctx.signal);
    return true;
  }

  /** One transfer attempt plus verification; throws on any fault. */
  private async attempt(client: FtpsClient, resumeOffset: number | undefined): Promise<RunOutcome> {
    const restart = this.restart || this.restRefused;
    this.restart = false;
    const method = strongestMethod(client.features);
    const plan = { resumeOffset, restart, method, digests: this.digestsFor(method) };
    this.ctx.setState('transferring');
    if (this.ctx.item.direction === 'download') await downloadFile(this, client, plan);
    else await uploadFile(this, client, plan);
    return { state: 'done' };
  }
}

function describe(detail: FerryErrorDetail): string {
  return new FerryError(detail).message;
}
