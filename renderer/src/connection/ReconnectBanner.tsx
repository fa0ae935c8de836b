import { useEffect, useState } from 'react';
import { Loader2 } from 'lucide-react';
import { describeError } from '../../../shared/errors';
import { useStore } from '../app/store';
import { disconnect } from './actions';

/** "Connection lost · Reconnecting in 3 s (attempt 1 of 5)" with Reconnect now and Cancel. */
export function ReconnectBanner() {
  const reconnect = useStore((s) => s.session.reconnect);
  const error = useStore((s) => s.session.error);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(timer);
  }, []);
  const seconds = reconnect?.at
    ? Math.max(0, Math.ceil((Date.parse(reconnect.at) - now) / 1000))
    : undefined;
  return (
    <div className="reconnect-banner" role="status" data-testid="reconnect-banner">
      <Loader2 size={15} className="spin" aria-hidden="true" />
      <div className="reconnect-text">
        <strong>Connection lost.</strong>{' '}
        <span data-testid="reconnect-countdown">
          {seconds === undefined ? 'Reconnecting now…' : `Reconnecting in ${seconds} s`}
          {reconnect ? ` (attempt ${reconnect.attempt} of ${reconnect.attempts})` : ''}
        </span>
        {error ? <span className="muted small"> · {describeError(error)}</span> : null}
      </div>
      <button type="button" className="button small-button" onClick={() => void disconnect()}>
        Cancel
      </button>
    </div>
  );
}
