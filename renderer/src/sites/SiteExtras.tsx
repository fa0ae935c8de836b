import { useState } from 'react';
import { AlertTriangle, BookmarkPlus, KeyRound, X } from 'lucide-react';
import {
  cancelCredentials,
  connectToSite,
  dismissNotice,
  dismissSaveOffer,
  saveOfferedSite,
} from './actions';
import { useStore } from '../app/store';
import { Dialog } from '../ui/Dialog';

/** Asks for a site's password (ask-each-time, or no keychain to keep it) before connecting. */
export function CredentialDialog() {
  const credentials = useStore((s) => s.credentials);
  if (!credentials) return null;
  return <CredentialBody key={credentials.site.id} />;
}

function CredentialBody() {
  const credentials = useStore((s) => s.credentials);
  const [password, setPassword] = useState('');
  const [passphrase, setPassphrase] = useState('');
  if (!credentials) return null;
  const { site, prompt } = credentials;
  const wants = (field: 'password' | 'clientCertPassphrase') => prompt.fields.includes(field);
  return (
    <Dialog
      title={`Connect to ${site.name}`}
      icon={<KeyRound size={18} />}
      width={440}
      onClose={cancelCredentials}
      testId="credential-dialog"
    >
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void connectToSite(site, {
            ...(wants('password') ? { password } : {}),
            ...(wants('clientCertPassphrase') ? { clientCertPassphrase: passphrase } : {}),
          });
        }}
      >
        <p className="muted" data-testid="credential-reason">
          {prompt.reason}
        </p>
        <p className="mono small">
          {site.user ? `${site.user}@` : ''}
          {site.host}:{site.port}
        </p>
        {wants('password') ? (
          <label className="field">
            <span>Password</span>
            <input
              name="password"
              type="password"
              autoComplete="off"
              data-autofocus
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          </label>
        ) : null}
        {wants('clientCertPassphrase') ? (
          <label className="field">
            <span>Client certificate passphrase</span>
            <input
              name="passphrase"
              type="password"
              autoComplete="off"
              {...(wants('password') ? {} : { 'data-autofocus': true })}
              value={passphrase}
              onChange={(e) => setPassphrase(e.target.value)}
            />
          </label>
        ) : null}
        <div className="modal-footer inline">
          <button type="button" className="button" onClick={cancelCredentials}>
            Cancel
          </button>
          <button type="submit" className="button button-primary">
            Connect
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** Notices from the stores (a corrupt file set aside) and the "save this site?" offer. */
export function SiteBanners() {
  const notices = useStore((s) => s.notices);
  const offer = useStore((s) => s.saveOffer);
  return (
    <>
      {notices.length > 0 ? (
        <div className="banners">
          {notices.map((notice) => (
            <div key={notice.file} className="banner banner-warning" role="alert">
              <AlertTriangle size={15} />
              <span>
                <strong>{notice.file}</strong> could not be read ({notice.reason}). It was set aside
                as <span className="mono">{notice.setAsideAs}</span> and defaults are used.
              </span>
              <button
                type="button"
                className="icon-button small"
                aria-label="Dismiss"
                onClick={() => dismissNotice(notice)}
              >
                <X size={13} />
              </button>
            </div>
          ))}
        </div>
      ) : null}
      {offer ? (
        <div className="save-offer" role="status" data-testid="save-offer">
          <BookmarkPlus size={16} />
          <span>
            Save <span className="mono">{offer.request.host}</span> in the site manager?
          </span>
          <button
            type="button"
            className="button small button-primary"
            onClick={() => void saveOfferedSite()}
          >
            Save site
          </button>
          <button
            type="button"
            className="icon-button small"
            aria-label="Not now"
            onClick={dismissSaveOffer}
          >
            <X size={13} />
          </button>
        </div>
      ) : null}
    </>
  );
}
