import { useEffect, useId, useRef, type ReactNode } from 'react';
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

interface OpenDialog {
  node: () => HTMLElement | null;
  close: () => void;
}

/** Open dialogs, the topmost last: Escape and Tab always go to the top one. */
const openDialogs: OpenDialog[] = [];

const FOCUSABLE =
  'button:not([disabled]), [href], input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

function focusables(node: HTMLElement): HTMLElement[] {
  return Array.from(node.querySelectorAll<HTMLElement>(FOCUSABLE)).filter(
    (el) => el.offsetParent !== null || el === document.activeElement,
  );
}

function onWindowKey(event: KeyboardEvent): void {
  const top = openDialogs[openDialogs.length - 1];
  const node = top?.node();
  if (!top || !node) return;
  if (event.key === 'Escape') {
    // Wherever focus is (even the page body), Escape closes the top dialog.
    event.preventDefault();
    event.stopPropagation();
    top.close();
    return;
  }
  if (event.key !== 'Tab') return;
  const items = focusables(node);
  const first = items[0];
  const last = items[items.length - 1];
  if (!first || !last) {
    event.preventDefault();
    return;
  }
  const active = document.activeElement;
  if (!node.contains(active)) {
    event.preventDefault();
    first.focus();
  } else if (event.shiftKey && active === first) {
    event.preventDefault();
    last.focus();
  } else if (!event.shiftKey && active === last) {
    event.preventDefault();
    first.focus();
  }
}

function onWindowFocus(event: FocusEvent): void {
  const node = openDialogs[openDialogs.length - 1]?.node();
  if (node && event.target instanceof Node && !node.contains(event.target)) {
    (focusables(node)[0] ?? node).focus();
  }
}

function register(dialog: OpenDialog): () => void {
  if (openDialogs.length === 0) {
    window.addEventListener('keydown', onWindowKey, true);
    window.addEventListener('focusin', onWindowFocus, true);
  }
  openDialogs.push(dialog);
  return () => {
    const index = openDialogs.indexOf(dialog);
    if (index >= 0) openDialogs.splice(index, 1);
    if (openDialogs.length === 0) {
      window.removeEventListener('keydown', onWindowKey, true);
      window.removeEventListener('focusin', onWindowFocus, true);
    }
  };
}

/**
 * A modal dialog: labels itself, keeps focus inside while open (Tab cycles within it), closes
 * with Escape wherever focus is, and gives focus back to where it was when it closes.
 */
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
  const closeRef = useRef(onClose);
  const titleId = useId();
  useEffect(() => {
    closeRef.current = onClose;
  }, [onClose]);
  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const unregister = register({ node: () => ref.current, close: () => closeRef.current() });
    const node = ref.current;
    if (node && !node.contains(document.activeElement)) {
      const target =
        node.querySelector<HTMLElement>('[data-autofocus]') ??
        node.querySelector<HTMLElement>('button, input, select');
      target?.focus();
    }
    return () => {
      unregister();
      // Back to where the user was, unless another dialog is still open (it keeps focus).
      if (openDialogs.length === 0 && opener?.isConnected) opener.focus();
    };
  }, []);
  return (
    <div className="modal-backdrop" role="presentation">
      <div
        ref={ref}
        className={`modal modal-${tone}`}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        data-testid={testId}
        tabIndex={-1}
        style={{ width }}
      >
        <header className="modal-header">
          {icon ? <span className="modal-icon">{icon}</span> : null}
          <h2 id={titleId}>{title}</h2>
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
