import { Plug, Save } from 'lucide-react';
import { SiteGeneralTab } from './SiteGeneralTab';
import { SiteTlsTab } from './SiteTlsTab';
import { SiteNotesTab, SiteTransferTab } from './SiteTransferTab';
import { TAB_OF, TABS, useSiteForm, type SiteFormOptions } from './useSiteForm';

/**
 * The form of one site (or of a new site's draft): every field, validated with the shared rules
 * before saving.
 */
export function SiteForm(options: SiteFormOptions) {
  const form = useSiteForm(options);
  const { input, tab, setTab, errors, busy, dirty, save, connect } = form;
  const tabErrors = new Set(errors.map((e) => TAB_OF[e.field] ?? 'general'));

  return (
    <form
      className="site-form"
      aria-label="Site"
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
      onKeyDown={(event) => {
        if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
          event.preventDefault();
          void connect();
        }
      }}
    >
      <div className="site-form-head">
        <div>
          <h3>{input.name || 'Untitled site'}</h3>
          <span className="muted small mono">
            {input.logonType !== 'anonymous' && input.user ? `${input.user}@` : ''}
            {input.host || 'host'}:{input.port}
          </span>
        </div>
        <div className="tabs" role="tablist">
          {TABS.map(([id, label]) => (
            <button
              key={id}
              type="button"
              role="tab"
              aria-selected={tab === id}
              className={`tab ${tab === id ? 'active' : ''} ${tabErrors.has(id) ? 'has-error' : ''}`}
              onClick={() => setTab(id)}
            >
              {label}
            </button>
          ))}
        </div>
      </div>

      <div className="site-form-body">
        {tab === 'general' ? <SiteGeneralTab form={form} /> : null}
        {tab === 'tls' ? <SiteTlsTab form={form} /> : null}
        {tab === 'transfer' ? <SiteTransferTab form={form} /> : null}
        {tab === 'notes' ? <SiteNotesTab form={form} /> : null}
      </div>

      <footer className="site-form-footer">
        <span className="muted small" role="status">
          {form.status}
        </span>
        <button type="submit" className="button" disabled={busy || !dirty}>
          <Save size={14} /> Save
        </button>
        <button
          type="button"
          className="button button-primary"
          disabled={busy}
          onClick={() => void connect()}
        >
          <Plug size={14} /> Connect
        </button>
      </footer>
    </form>
  );
}
