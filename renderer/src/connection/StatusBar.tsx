import { Lock, LockOpen, ShieldAlert, ShieldCheck, Unplug, Loader2 } from 'lucide-react';
import { summarizeSecurity } from '../certificates/security';
import { useStore } from '../app/store';

/** One glance at the session's security: mode, TLS version, data protection and resumption. */
export function StatusBar() {
  const session = useStore((s) => s.session);
  const setCertificateOpen = useStore((s) => s.setCertificateOpen);
  const totals = useStore((s) => s.totals);

  const summary = summarizeSecurity(session);
  let { tone, headline } = summary;
  const { facts } = summary;
  if (session.status === 'failed' && session.lost) headline = 'Connection lost';
  if (session.status === 'reconnecting') {
    tone = 'warning';
    headline = 'Connection lost · reconnecting';
  }
  const Icon =
    tone === 'secure'
      ? ShieldCheck
      : tone === 'warning'
        ? ShieldAlert
        : tone === 'danger'
          ? session.status === 'failed'
            ? Unplug
            : LockOpen
          : session.status === 'connecting'
            ? Loader2
            : Unplug;
  const hasReport = !!session.report;

  return (
    <footer className={`status-bar tone-${tone}`} data-testid="status-bar" data-tone={tone}>
      <button
        type="button"
        className="status-lock"
        title={hasReport ? 'Show certificate' : 'No certificate for this session'}
        aria-label="Show certificate"
        disabled={!hasReport}
        onClick={() => setCertificateOpen(true)}
      >
        {hasReport ? (
          <Lock size={14} />
        ) : (
          <Icon size={14} className={session.status === 'connecting' ? 'spin' : ''} />
        )}
      </button>
      <span className="status-headline" data-testid="status-headline">
        {hasReport ? <Icon size={14} /> : null}
        {headline}
      </span>
      {facts.map((fact) => (
        <span key={fact} className="status-fact">
          {fact}
        </span>
      ))}
      {session.status === 'connected' && session.target?.site ? (
        <span className="status-fact status-site" data-testid="status-site">
          {session.target.site.name}
        </span>
      ) : null}
      {session.status === 'connected' && session.target ? (
        <span className="status-fact mono">
          {session.target.user ? `${session.target.user}@` : ''}
          {session.target.host}:{session.target.port}
        </span>
      ) : null}
      <span className="status-spacer" />
      {totals.active > 0 ? (
        <span className="status-fact">
          {totals.active} transfer{totals.active === 1 ? '' : 's'} running
        </span>
      ) : null}
      {totals.queued > 0 ? <span className="status-fact">{totals.queued} waiting</span> : null}
    </footer>
  );
}
