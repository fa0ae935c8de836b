import { Dialog } from '../ui/Dialog';
import { IconButton } from '../ui/IconButton';
import { useMemo, useRef, useState, type DragEvent } from 'react';
import { createPortal } from 'react-dom';
import { useShallow } from 'zustand/react/shallow';
import { useVirtualizer } from '@tanstack/react-virtual';
import {
  ArrowDownToLine,
  ArrowUpFromLine,
  CheckCircle2,
  ChevronsUp,
  CircleSlash,
  Eraser,
  Loader2,
  Pause,
  Play,
  RotateCcw,
  SkipForward,
  X,
  XCircle,
} from 'lucide-react';
import { adviseError, type ErrorAdvice } from '../../../shared/error-advice';
import type { TransferItem } from '../../../shared/transfers';
import {
  cancelTransfer,
  clearFinished,
  moveTransferToTop,
  pauseTransfer,
  resumeTransfer,
  retryTransfer,
} from './actions';
import { pathsOfDroppedFiles, transferEntries, uploadPaths } from '../browser/actions';
import { DRAG_TYPE, parseDragPayload } from './drag-payload';
import { formatBytes, formatEta, formatSpeed } from '../lib/format';
import { describeOutcome, showsSpeed } from './transfer-outcome';
import { advanceBatch, batchTotals, type Batch } from './queue-batch';
import { useStore } from '../app/store';

type Tab = 'queued' | 'failed' | 'done';

const TAB_OF: Record<TransferItem['state'], Tab> = {
  queued: 'queued',
  connecting: 'queued',
  transferring: 'queued',
  verifying: 'queued',
  paused: 'queued',
  done: 'done',
  failed: 'failed',
  cancelled: 'failed',
};

const STATE_LABEL: Record<TransferItem['state'], string> = {
  queued: 'Queued',
  connecting: 'Connecting',
  transferring: 'Transferring',
  verifying: 'Verifying',
  paused: 'Paused',
  done: 'Done',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

function baseName(path: string): string {
  return path.split(/[\\/]/).filter(Boolean).pop() ?? path;
}

/** Whether a drag carries something the queue takes: pane entries, or files from the desktop. */
function queueAccepts(event: DragEvent): boolean {
  const types = Array.from(event.dataTransfer.types);
  return types.includes(DRAG_TYPE) || types.includes('Files');
}

/**
 * A drop onto the queue queues it as FileZilla does: local entries (or desktop files) upload into
 * the remote folder shown, remote entries download into the local folder shown. Existing targets
 * go through the file-exists decision like any other transfer.
 */
async function dropOntoQueue(event: DragEvent): Promise<void> {
  const internal = event.dataTransfer.getData(DRAG_TYPE);
  if (internal) {
    const payload = parseDragPayload(internal);
    if (!payload) return;
    const pane = useStore.getState().panes[payload.side];
    const entries = pane.entries.filter((e) => payload.names.includes(e.name));
    await transferEntries(payload.side, entries);
    return;
  }
  const files = Array.from(event.dataTransfer.files);
  const paths = await pathsOfDroppedFiles(files);
  await uploadPaths(paths.filter(Boolean));
}

export function QueuePanel() {
  const [tab, setTab] = useState<Tab>('queued');
  const [dropOver, setDropOver] = useState(false);
  const ids = useStore(
    useShallow((s) =>
      s.transferIds.filter((id) => {
        const item = s.transfers[id];
        return item ? TAB_OF[item.state] === tab : false;
      }),
    ),
  );
  const counts = useStore(
    useShallow((s) => {
      const c = { queued: 0, failed: 0, done: 0 };
      for (const id of s.transferIds) {
        const item = s.transfers[id];
        if (item) c[TAB_OF[item.state]]++;
      }
      return c;
    }),
  );
  const totals = useStore((s) => s.totals);
  const batch = useBatchTotals();
  const scrollRef = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: ids.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => 44,
    overscan: 6,
  });
  const percent =
    batch.bytesTotal > 0 ? Math.min(100, (batch.bytesDone / batch.bytesTotal) * 100) : 0;
  const empty = useMemo(
    () => ({
      queued:
        'Nothing is transferring. Drag files between the panes or onto this list, or drop files from your desktop here.',
      failed: 'No failed transfers.',
      done: 'Finished transfers appear here.',
    }),
    [],
  );

  return (
    <section
      className={`queue${dropOver ? ' drop-over' : ''}`}
      aria-label="Transfers"
      data-testid="queue"
      data-drop-over={dropOver ? 'true' : undefined}
      onDragOver={(event) => {
        if (!queueAccepts(event)) return;
        event.preventDefault();
        event.dataTransfer.dropEffect = 'copy';
        if (!dropOver) setDropOver(true);
      }}
      onDragLeave={(event) => {
        const next = event.relatedTarget;
        if (!(next instanceof Node) || !event.currentTarget.contains(next)) setDropOver(false);
      }}
      onDrop={(event) => {
        if (!queueAccepts(event)) return;
        event.preventDefault();
        setDropOver(false);
        void dropOntoQueue(event);
      }}
    >
      <header className="queue-header">
        <div className="tabs" role="tablist">
          {(['queued', 'failed', 'done'] as Tab[]).map((t) => (
            <button
              key={t}
              type="button"
              role="tab"
              aria-selected={tab === t}
              className={`tab ${tab === t ? 'active' : ''}`}
              onClick={() => setTab(t)}
            >
              {t === 'queued' ? 'Queued' : t === 'failed' ? 'Failed' : 'Done'}
              <span className={`count ${t === 'failed' && counts.failed > 0 ? 'count-bad' : ''}`}>
                {counts[t]}
              </span>
            </button>
          ))}
        </div>
        <div className="queue-totals" data-testid="queue-totals">
          {batch.pending > 0 ? (
            <>
              <span title="This batch: what was queued since the queue was last empty. Earlier transfers are under Done.">
                {batch.done} of {batch.files} {batch.files === 1 ? 'file' : 'files'}
                {/* Sizes become known as items start: no "0 B of 0 B" before. */}
                {batch.bytesTotal > 0
                  ? ` · ${formatBytes(batch.bytesDone)} of ${formatBytes(batch.bytesTotal)}`
                  : ''}
              </span>
              <span className="totals-bar" aria-hidden="true">
                <span style={{ width: `${percent}%` }} />
              </span>
              <span className="mono">{formatSpeed(totals.speed)}</span>
            </>
          ) : (
            <span className="muted">
              {totals.done} done{totals.failed > 0 ? ` · ${totals.failed} failed` : ''}
            </span>
          )}
          <IconButton title="Clear finished" onClick={() => void clearFinished()}>
            <Eraser size={15} />
          </IconButton>
        </div>
      </header>
      <div
        ref={scrollRef}
        className="queue-body"
        {...(ids.length > 0 ? { role: 'list', 'aria-label': 'Transfers' } : {})}
      >
        {ids.length === 0 ? <div className="queue-empty">{empty[tab]}</div> : null}
        <div style={{ height: virtualizer.getTotalSize() }} className="queue-rows">
          {virtualizer.getVirtualItems().map((v) => {
            const id = ids[v.index];
            return id ? <QueueRow key={id} id={id} top={v.start} /> : null;
          })}
        </div>
      </div>
    </section>
  );
}

