import { useEffect, useRef, useState } from 'react';
import {
  History,
  Loader2,
  Plug,
  PlugZap,
  Server,
  Settings as SettingsIcon,
  ShieldAlert,
  Unplug,
} from 'lucide-react';
import { defaultPort } from '../../../shared/ports';
import type { RecentConnection } from '../../../shared/ipc';
import type { SecurityMode } from '../../../shared/models';
import { connectFromBar, connectIdentity, disconnectAsked, forgetRecent } from './actions';
import { MODE_LABELS } from '../lib/format';
import { openSettings } from '../settings/actions';
import { openSiteManager } from '../sites/actions';
import { onUiEvent } from '../lib/events';
import { useStore } from '../app/store';

const MODES: SecurityMode[] = ['explicit', 'explicit-if-available', 'implicit', 'plain'];

/** The quick-connect bar; a launch URL, a recent connection or the session's server fill it. */
export function ConnectBar() {
  const status = useStore((s) => s.session.status);
  const target = useStore((s) => s.session.target);
  const [host, setHost] = useState('');
  const [port, setPort] = useState(String(defaultPort('explicit')));
  const [user, setUser] = useState('');
  const [password, setPassword] = useState('');
  const [mode, setMode] = useState<SecurityMode>('explicit');
  const [recentOpen, setRecentOpen] = useState(false);
  const hostRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);

  useEffect(() => onUiEvent('focusConnect', () => hostRef.current?.focus()), []);
  useEffect(
    () =>
      onUiEvent('prefillConnect', ({ connection, focus }) => {
        setHost(connection.host);
        setPort(String(connection.port));
        setUser(connection.user);
        setPassword('');
        setMode(connection.mode);
        setRecentOpen(false);
        if (focus) hostRef.current?.focus();
      }),
    [],
  );

  const busy = status === 'connecting' || status === 'awaiting-trust';
  const reconnecting = status === 'reconnecting';
  const connected = status === 'connected';
  const portNumberNow = Number(port);
  // The bar shows the session's server until the user edits it; then Connect is a new session.
  const showsSession =
    !!target &&
    connectIdentity(target) ===
      connectIdentity({
        host: host.trim(),
        port: portNumberNow,
        mode,
        user: user.trim() || 'anonymous',
      });
  const site = showsSession && (connected || busy || reconnecting) ? target.site : undefined;
  const editedWhileConnected = connected && !showsSession;

  const changeMode = (next: SecurityMode) => {
    // Moving to or from implicit moves the default port along, unless the user typed their own.
    const current = Number(port);
    if (!port || current === defaultPort(mode)) setPort(String(defaultPort(next)));
    setMode(next);
  };

  const portNumber = Number(port);
  const valid =
    host.trim().length > 0 && Number.isInteger(portNumber) && portNumber > 0 && portNumber < 65536;

  return (
    <form
      className="connect-bar"
      aria-label="Connection"
      data-session={editedWhileConnected ? 'edited' : connected ? 'connected' : status}
      onSubmit={(event) => {
        event.preventDefault();
        if (!valid || busy || (connected && !editedWhileConnected)) return;
        void connectFromBar({
          host: host.trim(),
          port: portNumber,
          mode,
          user: user.trim(),
          password,
        });
      }}
    >
      <Brand />
      {site ? (
        <div className="site-chip" data-testid="connected-site" title={`Saved site “${site.name}”`}>
          <Server size={13} aria-hidden="true" />
          <span className="site-chip-name">{site.name}</span>
        </div>
      ) : null}
      <label className="field compact grow">
        <span>Host</span>
        <input
          ref={hostRef}
          name="host"
          placeholder="ftp.example.com"
          autoComplete="off"
          spellCheck={false}
          value={host}
          onChange={(e) => setHost(e.target.value)}
        />
      </label>
      <label className="field compact port">
        <span>Port</span>
        <input
          name="port"
          inputMode="numeric"
          value={port}
          onChange={(e) => setPort(e.target.value.replace(/\D/g, ''))}
        />
      </label>
      <label className="field compact">
        <span>User</span>
        <input
          name="user"
          autoComplete="off"
          spellCheck={false}
          value={user}
          onChange={(e) => setUser(e.target.value)}
        />
      </label>
      <label className="field compact">
        <span>Password</span>
        <input
          ref={passwordRef}
          name="password"
          type="password"
          autoComplete="off"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
      </label>
      <ModeField mode={mode} onChange={changeMode} />
      <div className="connect-actions">
        <SessionButtons
          showDisconnect={connected || busy || reconnecting}
          busy={busy}
          mode={editedWhileConnected ? 'new' : !connected && !reconnecting ? 'connect' : 'none'}
          valid={valid}
        />
        <RecentConnections
          open={recentOpen}
          setOpen={setRecentOpen}
          onPick={(r) => {
            setHost(r.host);
            setPort(String(r.port));
            setUser(r.user);
            setMode(r.mode);
            setRecentOpen(false);
            // The one thing a recent connection does not remember.
            passwordRef.current?.focus();
          }}
        />
        <AppButtons />
      </div>
    </form>
  );
}

