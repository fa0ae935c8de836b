import { X } from 'lucide-react';
import { useStore } from '../app/store';

/** Toasts in the corner: errors with their next step and the raw detail behind "Details". */
export function Toasts() {
  const toasts = useStore((s) => s.toasts);
  const dismiss = useStore((s) => s.dismissToast);
  return (
    <div className="toasts" aria-live="polite">
      {toasts.map((toast) => (
        <div
          key={toast.id}
          className={`toast toast-${toast.kind}`}
          role={toast.kind === 'error' ? 'alert' : 'status'}
        >
          <div className="toast-body">
            <span className="toast-text">{toast.text}</span>
            {toast.action ? <span className="toast-action">{toast.action}</span> : null}
            {toast.detail ? (
              <details className="toast-details">
                <summary>Details</summary>
                <span className="mono small">{toast.detail}</span>
              </details>
            ) : null}
          </div>
          <button
            type="button"
            className="icon-button small"
            aria-label="Dismiss"
            onClick={() => dismiss(toast.id)}
          >
            <X size={13} />
          </button>
        </div>
      ))}
    </div>
  );
}
