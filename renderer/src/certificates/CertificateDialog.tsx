import { useState } from 'react';
import { AlertTriangle, BadgeCheck, BadgeHelp, BadgeX, Lock } from 'lucide-react';
import type { CertificateInfo, CertificateReport, DistinguishedName } from '../../../shared/models';
import { formatDate } from '../lib/format';
import { chainLinkProblems } from './security';
import { closeInspect } from './actions';
import { useStore } from '../app/store';
import { Dialog } from '../ui/Dialog';
import { Fingerprint } from './Fingerprint';

const DN_FIELDS: Array<[keyof DistinguishedName, string]> = [
  ['CN', 'Common name'],
  ['O', 'Organization'],
  ['OU', 'Unit'],
  ['L', 'Locality'],
  ['ST', 'State'],
  ['C', 'Country'],
  ['emailAddress', 'E-mail'],
];

function Name({ name }: { name: DistinguishedName }) {
  const rows = DN_FIELDS.filter(([key]) => name[key]);
  return (
    <dl className="facts">
      {rows.length === 0 ? (
        <>
          <dt>Name</dt>
          <dd>{name.text}</dd>
        </>
      ) : (
        rows.map(([key, label]) => (
          <div key={key} className="fact-pair">
            <dt>{label}</dt>
            <dd>{name[key]}</dd>
          </div>
        ))
      )}
    </dl>
  );
}

function chainLabel(cert: CertificateInfo, index: number, length: number): string {
  if (index === 0) return 'Server';
  if (index === length - 1 && cert.selfSigned) return 'Root';
  return 'Intermediate';
}

