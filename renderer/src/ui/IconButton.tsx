import type { ReactNode } from 'react';

interface IconButtonProps {
  /** Tooltip; also the accessible name unless `label` says more (e.g. which row). */
  title: string;
  label?: string;
  disabled?: boolean;
  onClick: () => void;
  children: ReactNode;
}

/** The toolbar and row buttons: an icon with a tooltip and an accessible name. */
export function IconButton({ title, label, disabled, onClick, children }: IconButtonProps) {
  return (
    <button
      type="button"
      className="icon-button"
      title={title}
      aria-label={label ?? title}
      disabled={disabled}
      onClick={onClick}
    >
      {children}
    </button>
  );
}