/** Totals of the current batch (see queue-batch.ts), kept as the queue changes. */
function useBatchTotals() {
  const transfers = useStore((s) => s.transfers);
  const order = useStore((s) => s.transferIds);
  const progress = useStore((s) => s.progress);
  const [batch, setBatch] = useState<Batch>([]);
  const next = advanceBatch(batch, transfers, order);
  // Derived state, updated during render (React re-renders at once, before committing).
  if (next !== batch) setBatch(next);
  return batchTotals(next, transfers, progress);
}

function QueueRow({ id, top }: { id: string; top: number }) {
  const item = useStore((s) => s.transfers[id]);
  const sample = useStore((s) => s.progress[id]);
  // The item waits on the file-exists question: it is neither connecting nor moving bytes.
  const asking = useStore((s) => s.fileExists.some((q) => q.itemId === id));
  const [detailsOpen, setDetailsOpen] = useState(false);
  if (!item) return null;
  const bytes = Math.max(item.bytesDone, sample?.bytesDone ?? 0);
  const size = item.size ?? sample?.size;
  const percent = item.state === 'done' ? 100 : size ? Math.min(100, (bytes / size) * 100) : 0;
  const running =
    !asking &&
    (item.state === 'transferring' || item.state === 'connecting' || item.state === 'verifying');
  const name = baseName(item.direction === 'upload' ? item.localPath : item.remotePath);
  const outcome = describeOutcome(item);
  const advice = item.error ? adviseError(item.error) : undefined;
  return (
    <div
      className={`queue-row state-${item.state}${item.skipped !== undefined ? ' skipped' : ''}${asking ? ' asking' : ''}`}
      role="listitem"
      data-state={item.state}
      data-name={name}
      style={{ transform: `translateY(${top}px)` }}
    >
      <span
        className={`direction ${item.direction}`}
        title={item.direction === 'upload' ? 'Upload' : 'Download'}
      >
        {item.direction === 'upload' ? (
          <ArrowUpFromLine size={15} />
        ) : (
          <ArrowDownToLine size={15} />
        )}
      </span>
      <div className="queue-main">
        <div className="queue-line">
          <span
            className="queue-name"
            title={
              item.direction === 'upload'
                ? `${item.localPath} → ${item.remotePath}`
                : `${item.remotePath} → ${item.localPath}`
            }
          >
            {name}
          </span>
          <span className="queue-path muted">
            {item.direction === 'upload' ? `→ ${item.remotePath}` : `→ ${item.localPath}`}
          </span>
          {advice ? (
            <span
              className="queue-error"
              data-testid="queue-error"
              title={advice.action ? `${advice.summary} ${advice.action}` : advice.summary}
            >
              {advice.summary}
              {advice.action ? <span className="queue-error-action"> {advice.action}</span> : null}
            </span>
          ) : null}
        </div>
        <div className="queue-line">
          <span
            className="progress"
            role="progressbar"
            aria-label={`${name} progress`}
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={Math.round(percent)}
          >
            <span style={{ width: `${percent}%` }} />
          </span>
          <span className="queue-meta mono">
            {item.skipped !== undefined
              ? formatBytes(size)
              : `${formatBytes(bytes)}${size !== undefined ? ` / ${formatBytes(size)}` : ''}`}
          </span>
          {showsSpeed(item.state) && !asking ? (
            <span className="queue-meta mono">{formatSpeed(sample?.speed ?? 0)}</span>
          ) : null}
          {showsSpeed(item.state) && !asking ? (
            <span className="queue-meta">{formatEta(sample?.etaSeconds)}</span>
          ) : null}
          {outcome && outcome.facts.length > 0 ? (
            <span
              className="queue-meta queue-outcome"
              data-testid="queue-outcome"
              title={outcome.details.join('\n')}
            >
              {outcome.facts.join(' · ')}
            </span>
          ) : null}
          {advice && advice.detail !== advice.summary ? (
            <button
              type="button"
              className="queue-details-button"
              aria-haspopup="dialog"
              aria-label={`Details of the error for ${name}`}
              onClick={() => setDetailsOpen(true)}
            >
              Details
            </button>
          ) : null}
        </div>
        {detailsOpen && advice ? (
          <ErrorDetails name={name} advice={advice} onClose={() => setDetailsOpen(false)} />
        ) : null}
      </div>
      <span
        className={`state-badge state-${item.state}`}
        data-testid="queue-state"
        title={outcome?.details.join('\n')}
      >
        {item.skipped !== undefined ? (
          <SkipForward size={13} />
        ) : item.state === 'done' ? (
          <CheckCircle2 size={13} />
        ) : item.state === 'failed' ? (
          <XCircle size={13} />
        ) : item.state === 'cancelled' ? (
          <CircleSlash size={13} />
        ) : running ? (
          <Loader2 size={13} className="spin" />
        ) : null}
        {asking ? 'Waiting for you' : (outcome?.label ?? STATE_LABEL[item.state])}
      </span>
      <RowActions id={id} name={name} state={item.state} />
    </div>
  );
}

