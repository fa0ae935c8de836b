import type { CertificateReport, DataConnectionRecord, RemoteEntry } from '../../shared/models';
import type { SecurityState } from '../../shared/security';
import type { FerryError } from '../engine/errors';
import type { ConnectOptions } from '../engine/types';

/**
 * The part of the engine's `FtpsClient` the services use. The composition root passes
 * `FtpsClient.connect`; keeping the services on this shape lets them adapt if the engine grows.
 */
export interface RemoteClient {
  readonly report: CertificateReport | undefined;
  readonly security: SecurityState;
  readonly dataConnections: DataConnectionRecord[];
  onClose(listener: (error?: FerryError) => void): void;
  pwd(): Promise<string>;
  cd(path: string): Promise<string>;
  list(path?: string): Promise<RemoteEntry[]>;
  mkdir(path: string, options?: { recursive?: boolean }): Promise<void>;
  rmdir(path: string, options?: { recursive?: boolean }): Promise<void>;
  delete(path: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  size(path: string): Promise<number>;
  cancel(): Promise<void>;
  close(): Promise<void>;
}

export type ConnectClient = (options: ConnectOptions) => Promise<RemoteClient>;

/** Runs tasks one at a time: a control connection carries one command at a time. */
export class SerialLane {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const next = this.tail.then(task, task);
    this.tail = next.catch(() => undefined);
    return next;
  }
}
