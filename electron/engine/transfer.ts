import { PassThrough, type Duplex } from 'node:stream';
import type { DataConnectionRecord } from '../../shared/models';
import type { ControlConnection } from './control';
import { openDataConnection, type DataChannelSettings, type DataConnection } from './data';
import { FerryError, toErrorDetail } from './errors';
import { replyError } from './reply-error';
import type { FtpReply } from './reply-parser';
import type { ServerQuirks } from './server-quirks';
import type { Timeouts, TransferOptions, TransferResult } from './types';

/** How long a failed data connection waits for the command's refusal, which explains more. */
const REFUSAL_GRACE_MS = 500;
/** How long the final reply may take after the data connection stalled. */
const STALLED_REPLY_MS = 2000;
/** An early EPSV older than this is not used: the server may have dropped its listener. */
const NEXT_PASSIVE_MAX_AGE_MS = 5000;
/**
 * Largest download that ends its TLS early (server-quirks.ts earlyCloseNotify): the round trip
 * it saves matters for small files only, and such a download is buffered whole (`unpaused`).
 */
const EARLY_CLOSE_MAX_BYTES = 256 * 1024;

/**
 * The bytes of a download whose TLS side we already ended (early close_notify), read without
 * ever pausing the TLS socket: paused after its end, Node's TLS socket over the carrier never
 * resumed, and a reader slower than the data (a sink's backpressure) stalled the transfer for
 * good. Only for downloads of at most EARLY_CLOSE_MAX_BYTES, which this buffers at most.
 */
function unpaused(tls: Duplex): Duplex {
  const out = new PassThrough({ highWaterMark: 2 * EARLY_CLOSE_MAX_BYTES });
  tls.on('data', (chunk: Buffer) => {
    if (!out.destroyed) out.write(chunk);
  });
  tls.once('end', () => out.end());
  tls.once('error', (error) => out.destroy(error));
  // The reader gave up (a size check, a failure): the connection goes with it.
  out.once('close', () => {
    if (!out.writableFinished) tls.destroy();
  });
  return out;
}

function sleep(ms: number): Promise<undefined> {
  return new Promise((resolve) => setTimeout(() => resolve(undefined), ms).unref());
}

interface ActiveTransfer {
  data: DataConnection;
  cancelled: boolean;
}

export interface TransferPlan {
  command: string;
  step: string;
  offset?: number;
  signal?: AbortSignal | undefined;
  /** No size can catch a truncation: the TLS data connection must end with close_notify. */
  needsCloseNotify?: boolean;
  io: (stream: DataConnection['stream']) => Promise<number>;
  /** A download's bytes still to come, when the server told the size. */
  expectedBytes?: number;
  /** Aborted on purpose before its end (TransferOptions.stopsEarly): no shortcuts. */
  stopsEarly?: boolean;
  /**
   * Commands about the transferred file (an upload's SIZE and MFMT), answered after the final
   * reply. Where the next EPSV went early (overlapNextPassive) they follow it as soon as the data
   * is sent, so their answers arrive with the 226; elsewhere they go after the 226 with the next
   * EPSV.
   */
  followUps?: FollowUp[];
}

export interface FollowUp {
  command: string;
  step: string;
}

/** A transfer's result, with the replies to its follow-up commands, in order. */
export interface RunResult extends TransferResult {
  followUps?: FtpReply[];
}

/**
 * Runs a session's data transfers one at a time (the caller's command lock) and cancels the
 * running one.
 */
export class TransferRunner {
  private active: ActiveTransfer | undefined;
  /** The next transfer's EPSV, sent before this one's final reply (overlapNextPassive). */
  private nextPassive: { reply: Promise<FtpReply>; sentAt: number } | undefined;

  constructor(
    private readonly control: ControlConnection,
    private readonly timeouts: Timeouts,
    private readonly settings: () => DataChannelSettings,
    /** Every finished data connection, for the session's record. */
    private readonly records: DataConnectionRecord[],
    /** What the server allows to save round trips (server-quirks.ts). */
    private readonly quirks: ServerQuirks = { overlapNextPassive: false, earlyCloseNotify: false },
  ) {}

  /** A transfer is running (the keepalive stays quiet). */
  get busy(): boolean {
    return this.active !== undefined;
  }

  /** The EPSV sent early, while fresh; an older one's reply is left to arrive unused. */
  private takeNextPassive(): Promise<FtpReply> | undefined {
    const next = this.nextPassive;
    this.nextPassive = undefined;
    return next && Date.now() - next.sentAt < NEXT_PASSIVE_MAX_AGE_MS ? next.reply : undefined;
  }

