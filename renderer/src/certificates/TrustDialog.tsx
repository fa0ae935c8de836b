import { useState } from 'react';
import { ShieldAlert, ShieldX } from 'lucide-react';
import type { CertificateInfo, CertificateReport, UntrustedReason } from '../../../shared/models';
import { answerTrust } from './actions';
import { formatDate } from '../lib/format';
import { expiredSince } from './security';
import { useStore } from '../app/store';
import { Dialog } from '../ui/Dialog';
import { Fingerprint } from './Fingerprint';

/** One sentence per problem, with the facts a person needs (when, which issuer, which names). */
function reasonText(reason: UntrustedReason, report: CertificateReport, now: number): string {
  const leaf = report.chain[0];
  const top = report.chain[report.chain.length - 1];
  switch (reason) {
    case 'self-signed':
      return 'The certificate is self-signed: no certificate authority vouches for it, so Ferry cannot tell it apart from an impostor’s.';
    case 'unknown-issuer':
      return `It was issued by an authority this computer does not know${top ? ` (${top.issuer.CN ?? top.issuer.text})` : ''}.`;
    case 'hostname-mismatch': {
      const names = leaf?.subjectAltNames.map((name) => name.replace(/^(DNS|IP Address):/, ''));
      return `It was made for ${names && names.length > 0 ? names.join(', ') : (leaf?.subject.CN ?? 'another name')}, not for ${report.host}.`;
    }
    case 'expired':
      return leaf ? `It ${expiredSince(leaf, now)}.` : 'It has expired.';
    case 'not-yet-valid':
      return `It is not valid before ${formatDate(leaf?.validFrom)} (check this computer’s clock).`;
    case 'revoked':
      return 'Its issuer has revoked it.';
    default:
      return 'It could not be verified.';
  }
}

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
  // The time the prompt opened, for "expired N days ago".
  const [openedAt] = useState(() => Date.now());
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
            <li key={reason} data-reason={reason}>
              {reasonText(reason, report, openedAt)}
            </li>
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