/** The raw error behind a failed row's advice. Portalled: the row's transform would otherwise
 *  confine the modal to the row. */
function ErrorDetails({
  name,
  advice,
  onClose,
}: {
  name: string;
  advice: ErrorAdvice;
  onClose: () => void;
}) {
  return createPortal(
    <Dialog
      title={`Transfer failed: ${name}`}
      icon={<XCircle size={18} />}
      tone="danger"
      width={560}
      onClose={onClose}
      testId="queue-error-details"
      footer={
        <button type="button" className="button button-primary" data-autofocus onClick={onClose}>
          Close
        </button>
      }
    >
      <p>{advice.summary}</p>
      {advice.action ? <p className="muted">{advice.action}</p> : null}
      <h4>Details</h4>
      <p className="mono small break">{advice.detail}</p>
    </Dialog>,
    document.body,
  );
}

/** A row's buttons: what can be done to the item in its state. */
function RowActions({
  id,
  name,
  state,
}: {
  id: string;
  name: string;
  state: TransferItem['state'];
}) {
  return (
    <span className="queue-actions">
      {state === 'failed' || state === 'cancelled' ? (
        <IconButton title="Retry" label={`Retry ${name}`} onClick={() => void retryTransfer(id)}>
          <RotateCcw size={15} />
        </IconButton>
      ) : null}
      {state === 'queued' || state === 'paused' ? (
        <IconButton
          title="Move to top"
          label={`Move ${name} to top`}
          onClick={() => void moveTransferToTop(id)}
        >
          <ChevronsUp size={15} />
        </IconButton>
      ) : null}
      {state === 'paused' ? (
        <IconButton title="Resume" label={`Resume ${name}`} onClick={() => void resumeTransfer(id)}>
          <Play size={15} />
        </IconButton>
      ) : TAB_OF[state] === 'queued' ? (
        <IconButton title="Pause" label={`Pause ${name}`} onClick={() => void pauseTransfer(id)}>
          <Pause size={15} />
        </IconButton>
      ) : null}
      {TAB_OF[state] === 'queued' ? (
        <IconButton title="Cancel" label={`Cancel ${name}`} onClick={() => void cancelTransfer(id)}>
          <X size={15} />
        </IconButton>
      ) : null}
    </span>
  );
}
