import type { ReactNode } from 'react';
import { FolderSearch } from 'lucide-react';
import { useStore } from '../app/store';
import { pickFile } from './actions';

/** A labelled form field with its error (or a hint). */
export function Field({
  label,
  error,
  hint,
  children,
  wide,
}: {
  label: string;
  error?: string | undefined;
  hint?: ReactNode;
  children: ReactNode;
  wide?: boolean;
}) {
  return (
    <label className={`field ${wide ? 'wide' : ''} ${error ? 'invalid' : ''}`}>
      <span>{label}</span>
      {children}
      {error ? (
        <em className="field-error" role="alert">
          {error}
        </em>
      ) : hint ? (
        <em className="field-hint">{hint}</em>
      ) : null}
    </label>
  );
}

/** A path field with a Browse button (a native dialog in Electron; the bridge has none). */
export function PathInput({
  name,
  value,
  onChange,
  title,
  extensions,
}: {
  name: string;
  value: string;
  onChange: (value: string) => void;
  title: string;
  extensions?: string[];
}) {
  const native = useStore((s) => s.app?.runtime === 'electron');
  return (
    <span className="path-field">
      <input
        name={name}
        value={value}
        spellCheck={false}
        onChange={(e) => onChange(e.target.value)}
      />
      {native ? (
        <button
          type="button"
          className="icon-button bordered"
          aria-label={`Browse: ${title}`}
          title="Browse…"
          onClick={() => {
            void pickFile({ title, ...(extensions ? { extensions } : {}) }).then((path) => {
              if (path) onChange(path);
            });
          }}
        >
          <FolderSearch size={15} />
        </button>
      ) : null}
    </span>
  );
}
