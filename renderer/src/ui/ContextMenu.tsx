import type { ReactNode } from 'react';

export interface MenuItem {
  label: string;
  icon: ReactNode;
  hint?: string;
  danger?: boolean;
  disabled?: boolean;
  run: () => void;
}

/** A right-click menu at (x, y), kept inside the window; any click outside closes it. */
export function ContextMenu({
  x,
  y,
  items,
  onClose,
}: {
  x: number;
  y: number;
  items: Array<MenuItem | 'separator'>;
  onClose: () => void;
}) {
  const left = Math.min(x, window.innerWidth - 220);
  const top = Math.min(y, window.innerHeight - items.length * 32 - 16);
  return (
    <div
      className="context-backdrop"
      onMouseDown={onClose}
      onContextMenu={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      <div
        className="context-menu"
        role="menu"
        style={{ left, top }}
        onMouseDown={(e) => e.stopPropagation()}
        onKeyDown={(e) => {
          if (e.key === 'Escape') onClose();
        }}
      >
        {items.map((item, index) =>
          item === 'separator' ? (
            <div key={`sep-${index}`} className="menu-separator" role="separator" />
          ) : (
            <button
              key={item.label}
              type="button"
              role="menuitem"
              autoFocus={index === 0}
              disabled={item.disabled}
              className={`menu-item ${item.danger ? 'danger' : ''}`}
              onClick={() => {
                onClose();
                item.run();
              }}
            >
              {item.icon}
              <span>{item.label}</span>
              {item.hint ? <kbd>{item.hint}</kbd> : null}
            </button>
          ),
        )}
      </div>
    </div>
  );
}
