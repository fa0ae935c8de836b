import { useEffect, useRef, useState, type CSSProperties } from 'react';
import type { MenuCommand, SessionState } from '../../../shared/ipc';
import { LAYOUT_LIMITS } from '../../../shared/layout';
import { FilePane } from '../browser/FilePane';
import { CertificateDialog } from '../certificates/CertificateDialog';
import { TrustDialog } from '../certificates/TrustDialog';
import { ConnectBar } from '../connection/ConnectBar';
import { InsecureDialog } from '../connection/InsecureDialog';
import { StatusBar } from '../connection/StatusBar';
import { MODE_SHORT } from '../lib/format';
import { LogPanel } from '../log/LogPanel';
import { SettingsDialog } from '../settings/SettingsDialog';
import { CredentialDialog, SiteBanners } from '../sites/SiteExtras';
import { SiteManager } from '../sites/SiteManager';
import { FileExistsDialog } from '../transfers/FileExistsDialog';
import { QueuePanel } from '../transfers/QueuePanel';
import { ConfirmDialog, InputDialog } from '../ui/ConfirmDialogs';
import { Splitter } from '../ui/Splitter';
import { Toasts } from '../ui/Toasts';
import { commitLayout, setLayoutLive } from './layout';
import { runMenuCommand, start } from './start';
import { useStore } from './store';

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

/** The menu command a key press stands for (F5 in a file list is the list's own). */
function shortcutCommand(event: KeyboardEvent): MenuCommand | undefined {
  const mod = event.ctrlKey || event.metaKey;
  const key = event.key.toLowerCase();
  if (event.key === 'F5') {
    const inList = event.target instanceof HTMLElement && event.target.closest('.file-body');
    return inList ? undefined : 'refresh';
  }
  if (!mod) return undefined;
  if (key === 'n') return 'new-connection';
  if (key === 's') return 'site-manager';
  if (key === ',') return 'settings';
  if (key === 'l') return 'toggle-log';
  if (key === 'i') return 'show-certificate';
  if (key === 'd') return 'disconnect';
  return undefined;
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
  const logOpen = useStore((s) => s.logOpen);
  const sessionTitle = useStore((s) => windowTitle(s.session));
  useEffect(() => {
    // Electron's window title follows the document's.
    document.title = sessionTitle;
  }, [sessionTitle]);
  const layout = useStore((s) => s.layout);
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
    // Shortcuts that also work where there is no application menu (the browser bridge).
    const onKey = (event: KeyboardEvent) => {
      const command = shortcutCommand(event);
      if (!command) return;
      event.preventDefault();
      runMenuCommand(command);
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
      <ConnectBar />
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
      <Toasts />
    </div>
  );
}
