import type { SiteInput } from '../../../shared/sites';
import { Field, PathInput } from './Field';
import type { SiteFormState } from './useSiteForm';

/** TLS versions, data and command channel protection, client certificate, extra CA. */
export function SiteTlsTab({ form }: { form: SiteFormState }) {
  const { input, set, errorOf } = form;
  return (
    <div className="form-grid">
      <Field label="Minimum TLS version" error={errorOf('tlsMin')}>
        <select
          name="tlsMin"
          value={input.tlsMin}
          disabled={input.mode === 'plain'}
          onChange={(e) => set('tlsMin', e.target.value as SiteInput['tlsMin'])}
        >
          <option value="1.2">TLS 1.2</option>
          <option value="1.3">TLS 1.3</option>
        </select>
      </Field>
      <Field label="Maximum TLS version" error={errorOf('tlsMax')}>
        <select
          name="tlsMax"
          value={input.tlsMax}
          disabled={input.mode === 'plain'}
          onChange={(e) => set('tlsMax', e.target.value as SiteInput['tlsMax'])}
        >
          <option value="1.2">TLS 1.2</option>
          <option value="1.3">TLS 1.3</option>
        </select>
      </Field>
      <Field
        label="Data connections"
        error={errorOf('dataProtection')}
        hint={input.dataProtection === 'C' ? 'File contents travel unencrypted.' : undefined}
      >
        <select
          name="dataProtection"
          value={input.dataProtection}
          disabled={input.mode === 'plain'}
          onChange={(e) => set('dataProtection', e.target.value as 'P' | 'C')}
        >
          <option value="P">Encrypted (PROT P)</option>
          <option value="C">Clear (PROT C)</option>
        </select>
      </Field>
      <Field
        label="Command channel"
        error={errorOf('ccc')}
        hint={input.ccc ? 'Commands after login travel unencrypted (for NAT routers).' : undefined}
      >
        <select
          name="ccc"
          value={input.ccc ? 'ccc' : 'tls'}
          disabled={input.mode === 'plain'}
          onChange={(e) => set('ccc', e.target.value === 'ccc')}
        >
          <option value="tls">Encrypted</option>
          <option value="ccc">Clear after login (CCC)</option>
        </select>
      </Field>
      <ClientCertificateFields form={form} />
      <Field
        label="Extra trusted CA (PEM file)"
        error={errorOf('caFile')}
        wide
        hint="Certificates signed by this CA are trusted for this site without a prompt."
      >
        <PathInput
          name="caFile"
          title="Trusted CA certificates (PEM)"
          extensions={['pem', 'crt']}
          value={input.caFile ?? ''}
          onChange={(v) => set('caFile', v === '' ? null : v)}
        />
      </Field>
    </div>
  );
}

function ClientCertificateFields({ form }: { form: SiteFormState }) {
  const { input, set, errorOf, secrets, passphrase, setPassphrase } = form;
  const cert = input.clientCertificate;
  return (
    <>
      <Field label="Client certificate" error={errorOf('clientCertificate')} wide>
        <select
          name="clientCertificateKind"
          value={cert?.kind ?? 'none'}
          disabled={input.mode === 'plain'}
          onChange={(e) =>
            set(
              'clientCertificate',
              e.target.value === 'pem'
                ? { kind: 'pem', certFile: '', keyFile: '', hasPassphrase: false }
                : e.target.value === 'pfx'
                  ? { kind: 'pfx', pfxFile: '', hasPassphrase: false }
                  : null,
            )
          }
        >
          <option value="none">None</option>
          <option value="pem">PEM certificate and key</option>
          <option value="pfx">PKCS#12 (.p12, .pfx)</option>
        </select>
      </Field>
      {cert?.kind === 'pem' ? (
        <>
          <Field label="Certificate file" error={errorOf('clientCertificate.certFile')} wide>
            <PathInput
              name="certFile"
              title="Client certificate (PEM)"
              extensions={['pem', 'crt', 'cer']}
              value={cert.certFile}
              onChange={(v) => set('clientCertificate', { ...cert, certFile: v })}
            />
          </Field>
          <Field label="Private key file" error={errorOf('clientCertificate.keyFile')} wide>
            <PathInput
              name="keyFile"
              title="Private key (PEM)"
              extensions={['pem', 'key']}
              value={cert.keyFile}
              onChange={(v) => set('clientCertificate', { ...cert, keyFile: v })}
            />
          </Field>
        </>
      ) : null}
      {cert?.kind === 'pfx' ? (
        <Field label="PKCS#12 file" error={errorOf('clientCertificate.pfxFile')} wide>
          <PathInput
            name="pfxFile"
            title="Client certificate (PKCS#12)"
            extensions={['p12', 'pfx']}
            value={cert.pfxFile}
            onChange={(v) => set('clientCertificate', { ...cert, pfxFile: v })}
          />
        </Field>
      ) : null}
      {cert ? (
        <>
          <label className="checkbox wide">
            <input
              type="checkbox"
              name="hasPassphrase"
              checked={cert.hasPassphrase}
              onChange={(e) =>
                set('clientCertificate', { ...cert, hasPassphrase: e.target.checked })
              }
            />
            The key is protected by a passphrase
          </label>
          {cert.hasPassphrase ? (
            <Field
              label="Passphrase"
              wide
              hint={secrets.available ? undefined : `Not saved: ${secrets.reason ?? ''}`}
            >
              <input
                name="passphrase"
                type="password"
                autoComplete="new-password"
                value={passphrase ?? ''}
                onChange={(e) => setPassphrase(e.target.value)}
              />
            </Field>
          ) : null}
        </>
      ) : null}
    </>
  );
}
