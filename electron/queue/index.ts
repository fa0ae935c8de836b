export { TransferQueue } from './queue';
export type {
  CertificateChange,
  Connector,
  JobRecord,
  JobRequest,
  QueueEvents,
  QueueOptions,
  SiteConfig,
} from './types';
export { decideFileExists, pickFreeName, type ExistsDecision, type FileFacts } from './file-exists';
export {
  DEFAULT_RETRY,
  backoffDelay,
  classifyFailure,
  type FailureClass,
  type RetryPolicy,
} from './backoff';
export { DEFAULT_CONNECTIONS, MAX_CONNECTIONS, clampConnections } from './pool';
export { loadSnapshot, type QueueSnapshot } from './persistence';
export { ProgressSampler, Speedometer } from './progress';
export { strongestMethod } from './verify';
export { walkLocal, walkRemote, type WalkEntry } from './tree-walker';