/** The recent connections: pick one to fill the bar (then type the password), or forget it. */
function RecentConnections({
  open,
  setOpen,
  onPick,
}: {
  open: boolean;
  setOpen: (open: boolean) => void;
  onPick: (connection: RecentConnection) => void;
}) {
  const recent = useStore((s) => s.recent);
  return (
    <div className="recent">
      <button
        type="button"
        className="icon-button bordered"
        aria-label="Recent connections"
        aria-expanded={open}
        title="Recent connections"
        onClick={() => setOpen(!open)}
      >
        <History size={16} />
      </button>
      {open ? (
        <div className="popover" role="menu" onMouseLeave={() => setOpen(false)}>
          <div className="popover-title">Recent connections</div>
          {recent.length === 0 ? (
            <div className="popover-empty">No recent connections yet.</div>
          ) : null}
          {recent.map((r) => (
            <div key={`${r.user}@${r.host}:${r.port}`} className="popover-row">
              <button
                type="button"
                role="menuitem"
                className="popover-item"
                onClick={() => onPick(r)}
              >
                <span className="mono">
                  {r.user ? `${r.user}@` : ''}
                  {r.host}:{r.port}
                </span>
                <span className="muted small">{MODE_LABELS[r.mode]}</span>
              </button>
              <button
                type="button"
                className="icon-button small"
                aria-label={`Forget ${r.host}`}
                onClick={() => void forgetRecent(r.host, r.port, r.user)}
              >
                ×
              </button>
            </div>
          ))}
        </div>
      ) : null}
    </div>
  );
}

/** Disconnect (Cancel while connecting) and Connect, or New connection once the bar was edited. */
function SessionButtons({
  showDisconnect,
  busy,
  mode,
  valid,
}: {
  showDisconnect: boolean;
  busy: boolean;
  mode: 'connect' | 'new' | 'none';
  valid: boolean;
}) {
  return (
    <>
      {showDisconnect ? (
        <button type="button" className="button" onClick={() => void disconnectAsked()}>
          {busy ? <Loader2 size={15} className="spin" /> : <Unplug size={15} />}
          {busy ? 'Cancel' : 'Disconnect'}
        </button>
      ) : null}
      {mode === 'new' ? (
        <button
          type="submit"
          className="button button-primary"
          disabled={!valid}
          title="Ends the current session and connects to the server entered here"
        >
          <Plug size={15} />
          New connection
        </button>
      ) : mode === 'connect' ? (
        <button type="submit" className="button button-primary" disabled={!valid || busy}>
          <Plug size={15} />
          Connect
        </button>
      ) : null}
    </>
  );
}

function AppButtons() {
  return (
    <>
      <button
        type="button"
        className="icon-button bordered"
        aria-label="Site Manager"
        title="Site Manager (Ctrl+S)"
        onClick={() => openSiteManager(true)}
      >
        <Server size={16} />
      </button>
      <button
        type="button"
        className="icon-button bordered"
        aria-label="Settings"
        title="Settings (Ctrl+,)"
        onClick={() => openSettings(true)}
      >
        <SettingsIcon size={16} />
      </button>
    </>
  );
}

function Brand() {
  return (
    <div className="brand" aria-hidden="true">
      <span className="brand-mark">
        <PlugZap size={16} />
      </span>
      <span className="brand-name">Ferry</span>
    </div>
  );
}

/** The security mode; plain FTP is marked insecure. */
function ModeField({
  mode,
  onChange,
}: {
  mode: SecurityMode;
  onChange: (mode: SecurityMode) => void;
}) {
  return (
    <label className={`field compact mode ${mode === 'plain' ? 'insecure' : ''}`}>
      <span>
        Security {mode === 'plain' ? <ShieldAlert size={12} aria-label="insecure" /> : null}
      </span>
      <select name="mode" value={mode} onChange={(e) => onChange(e.target.value as SecurityMode)}>
        {MODES.map((m) => (
          <option key={m} value={m}>
            {MODE_LABELS[m]}
          </option>
        ))}
      </select>
    </label>
  );
}
