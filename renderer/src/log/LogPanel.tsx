import { useEffect, useRef } from 'react';
import { ChevronDown, ChevronUp, ScrollText } from 'lucide-react';
import { useStore } from '../app/store';

const SHOW = 600;

export function LogPanel() {
  const open = useStore((s) => s.logOpen);
  const setOpen = useStore((s) => s.setLogOpen);
  const log = useStore((s) => s.log);
  const bodyRef = useRef<HTMLDivElement>(null);
  const lines = log.length > SHOW ? log.slice(log.length - SHOW) : log;

  useEffect(() => {
    const body = bodyRef.current;
    if (body) body.scrollTop = body.scrollHeight;
  }, [log, open]);

  return (
    <section
      className={`log-panel ${open ? 'open' : 'closed'}`}
      aria-label="Protocol log"
      data-testid="log-panel"
    >
      <button
        type="button"
        className="log-toggle"
        aria-expanded={open}
        onClick={() => setOpen(!open)}
      >
        <ScrollText size={14} />
        <span>Protocol log</span>
        <span className="muted small">{log.length.toLocaleString()} lines</span>
        {open ? <ChevronDown size={14} /> : <ChevronUp size={14} />}
      </button>
      {open ? (
        <div
          ref={bodyRef}
          className="log-body mono"
          role="log"
          aria-live="off"
          aria-label="Protocol log lines"
          // Focusable so the log scrolls from the keyboard.
          tabIndex={0}
        >
          {lines.length === 0 ? (
            <div className="muted">Commands and replies appear here once you connect.</div>
          ) : null}
          {lines.map((line, index) => (
            <div
              key={`${log.length - lines.length + index}`}
              className={`log-line log-${line.direction}`}
            >
              <span className="log-time">{line.time.slice(11, 19)}</span>
              {line.connectionId ? <span className="log-conn">{line.connectionId}</span> : null}
              <span className="log-dir">
                {line.direction === 'command' ? '→' : line.direction === 'reply' ? '←' : '•'}
              </span>
              <span className="log-text">{line.text}</span>
            </div>
          ))}
        </div>
      ) : null}
    </section>
  );
}
