import { Server, Trash2 } from 'lucide-react';
import { forgetRecent } from '../actions';
import { formatDate, MODE_LABELS } from '../format';
import { useStore } from '../store';
import { Dialog } from './Dialog';

/** Saved connections (the recent list): pick one to fill the connect bar. */
export function SiteManager() {
  const open = useStore((s) => s.siteManagerOpen);
  const recent = useStore((s) => s.recent);
  const setOpen = useStore((s) => s.setSiteManagerOpen);
  const prefill = useStore((s) => s.prefillConnect);
  if (!open) return null;
  return (
    <Dialog
      title="Sites"
      icon={<Server size={18} />}
      width={560}
      onClose={() => setOpen(false)}
      testId="site-manager"
    >
      {recent.length === 0 ? (
        <div className="empty-state small">
          <Server size={28} strokeWidth={1.4} />
          <p>Servers you connect to are listed here. Passwords are never stored.</p>
        </div>
      ) : (
        <ul className="site-list">
          {recent.map((site) => (
            <li key={`${site.user}@${site.host}:${site.port}`}>
              <button type="button" className="site-item" onClick={() => prefill(site)}>
                <Server size={16} />
                <span className="site-text">
                  <span className="mono">
                    {site.user ? `${site.user}@` : ''}
                    {site.host}:{site.port}
                  </span>
                  <span className="muted small">
                    {MODE_LABELS[site.mode]} · last used {formatDate(site.lastUsed)}
                  </span>
                </span>
              </button>
              <button
                type="button"
                className="icon-button"
                aria-label={`Forget ${site.host}`}
                onClick={() => void forgetRecent(site.host, site.port, site.user)}
              >
                <Trash2 size={15} />
              </button>
            </li>
          ))}
        </ul>
      )}
    </Dialog>
  );
}
