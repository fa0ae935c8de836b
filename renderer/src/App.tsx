import { useEffect } from 'react';
import { X } from 'lucide-react';
import { refresh, start } from './actions';
import { CertificateDialog } from './components/CertificateDialog';
import { ConfirmDialog, InputDialog } from './components/ConfirmDialogs';
import { ConnectBar } from './components/ConnectBar';
import { FileExistsDialog } from './components/FileExistsDialog';
import { FilePane } from './components/FilePane';
import { LogPanel } from './components/LogPanel';
import { QueuePanel } from './components/QueuePanel';
import { SettingsDialog } from './components/SettingsDialog';
import { CredentialDialog, SiteBanners } from './components/SiteExtras';
import { SiteManager } from './components/SiteManager';
import { openSettings, startSites } from './sites';
import { StatusBar } from './components/StatusBar';
import { TrustDialog } from './components/TrustDialog';
import { InsecureDialog } from './components/InsecureDialog';
import { useStore } from './store';

export function App() {
  const prefill = useStore((s) => s.prefill);
  const toasts = useStore((s) => s.toasts);
  const dismiss = useStore((s) => s.dismissToast);

  useEffect(() => {
    void start();
    void startSites();
    // Shortcuts that also work where there is no application menu (the browser bridge).
    const onKey = (event: KeyboardEvent) => {
      const s = useStore.getState();
      const mod = event.ctrlKey || event.metaKey;
      if (
        event.key === 'F5' &&
        !(event.target instanceof HTMLElement && event.target.closest('.file-body'))
      ) {
        event.preventDefault();
        void refresh(s.activePane);
      } else if (mod && event.key.toLowerCase() === 'n') {
        event.preventDefault();
        s.focusConnect();
      } else if (mod && event.key.toLowerCase() === 's') {
        event.preventDefault();
        s.setSiteManagerOpen(true);
      } else if (mod && event.key === ',') {
        event.preventDefault();
        openSettings(true);
      } else if (mod && event.key.toLowerCase() === 'l') {
        event.preventDefault();
        s.setLogOpen(!s.logOpen);
      }
    };
    window.addEventListener('keydown', onKey);
    // Dropping a file outside a drop zone must not navigate the window to it.
    const stop = (event: DragEvent) => event.preventDefault();
    window.addEventListener('dragover', stop);
    window.addEventListener('drop', stop);
    return () => {
      window.removeEventListener('keydown', onKey);
      window.removeEventListener('dragover', stop);
      window.removeEventListener('drop', stop);
    };
  }, []);

  return (
    <div className="app">
      <ConnectBar key={prefill?.tick ?? 0} initial={prefill?.connection} />
      <SiteBanners />
      <main className="panes">
        <FilePane side="local" />
        <FilePane side="remote" />
      </main>
      <QueuePanel />
      <LogPanel />
      <StatusBar />
      <TrustDialog />
      <InsecureDialog />
      <SettingsDialog />
      <CertificateDialog />
      <FileExistsDialog />
      <SiteManager />
      <CredentialDialog />
      <ConfirmDialog />
      <InputDialog />
      <div className="toasts" aria-live="polite">
        {toasts.map((toast) => (
          <div
            key={toast.id}
            className={`toast toast-${toast.kind}`}
            role={toast.kind === 'error' ? 'alert' : 'status'}
          >
            <span>{toast.text}</span>
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
    </div>
  );
}
