import { useEffect, useRef, type ReactNode } from 'react';
import { X } from 'lucide-react';

interface DialogProps {
  title: ReactNode;
  icon?: ReactNode;
  tone?: 'normal' | 'warning' | 'danger';
  width?: number;
  onClose: () => void;
  children: ReactNode;
  footer?: ReactNode;
  testId?: string;
}

/** A modal dialog: traps Escape, labels itself, and keeps focus inside while open. */
export function Dialog({
  title,
  icon,
  tone = 'normal',
  width = 520,
  onClose,
  children,
  footer,
  testId,
}: DialogProps) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const node = ref.current;
    if (node && !node.contains(document.activeElement)) {
      const target =
        node.querySelector<HTMLElement>('[data-autofocus]') ??
        node.querySelector<HTMLElement>('button, input, select');
      target?.focus();
    }
  }, []);
  return (
    <div className="modal-backdrop" role="presentation">
      <div
        ref={ref}
        className={`modal modal-${tone}`}
        role="dialog"
        aria-modal="true"
        aria-labelledby="modal-title"
        data-testid={testId}
        style={{ width }}
        onKeyDown={(event) => {
          if (event.key === 'Escape') {
            event.stopPropagation();
            onClose();
          }
        }}
      >
        <header className="modal-header">
          {icon ? <span className="modal-icon">{icon}</span> : null}
          <h2 id="modal-title">{title}</h2>
          <button type="button" className="icon-button" aria-label="Close" onClick={onClose}>
            <X size={16} />
          </button>
        </header>
        <div className="modal-body">{children}</div>
        {footer ? <footer className="modal-footer">{footer}</footer> : null}
      </div>
    </div>
  );
}
