import { IconButton } from '../ui/IconButton';
import { useMemo, useRef, useState } from 'react';
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
import { describeError } from '../../../shared/errors';
import type { TransferItem } from '../../../shared/transfers';
import {
  cancelTransfer,
  clearFinished,
  moveTransferToTop,
  pauseTransfer,
  resumeTransfer,
  retryTransfer,
} from './actions';
import { formatBytes, formatEta, formatSpeed } from '../lib/format';
import { describeOutcome, showsSpeed } from './transfer-outcome';
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

export function QueuePanel() {
  const [tab, setTab] = useState<Tab>('queued');
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
  const scrollRef = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: ids.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => 44,
    overscan: 6,
  });
  const percent =
    totals.bytesTotal > 0 ? Math.min(100, (totals.bytesDone / totals.bytesTotal) * 100) : 0;
  const empty = useMemo(
    () => ({
      queued:
        'Nothing is transferring. Drag files between the panes, or drop files from your desktop onto the server.',
      failed: 'No failed transfers.',
      done: 'Finished transfers appear here.',
    }),
    [],
  );

  return (
    <section className="queue" aria-label="Transfers" data-testid="queue">
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
          {totals.active + totals.queued > 0 ? (
            <>
              <span>
                {formatBytes(totals.bytesDone)} of {formatBytes(totals.bytesTotal)}
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

function QueueRow({ id, top }: { id: string; top: number }) {
  const item = useStore((s) => s.transfers[id]);
  const sample = useStore((s) => s.progress[id]);
  if (!item) return null;
  const bytes = Math.max(item.bytesDone, sample?.bytesDone ?? 0);
  const size = item.size ?? sample?.size;
  const percent = item.state === 'done' ? 100 : size ? Math.min(100, (bytes / size) * 100) : 0;
  const running =
    item.state === 'transferring' || item.state === 'connecting' || item.state === 'verifying';
  const name = baseName(item.direction === 'upload' ? item.localPath : item.remotePath);
  const outcome = describeOutcome(item);
  return (
    <div
      className={`queue-row state-${item.state}${item.skipped !== undefined ? ' skipped' : ''}`}
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
        </div>
        <div className="queue-line">
          <span
            className="progress"
            role="progressbar"
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
          {showsSpeed(item.state) ? (
            <span className="queue-meta mono">{formatSpeed(sample?.speed ?? 0)}</span>
          ) : null}
          {showsSpeed(item.state) ? (
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
        </div>
        {item.error ? <div className="queue-error">{describeError(item.error)}</div> : null}
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
        {outcome?.label ?? STATE_LABEL[item.state]}
      </span>
      <span className="queue-actions">
        {item.state === 'failed' || item.state === 'cancelled' ? (
          <IconButton title="Retry" label={`Retry ${name}`} onClick={() => void retryTransfer(id)}>
            <RotateCcw size={15} />
          </IconButton>
        ) : null}
        {item.state === 'queued' || item.state === 'paused' ? (
          <IconButton
            title="Move to top"
            label={`Move ${name} to top`}
            onClick={() => void moveTransferToTop(id)}
          >
            <ChevronsUp size={15} />
          </IconButton>
        ) : null}
        {item.state === 'paused' ? (
          <IconButton
            title="Resume"
            label={`Resume ${name}`}
            onClick={() => void resumeTransfer(id)}
          >
            <Play size={15} />
          </IconButton>
        ) : TAB_OF[item.state] === 'queued' ? (
          <IconButton title="Pause" label={`Pause ${name}`} onClick={() => void pauseTransfer(id)}>
            <Pause size={15} />
          </IconButton>
        ) : null}
        {TAB_OF[item.state] === 'queued' ? (
          <IconButton
            title="Cancel"
            label={`Cancel ${name}`}
            onClick={() => void cancelTransfer(id)}
          >
            <X size={15} />
          </IconButton>
        ) : null}
      </span>
    </div>
  );
}