/** The certificate of the current session: chain, names, validity, keys and fingerprints. */
export function CertificateDialog() {
  const sessionOpen = useStore((s) => s.certificateOpen);
  const sessionReport = useStore((s) => s.session.report);
  const sessionTrust = useStore((s) => s.session.security?.certificateTrust);
  const setSessionOpen = useStore((s) => s.setCertificateOpen);
  // A pinned certificate inspected from Settings, shown the same way.
  const inspected = useStore((s) => s.inspect);
  const open = sessionOpen || inspected !== undefined;
  const report = inspected ?? sessionReport;
  const setOpen = (next: boolean) => (inspected ? closeInspect() : setSessionOpen(next));
  const [index, setIndex] = useState(0);
  // The time the dialog opened, for the "expires in N days" warning.
  const [openedAt] = useState(() => Date.now());
  if (!open || !report) return null;
  const cert = report.chain[Math.min(index, report.chain.length - 1)];
  if (!cert) return null;
  const verdict = report.verdict;
  const selectedProblems = chainLinkProblems(
    report,
    Math.min(index, report.chain.length - 1),
    openedAt,
  );
  const daysLeft = Math.floor((Date.parse(cert.validTo) - openedAt) / 86_400_000);
  return (
    <Dialog
      title={`Certificate of ${report.host}`}
      icon={<Lock size={18} />}
      width={780}
      onClose={() => setOpen(false)}
      testId="certificate-dialog"
      footer={
        <button
          type="button"
          className="button button-primary"
          data-autofocus
          onClick={() => setOpen(false)}
        >
          Close
        </button>
      }
    >
      <div className="cert-layout">
        <nav className="chain" aria-label="Certificate chain">
          <div className="section-title">Chain</div>
          {report.chain.map((c, i) => {
            const problems = chainLinkProblems(report, i, openedAt);
            const verified = verdict.status === 'trusted' || verdict.status === 'pinned';
            const state = problems.length > 0 ? 'invalid' : verified ? 'valid' : 'unverified';
            const LinkIcon =
              state === 'invalid' ? BadgeX : state === 'valid' ? BadgeCheck : BadgeHelp;
            return (
              <button
                key={c.fingerprint256}
                type="button"
                className={`chain-item ${i === index ? 'active' : ''} link-${state}`}
                style={{ paddingLeft: 10 + i * 12 }}
                onClick={() => setIndex(i)}
                data-link-state={state}
                title={
                  problems.length > 0
                    ? `Not valid: ${problems.join('; ')}`
                    : state === 'valid'
                      ? 'Verified'
                      : 'Not verified'
                }
              >
                <LinkIcon size={14} aria-label={state === 'invalid' ? 'not valid' : state} />
                <span>
                  <span className="chain-kind">{chainLabel(c, i, report.chain.length)}</span>
                  <span className="chain-name">{c.subject.CN ?? c.subject.text}</span>
                </span>
              </button>
            );
          })}
          <SessionFacts report={report} onceOnly={sessionTrust === 'once' && !inspected} />
        </nav>
        <div className="cert-details">
          {selectedProblems.length > 0 ? (
            <div className="warning-box bad" data-testid="cert-link-problems">
              <AlertTriangle size={15} />
              <span>This certificate is not valid: {selectedProblems.join('; ')}.</span>
            </div>
          ) : null}
          {selectedProblems.length === 0 &&
          (cert.expired || cert.notYetValid || cert.weakSignature || daysLeft < 30) ? (
            <div className="warning-box">
              <AlertTriangle size={15} />
              <span>
                {cert.expired
                  ? 'This certificate has expired.'
                  : cert.notYetValid
                    ? 'This certificate is not valid yet.'
                    : cert.weakSignature
                      ? 'This certificate uses a weak signature algorithm.'
                      : `This certificate expires in ${daysLeft} day${daysLeft === 1 ? '' : 's'}.`}
              </span>
            </div>
          ) : null}
          <div className="section-title">Subject</div>
          <Name name={cert.subject} />
          <div className="section-title">
            Issuer {cert.selfSigned ? <span className="pill">self-signed</span> : null}
          </div>
          <Name name={cert.issuer} />
          <div className="section-title">Details</div>
          <dl className="facts">
            <dt>Alternative names</dt>
            <dd>{cert.subjectAltNames.length > 0 ? cert.subjectAltNames.join(', ') : '—'}</dd>
            <dt>Valid from</dt>
            <dd>{formatDate(cert.validFrom)}</dd>
            <dt>Valid until</dt>
            <dd className={cert.expired ? 'bad' : ''}>{formatDate(cert.validTo)}</dd>
            <dt>Serial number</dt>
            <dd className="mono small">{cert.serialNumber}</dd>
            <dt>Public key</dt>
            <dd>
              {cert.publicKeyAlgorithm}
              {cert.publicKeyBits ? ` ${cert.publicKeyBits} bits` : ''}
              {cert.publicKeyCurve ? ` (${cert.publicKeyCurve})` : ''}
            </dd>
            <dt>Signature</dt>
            <dd className={cert.weakSignature ? 'bad' : ''}>{cert.signatureAlgorithm}</dd>
          </dl>
          <Fingerprint label="SHA-256" value={cert.fingerprint256} testId="cert-sha256" />
          <Fingerprint label="SHA-1" value={cert.fingerprint1} testId="cert-sha1" />
        </div>
      </div>
    </Dialog>
  );
}

/** How the connection is protected, and why the certificate is trusted. */
function SessionFacts({ report, onceOnly }: { report: CertificateReport; onceOnly: boolean }) {
  const verdict = report.verdict;
  return (
    <>
      <div className="section-title">Session</div>
      <dl className="facts narrow">
        <dt>Protocol</dt>
        <dd data-testid="cert-protocol">{report.session.protocol}</dd>
        <dt>Cipher</dt>
        <dd className="mono small">{report.session.cipherStandardName ?? report.session.cipher}</dd>
        {report.session.keyExchange ? (
          <>
            <dt>Key exchange</dt>
            <dd>{report.session.keyExchange}</dd>
          </>
        ) : null}
        <dt>Trust</dt>
        <dd>
          {verdict.status === 'trusted'
            ? `Verified (${verdict.by === 'system' ? 'system roots' : 'extra CA'})`
            : verdict.status === 'pinned'
              ? 'Pinned by you'
              : onceOnly
                ? 'Trusted once by you (not verified)'
                : verdict.status === 'changed'
                  ? 'Changed since pinned, accepted by you'
                  : 'Accepted by you (not verified)'}
        </dd>
      </dl>
    </>
  );
}
