import type { PinnedCertificate } from '../../../shared/ipc';
import type { CertificateReport } from '../../../shared/models';

/** A pinned certificate in the certificate dialog: a pin has no session, so nothing to show. */
export function pinnedCertificateReport(pin: PinnedCertificate): CertificateReport {
  return {
    host: pin.host,
    port: pin.port,
    chain: [pin.certificate],
    session: { protocol: 'Not connected', cipher: '—' },
    verdict: { status: 'pinned' },
  };
}
