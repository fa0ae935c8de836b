import { ShieldAlert, ShieldX } from 'lucide-react';
import type { CertificateInfo, UntrustedReason } from '../../../shared/models';
import { answerTrust } from '../actions';
import { formatDate } from '../format';
import { useStore } from '../store';
import { Dialog } from './Dialog';
import { Fingerprint } from './Fingerprint';

const REASONS: Record<UntrustedReason, string> = {
  'self-signed':
    'The certificate is self-signed: no certificate authority vouches for it, so Ferry cannot tell it apart from an impostor’s.',
  'unknown-issuer': 'It was issued by an authority this computer does not know.',
  'hostname-mismatch': 'It was made for a different host name than the one you connected to.',
  expired: 'It has expired.',
  'not-yet-valid': 'It is not valid yet (check this computer’s clock).',
  revoked: 'Its issuer has revoked it.',
  other: 'It could not be verified.',
};

function Summary({ cert, title }: { cert: CertificateInfo; title: string }) {
  return (
    <div className="cert-summary">
      <h4>{title}</h4>
      <dl>
        <dt>Subject</dt>
        <dd>{cert.subject.CN ?? cert.subject.text}</dd>
        <dt>Issuer</dt>
        <dd>{cert.selfSigned ? 'Self-signed' : (cert.issuer.CN ?? cert.issuer.text)}</dd>
        <dt>Valid</dt>
        <dd>
          {formatDate(cert.validFrom)} – {formatDate(cert.validTo)}
        </dd>
      </dl>
      <Fingerprint label="SHA-256" value={cert.fingerprint256} />
    </div>
  );
}

/** Asked before anything is sent to a server whose certificate is untrusted or has changed. */
export function TrustDialog() {
  const prompt = useStore((s) => s.trustPrompts[0]);
  if (!prompt) return null;
  const { report } = prompt;
  const leaf = report.chain[0];
  const verdict = report.verdict;
  const changed = verdict.status === 'changed';
  const reasons =
    verdict.status === 'untrusted' || verdict.status === 'changed' ? verdict.reasons : [];
  const cancel = () => void answerTrust(prompt.promptId, 'reject');
  return (
    <Dialog
      key={prompt.promptId}
      title={changed ? 'The server’s certificate has changed' : 'Unverified certificate'}
      icon={changed ? <ShieldX size={20} /> : <ShieldAlert size={20} />}
      tone={changed ? 'danger' : 'warning'}
      width={changed ? 760 : 560}
      onClose={cancel}
      testId={changed ? 'trust-changed-dialog' : 'trust-dialog'}
      footer={
        <>
          <button
            type="button"
            className="button"
            onClick={cancel}
            data-autofocus={changed ? true : undefined}
          >
            Cancel
          </button>
          <span className="footer-spacer" />
          <button
            type="button"
            className="button"
            onClick={() => void answerTrust(prompt.promptId, 'once')}
            data-autofocus={changed ? undefined : true}
          >
            Trust once
          </button>
          <button
            type="button"
            className={`button ${changed ? 'button-danger' : 'button-primary'}`}
            onClick={() => void answerTrust(prompt.promptId, 'always')}
          >
            Always trust
          </button>
        </>
      }
    >
      <p className="lead">
        {changed ? (
          <>
            <strong>
              {report.host}:{report.port}
            </strong>{' '}
            presented a different certificate from the one you chose to trust before. This happens
            when the server’s certificate is renewed — or when someone intercepts the connection.
            Unless you expected a new certificate, cancel.
          </>
        ) : (
          <>
            Ferry cannot verify that{' '}
            <strong>
              {report.host}:{report.port}
            </strong>{' '}
            is the server it claims to be. Nothing, not even your user name, has been sent yet.
          </>
        )}
      </p>
      {reasons.length > 0 ? (
        <ul className="reasons">
          {reasons.map((reason) => (
            <li key={reason}>{REASONS[reason]}</li>
          ))}
        </ul>
      ) : null}
      {changed && leaf ? (
        <div className="compare">
          <Summary cert={verdict.previous} title="Trusted before" />
          <Summary cert={leaf} title="Presented now" />
        </div>
      ) : leaf ? (
        <>
          <Fingerprint
            label="SHA-256 fingerprint"
            value={leaf.fingerprint256}
            testId="trust-fingerprint"
            large
          />
          <p className="muted small">
            Compare it with the fingerprint your server’s administrator gave you. If they match, the
            connection is genuine.
          </p>
          <dl className="facts">
            <dt>Subject</dt>
            <dd>{leaf.subject.text}</dd>
            <dt>Issuer</dt>
            <dd>{leaf.selfSigned ? 'Self-signed' : leaf.issuer.text}</dd>
            <dt>Valid</dt>
            <dd>
              {formatDate(leaf.validFrom)} – {formatDate(leaf.validTo)}
            </dd>
            <dt>Session</dt>
            <dd>
              {report.session.protocol} · {report.session.cipher}
            </dd>
          </dl>
        </>
      ) : null}
    </Dialog>
  );
}
