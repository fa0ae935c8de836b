import type { CommandDefinition } from '../command';
import { ExitCode } from '../exit-codes';
import { formatCertificateReport } from '../format';

export const certCommand: CommandDefinition = {
  name: 'cert',
  synopsis: '<url>',
  summary: "show the server's certificate and whether ferry would trust it (sends no credentials)",
  details:
    'Connects, negotiates TLS, prints the certificate chain and the verdict, and disconnects\n' +
    'without logging in. Exits 0 when the certificate is trusted (system roots, --ca) or\n' +
    'matches --pin, 3 when it is not.',
  args: { min: 1, max: 1 },
  async run(context) {
    const url = context.url(context.args[0] ?? '');
    const report = await context.session.probe(url);
    const verdict = report.verdict;
    const text = formatCertificateReport(report);
    if (verdict.status === 'trusted' || verdict.status === 'pinned') {
      return { result: { verdict }, text };
    }
    return {
      result: { verdict },
      text,
      exitCode: ExitCode.untrusted,
      error: {
        kind: 'tls-untrusted',
        step: 'certificate',
        reasons: verdict.reasons,
        fingerprint256: report.chain[0]?.fingerprint256 ?? '',
      },
    };
  },
};
