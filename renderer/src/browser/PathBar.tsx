import { useState } from 'react';
import { ChevronRight, HardDrive, Server } from 'lucide-react';
import type { PaneSide } from '../../../shared/ipc';
import { navigate } from './actions';
import { breadcrumbs } from '../lib/format';

/** Breadcrumbs that turn into an editable path on click (or Ctrl+L style focus). */
export function PathBar({ side, path, sep }: { side: PaneSide; path: string; sep: string }) {
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(path);
  if (editing) {
    return (
      <form
        className="path-bar editing"
        onSubmit={(event) => {
          event.preventDefault();
          setEditing(false);
          if (draft.trim()) void navigate(side, draft.trim());
        }}
      >
        <input
          aria-label={`${side} path`}
          className="path-input"
          autoFocus
          spellCheck={false}
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          onBlur={() => setEditing(false)}
          onKeyDown={(e) => {
            if (e.key === 'Escape') setEditing(false);
          }}
        />
      </form>
    );
  }
  const crumbs = path ? breadcrumbs(path, sep) : [];
  return (
    <div
      className="path-bar"
      role="navigation"
      aria-label={`${side} path`}
      data-path={path}
      title="Click to type a path"
      onClick={(event) => {
        if (event.target === event.currentTarget && path) {
          setDraft(path);
          setEditing(true);
        }
      }}
    >
      {side === 'remote' ? (
        <Server size={14} className="muted" />
      ) : (
        <HardDrive size={14} className="muted" />
      )}
      {crumbs.map((crumb, index) => (
        <span key={crumb.path} className="crumb-wrap">
          {index > 0 ? <ChevronRight size={12} className="crumb-sep" /> : null}
          <button
            type="button"
            className={`crumb ${index === crumbs.length - 1 ? 'current' : ''}`}
            onClick={() => void navigate(side, crumb.path)}
          >
            {crumb.label}
          </button>
        </span>
      ))}
      <button
        type="button"
        className="path-edit-hit"
        aria-label="Edit path"
        onClick={() => {
          setDraft(path);
          setEditing(true);
        }}
      />
    </div>
  );
}
