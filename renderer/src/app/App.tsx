import { useEffect, useRef, useState, type CSSProperties } from 'react';
import { X } from 'lucide-react';
import { disconnectAsked, refresh, start } from '../browser/actions';
import { CertificateDialog } from '../certificates/CertificateDialog';
import { ConfirmDialog, InputDialog } from '../ui/ConfirmDialogs';
import { ConnectBar } from '../connection/ConnectBar';
import { FileExistsDialog } from '../transfers/FileExistsDialog';
import { FilePane } from '../browser/FilePane';
import { LogPanel } from '../log/LogPanel';
import { QueuePanel } from '../transfers/QueuePanel';
import { SettingsDialog } from '../settings/SettingsDialog';
import { CredentialDialog, SiteBanners } from '../sites/SiteExtras';
import { SiteManager } from '../sites/SiteManager';
import { openSettings, startSites } from '../sites/sites';
import { StatusBar } from '../connection/StatusBar';
import { TrustDialog } from '../certificates/TrustDialog';
import { InsecureDialog } from '../connection/InsecureDialog';
import { useStore } from './store';
import { Splitter } from '../ui/Splitter';
import { commitLayout, setLayoutLive, useLayout } from './layout';
import { LAYOUT_LIMITS } from '../../../shared/layout';
import type { SessionState } from '../../../shared/ipc';
import { MODE_SHORT } from '../lib/format';

/** Height the panes keep however the splitters are moved (their header, path, ~6 rows). */
const PANES_MIN = 300;
/** The connect bar, status bar, log header and margins around the panels. */
const CHROME = 150;

/** "Harbour (Explicit FTPS, ftp.example.com) – Ferry" while connected; "Ferry" otherwise. */
export function windowTitle(session: SessionState): string {
  const target = session.target;
  if (!target || (session.status !== 'connected' && session.status !== 'connecting'))
    return 'Ferry';
  const where = `${MODE_SHORT[target.mode]}, ${target.host}:${target.port}`;
  return `${target.site ? `${target.site.name} (${where})` : `${target.user}@${target.host}:${target.port} (${MODE_SHORT[target.mode]})`} – Ferry`;
}

function useWindowHeight(): number {
  const [height, setHeight] = useState(window.innerHeight);
  useEffect(() => {
    const onResize = () => setHeight(window.innerHeight);
    window.addEventListener('resize', onResize);
    return () => window.removeEventListener('resize', onResize);
  }, []);
  return height;
}

export function App() {
  const prefill = useStore((s) => s.prefill);
  const toasts = useStore((s) => s.toasts);
  const dismiss = useStore((s) => s.dismissToast);
  const logOpen = useStore((s) => s.logOpen);
  const sessionTitle = useStore((s) => windowTitle(s.session));
  useEffect(() => {
    // Electron's window title follows the document's.
    document.title = sessionTitle;
  }, [sessionTitle]);
  const layout = useLayout((s) => s.layout);
  const windowHeight = useWindowHeight();
  const panesRef = useRef<HTMLElement>(null);
  // Stored heights are what the user chose; a short window shrinks the queue and the log in
  // proportion, never the panes below PANES_MIN.
  const room = windowHeight - CHROME - PANES_MIN;
  const wanted = layout.queueHeight + (logOpen ? layout.logHeight : 0);
  const scale = wanted > room ? Math.max(0, room) / wanted : 1;
  const queueHeight = Math.max(
    LAYOUT_LIMITS.queueHeight[0],
    Math.floor(layout.queueHeight * scale),
  );
  const logHeight = Math.max(LAYOUT_LIMITS.logHeight[0], Math.floor(layout.logHeight * scale));
  const queueMax = Math.max(LAYOUT_LIMITS.queueHeight[0], room - (logOpen ? logHeight : 0));
  const logMax = Math.max(LAYOUT_LIMITS.logHeight[0], room - queueHeight);

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
      } else if (mod && event.key.toLowerCase() === 'i') {
        event.preventDefault();
        if (s.session.report) s.setCertificateOpen(true);
      } else if (mod && event.key.toLowerCase() === 'd') {
        event.preventDefault();
        void disconnectAsked();
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
    <div
      className="app"
      style={
        {
          '--queue-height': `${queueHeight}px`,
          '--log-height': `${logHeight}px`,
        } as CSSProperties
      }
    >
      <ConnectBar
        key={prefill?.tick ?? 0}
        initial={prefill?.connection}
        focusOnMount={prefill?.focus ?? false}
      />
      <SiteBanners />
      <main
        ref={panesRef}
        className="panes"
        style={{
          gridTemplateColumns: `minmax(0, ${layout.localShare}fr) 8px minmax(0, ${1000 - layout.localShare}fr)`,
        }}
      >
        <FilePane side="local" />
        <Splitter
          orientation="vertical"
          label="Resize the local and remote panes"
          testId="splitter-panes"
          value={layout.localShare}
          min={LAYOUT_LIMITS.localShare[0]}
          max={LAYOUT_LIMITS.localShare[1]}
          step={25}
          perPixel={() => 1000 / (panesRef.current?.clientWidth || window.innerWidth)}
          onChange={(localShare) => setLayoutLive({ localShare })}
          onCommit={() => void commitLayout()}
        />
        <FilePane side="remote" />
      </main>
      <Splitter
        orientation="horizontal"
        label="Resize the transfer queue"
        testId="splitter-queue"
        value={queueHeight}
        min={LAYOUT_LIMITS.queueHeight[0]}
        max={queueMax}
        step={16}
        perPixel={-1}
        onChange={(next) => setLayoutLive({ queueHeight: next })}
        onCommit={() => void commitLayout()}
      />
      <QueuePanel />
      {logOpen ? (
        <Splitter
          orientation="horizontal"
          label="Resize the protocol log"
          testId="splitter-log"
          value={logHeight}
          min={LAYOUT_LIMITS.logHeight[0]}
          max={logMax}
          step={16}
          perPixel={-1}
          onChange={(next) => setLayoutLive({ logHeight: next })}
          onCommit={() => void commitLayout()}
        />
      ) : null}
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
    </div>
  );
}