  /**
   * Sends the next transfer's EPSV now: before this transfer's final reply where the server is
   * known to read it only after that reply (vsftpd), so the 229 arrives with the 226; or, on any
   * server, after the final reply together with a follow-up command (`afterFinal`).
   */
  private sendNextPassive(settings: DataChannelSettings, afterFinal = false): boolean {
    if (!(afterFinal || this.quirks.overlapNextPassive)) return false;
    if (settings.active || settings.passiveState.epsvRefused) return false;
    const reply = this.control.send('EPSV', { step: 'open next data connection (EPSV)' });
    reply.catch(() => undefined);
    this.nextPassive = { reply, sentAt: Date.now() };
    return true;
  }

  private sendFollowUps(followUps: FollowUp[]): Array<Promise<FtpReply>> {
    return followUps.map(({ command, step }) => {
      const reply = this.control.send(command, { step });
      reply.catch(() => undefined);
      return reply;
    });
  }

  private withReplyTimeout<T>(
    promise: Promise<T>,
    step: string,
    ms = this.timeouts.replyMs,
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        const detail = { kind: 'timeout' as const, step, ms };
        this.control.destroy(detail);
        reject(new FerryError(detail));
      }, ms);
      promise.then(
        (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        (error: unknown) => {
          clearTimeout(timer);
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      );
    });
  }

  /**
   * One data transfer: data connection first (its TLS handshake overlaps the command), then the
   * command; done only when both the final reply and the data connection's close have arrived.
   */
  run(plan: TransferPlan): Promise<RunResult> {
    return this.control.exclusive(async () => {
      const verb = plan.command.split(' ')[0] ?? plan.command;
      const watchCloseNotify = Boolean(plan.needsCloseNotify) && this.settings().protect;
      const settings = { ...this.settings(), prefetchedEpsv: this.takeNextPassive() };
      // Small downloads only: the carrier that keeps TCP open costs a JavaScript hop per chunk,
      // and one round trip matters only where the file takes a few.
      const earlyCloseNotify =
        !plan.stopsEarly &&
        this.quirks.earlyCloseNotify &&
        settings.protect &&
        plan.expectedBytes !== undefined &&
        plan.expectedBytes <= EARLY_CLOSE_MAX_BYTES;
      const data = await openDataConnection(settings, verb, {
        step: plan.step,
        watchCloseNotify,
        earlyCloseNotify,
      });
      const active: ActiveTransfer = { data, cancelled: false };
      this.active = active;
      const onAbort = (): void => void this.cancel();
      plan.signal?.addEventListener('abort', onAbort, { once: true });
      let final: Promise<FtpReply> | undefined;
      let secured = false;
      try {
        if (plan.signal?.aborted) active.cancelled = true;
        if (plan.offset && !active.cancelled) {
          const rest = await this.control.send(`REST ${plan.offset}`, {
            step: `${plan.step} (REST)`,
          });
          if (rest.code !== 350) throw replyError(plan.step, 'REST', rest);
        }
        if (active.cancelled) throw new FerryError({ kind: 'cancelled', step: plan.step });
        let preliminary: () => void = () => undefined;
        const gotPreliminary = new Promise<null>((resolve) => {
          preliminary = () => resolve(null);
        });
        final = this.control.send(plan.command, {
          step: plan.step,
          onPreliminary: preliminary,
          timeoutMs: 0,
        });
        final.catch(() => undefined);
        // The next file's EPSV goes now, on servers that read it only after this final reply.
        // Not before an ABOR we mean to send: its replies and the EPSV's would cross.
        const overlapped = !plan.stopsEarly && this.sendNextPassive(settings);
        // Only a failure of the data connection (its idle timeout, a reset) ends this wait early;
        // a server that never answers the command ends it at the reply timeout.
        const dataFailed = data.ready.then(() => new Promise<never>(() => undefined));
        const early = await this.withReplyTimeout(
          Promise.race([gotPreliminary, final, dataFailed]),
          plan.step,
        ).catch(async (error: unknown) => {
          // A server refusing the command (550) may drop the data connection first: its reply
          // says more than the broken handshake, so give it a moment to arrive.
          const refusal = await Promise.race([final, sleep(REFUSAL_GRACE_MS)]).catch(
            () => undefined,
          );
          if (refusal && refusal.code >= 300) return refusal;
          throw error;
        });
        if (early && early.code >= 300) throw replyError(plan.step, verb, early);
        await data.ready;
        secured = true;
        // The server may send its 226 only after our close_notify: on a download of known size
        // we have nothing to write, so it goes now instead of after the last byte.
        if (earlyCloseNotify) data.stream.end();
        const bytes = await plan.io(earlyCloseNotify ? unpaused(data.stream) : data.stream);
        // Sent now, the follow-ups wait in the server's buffer behind this transfer's end. Only
        // behind an early EPSV: a server that reads ahead then answers that first, which the
        // check on the final reply below catches.
        let followUps =
          plan.followUps && overlapped ? this.sendFollowUps(plan.followUps) : undefined;
        if (watchCloseNotify) {
          // Answer the server's close_notify with ours: over the watching carrier Node does not
          // end its side by itself, and vsftpd sends 226 only after the client's close_notify.
          data.stream.end();
          data.record.closeNotify = data.closeNotify === true;
          if (!data.record.closeNotify) {
            throw new FerryError({
              kind: 'closed',
              step: plan.step,
              reason: `the server ended the data connection after ${bytes} bytes without TLS close_notify, so the data may be truncated`,
            });
          }
        }
        const reply = await this.withReplyTimeout(final, plan.step);
        final = undefined;
        if (overlapped && reply.code === 229) {
          // The server answered the EPSV, not the transfer: replies no longer match commands.
          const detail = {
            kind: 'protocol' as const,
            step: plan.step,
            reason: `the server answered the next EPSV before the ${verb}'s final reply`,
          };
          this.control.destroy(detail);
          throw new FerryError(detail);
        }
        await this.withReplyTimeout(data.closed, plan.step);
        if (reply.code >= 300) throw replyError(plan.step, verb, reply);
        if (active.cancelled) throw new FerryError({ kind: 'cancelled', step: plan.step });
        this.records.push(data.record);
        if (plan.followUps && !followUps) {
          // The follow-ups cost a round trip here: the next transfer's EPSV shares it (no
          // transfer is running, so every server takes them in order).
          followUps = this.sendFollowUps(plan.followUps);
          if (!overlapped) this.sendNextPassive(settings, true);
        }
        return {
          bytes,
          record: data.record,
          reply: { code: reply.code, text: reply.text },
          ...(followUps
            ? {
                followUps: await Promise.all(
                  followUps.map((reply) => this.withReplyTimeout(reply, plan.step)),
                ),
              }
            : {}),
        };
      } catch (error) {
        data.destroy();
        // A range ended on purpose (segmented download) still used a data connection worth
        // reporting: its TLS was up and its bytes count.
        if (secured && plan.stopsEarly && active.cancelled) this.records.push(data.record);
        // The server still owes the transfer command's final reply: consume it so the next
        // command does not read it as its own. After a stalled data connection the server is
        // likely stuck too: a short wait, then the control connection is closed (its state is
        // unknown) rather than holding the caller for a whole reply timeout.
        const stalled = error instanceof FerryError && error.detail.kind === 'timeout';
        const wait = stalled ? Math.min(this.timeouts.replyMs, STALLED_REPLY_MS) : undefined;
        if (final) await this.withReplyTimeout(final, plan.step, wait).catch(() => undefined);
        if (active.cancelled) throw new FerryError({ kind: 'cancelled', step: plan.step });
        throw error instanceof FerryError
          ? error
          : new FerryError(toErrorDetail(error, plan.step), { cause: error });
      } finally {
        plan.signal?.removeEventListener('abort', onAbort);
        this.active = undefined;
      }
    });
  }

  /**
   * Cancels the running transfer: ABOR in-band over TLS, the data connection destroyed, and
   * exactly one final reply consumed per outstanding command (the transfer's, then ABOR's).
   */
  async cancel(): Promise<void> {
    const active = this.active;
    if (!active || active.cancelled) return;
    active.cancelled = true;
    const abort = this.control.send('ABOR', { step: 'cancel (ABOR)' });
    active.data.destroy(new FerryError({ kind: 'cancelled', step: 'transfer' }));
    await abort.catch(() => undefined);
  }
}

/** Counts bytes and reports them every `progressIntervalMs` and once at the end. */
export function progressReporter(
  options: TransferOptions | undefined,
  total: number | undefined,
): { add: (n: number) => void; stop: () => number } {
  let bytes = 0;
  let stopped = false;
  const onProgress = options?.onProgress;
  const timer = onProgress
    ? setInterval(
        () => onProgress({ bytes, ...(total !== undefined ? { total } : {}) }),
        options?.progressIntervalMs ?? 250,
      )
    : undefined;
  return {
    add: (n) => {
      bytes += n;
    },
    stop: () => {
      if (stopped) return bytes;
      stopped = true;
      if (timer) clearInterval(timer);
      onProgress?.({ bytes, ...(total !== undefined ? { total } : {}) });
      return bytes;
    },
  };
}
