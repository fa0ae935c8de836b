import { useState, type ReactNode } from 'react';
import { FolderSearch, KeyRound, Plug, Save, ShieldAlert } from 'lucide-react';
import type { ListCommand, SecurityMode } from '../../../shared/models';
import { defaultPort } from '../../../shared/ports';
import {
  changedBindingFields,
  SITE_COLOURS,
  validateSite,
  type FieldError,
  type Site,
  type SiteInput,
  type SiteSecrets,
} from '../../../shared/sites';
import { call, errorText, ferry } from '../api';
import { MODE_LABELS } from '../format';
import { connectToSite, forgetPlainFallback, useSites } from '../sites';
import { useStore } from '../store';

const MODES: SecurityMode[] = ['explicit', 'explicit-if-available', 'implicit', 'plain'];
type Tab = 'general' | 'tls' | 'transfer' | 'notes';
const TABS: Array<[Tab, string]> = [
  ['general', 'General'],
  ['tls', 'TLS'],
  ['transfer', 'Transfer'],
  ['notes', 'Notes'],
];
const TAB_OF: Record<string, Tab> = {
  name: 'general',
  host: 'general',
  port: 'general',
  mode: 'general',
  logonType: 'general',
  user: 'general',
  parentId: 'general',
  tlsMin: 'tls',
  tlsMax: 'tls',
  dataProtection: 'tls',
  ccc: 'tls',
  clientCertificate: 'tls',
  'clientCertificate.certFile': 'tls',
  'clientCertificate.keyFile': 'tls',
  'clientCertificate.pfxFile': 'tls',
  caFile: 'tls',
  transferMode: 'transfer',
  listCommand: 'transfer',
  maxConnections: 'transfer',
  localDir: 'transfer',
  remoteDir: 'transfer',
  comments: 'notes',
  colour: 'notes',
};

function inputOf(site: Site): SiteInput {
  const {
    id: _id,
    createdAt: _createdAt,
    updatedAt: _updatedAt,
    hasPassword: _hasPassword,
    ...input
  } = site;
  return input;
}

function Field({
  label,
  error,
  hint,
  children,
  wide,
}: {
  label: string;
  error?: string | undefined;
  hint?: ReactNode;
  children: ReactNode;
  wide?: boolean;
}) {
  return (
    <label className={`field ${wide ? 'wide' : ''} ${error ? 'invalid' : ''}`}>
      <span>{label}</span>
      {children}
      {error ? (
        <em className="field-error" role="alert">
          {error}
        </em>
      ) : hint ? (
        <em className="field-hint">{hint}</em>
      ) : null}
    </label>
  );
}

/** A path field with a Browse button (a native dialog in Electron; the bridge has none). */
function PathInput({
  name,
  value,
  onChange,
  title,
  extensions,
}: {
  name: string;
  value: string;
  onChange: (value: string) => void;
  title: string;
  extensions?: string[];
}) {
  const native = useStore((s) => s.app?.runtime === 'electron');
  return (
    <span className="path-field">
      <input
        name={name}
        value={value}
        spellCheck={false}
        onChange={(e) => onChange(e.target.value)}
      />
      {native ? (
        <button
          type="button"
          className="icon-button bordered"
          aria-label={`Browse: ${title}`}
          title="Browse…"
          onClick={() => {
            void call(ferry.pickFile({ title, ...(extensions ? { extensions } : {}) })).then(
              (path) => {
                if (path) onChange(path);
              },
            );
          }}
        >
          <FolderSearch size={15} />
        </button>
      ) : null}
    </span>
  );
}

/** The form of one saved site: every field, validated with the shared rules before saving. */
export function SiteForm({ site }: { site: Site }) {
  const secrets = useSites((s) => s.secrets);
  const plainRemembered = useSites((s) => s.plainFallback.includes(site.id));
  const folders = useSites((s) => s.tree.folders);
  const [input, setInput] = useState<SiteInput>(() => inputOf(site));
  const [password, setPassword] = useState<string | undefined>(undefined);
  const [passphrase, setPassphrase] = useState<string | undefined>(undefined);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [tab, setTab] = useState<Tab>('general');
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState<string | undefined>(undefined);

  // A saved password stays bound to host, port, user, mode and CA file (see shared/sites.ts).
  const moved = changedBindingFields(site, input);
  const dirty =
    JSON.stringify(input) !== JSON.stringify(inputOf(site)) ||
    password !== undefined ||
    passphrase !== undefined;

  const set = <K extends keyof SiteInput>(key: K, value: SiteInput[K]) => {
    setInput((current) => ({ ...current, [key]: value }));
    setErrors((current) => current.filter((e) => e.field !== key));
    setSaved(undefined);
  };
  const errorOf = (field: FieldError['field']) =>
    errors
      .filter((e) => e.field === field)
      .map((e) => e.message)
      .join(' ') || undefined;

  const changeMode = (mode: SecurityMode) => {
    setInput((current) => ({
      ...current,
      mode,
      port: current.port === defaultPort(current.mode) ? defaultPort(mode) : current.port,
      ...(mode === 'plain' ? { ccc: false, clientCertificate: null } : {}),
    }));
  };

  /** Saves the form; returns the saved site, or undefined when something is wrong. */
  const save = async (): Promise<Site | undefined> => {
    const local = validateSite(input);
    const files = local.length === 0 ? await call(ferry.checkSiteFiles(input)) : [];
    const problems = [...local, ...files];
    if (problems.length > 0) {
      setErrors(problems);
      const first = problems[0];
      if (first) setTab(TAB_OF[first.field] ?? 'general');
      return undefined;
    }
    if (!dirty) return site;
    const siteSecrets: SiteSecrets = {};
    if (password !== undefined) siteSecrets.password = password;
    if (passphrase !== undefined) siteSecrets.clientCertPassphrase = passphrase;
    setBusy(true);
    try {
      const result = await call(ferry.updateSite(site.id, input, siteSecrets));
      if (!result.ok) {
        setErrors(result.errors);
        return undefined;
      }
      setPassword(undefined);
      setPassphrase(undefined);
      setErrors([]);
      setSaved('Saved');
      if (result.secretsWarning) {
        useStore.getState().toast('info', `Password ${result.secretsWarning}`);
      }
      return result.site;
    } catch (error) {
      useStore.getState().toast('error', errorText(error));
      return undefined;
    } finally {
      setBusy(false);
    }
  };

  const connect = async () => {
    const current = await save();
    if (current) await connectToSite(current);
  };

  const cert = input.clientCertificate;
  const tabErrors = new Set(errors.map((e) => TAB_OF[e.field] ?? 'general'));

  return (
    <form
      className="site-form"
      aria-label="Site"
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
      onKeyDown={(event) => {
        if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
          event.preventDefault();
          void connect();
        }
      }}
    >
      <div className="site-form-head">
        <div>
          <h3>{input.name || 'Untitled site'}</h3>
          <span className="muted small mono">
            {input.logonType !== 'anonymous' && input.user ? `${input.user}@` : ''}
            {input.host || 'host'}:{input.port}
          </span>
        </div>
        <div className="tabs" role="tablist">
          {TABS.map(([id, label]) => (
            <button
              key={id}
              type="button"
              role="tab"
              aria-selected={tab === id}
              className={`tab ${tab === id ? 'active' : ''} ${tabErrors.has(id) ? 'has-error' : ''}`}
              onClick={() => setTab(id)}
            >
              {label}
            </button>
          ))}
        </div>
      </div>

      <div className="site-form-body">
        {tab === 'general' ? (
          <div className="form-grid">
            <Field label="Name" error={errorOf('name')} wide>
              <input name="name" value={input.name} onChange={(e) => set('name', e.target.value)} />
            </Field>
            <Field label="Host" error={errorOf('host')}>
              <input
                name="host"
                value={input.host}
                spellCheck={false}
                placeholder="ftp.example.com"
                onChange={(e) => set('host', e.target.value)}
              />
            </Field>
            <Field label="Port" error={errorOf('port')}>
              <input
                name="port"
                inputMode="numeric"
                value={String(input.port || '')}
                onChange={(e) => set('port', Number(e.target.value.replace(/\D/g, '')) || 0)}
              />
            </Field>
            <Field
              label="Security"
              error={errorOf('mode')}
              wide
              hint={
                input.mode === 'plain' ? (
                  <span className="bad">
                    <ShieldAlert size={12} /> Passwords and files travel unencrypted.
                  </span>
                ) : input.mode === 'explicit-if-available' && plainRemembered ? (
                  <span className="bad" data-testid="plain-remembered">
                    <ShieldAlert size={12} /> You chose to continue without encryption when this
                    server offers no TLS.{' '}
                    <button
                      type="button"
                      className="link-button"
                      onClick={() => void forgetPlainFallback(site.id)}
                    >
                      Ask again
                    </button>
                  </span>
                ) : input.mode === 'explicit-if-available' ? (
                  'When the server offers no TLS, Ferry stops before sending your user name and asks you.'
                ) : undefined
              }
            >
              <select
                name="mode"
                value={input.mode}
                onChange={(e) => changeMode(e.target.value as SecurityMode)}
              >
                {MODES.map((m) => (
                  <option key={m} value={m}>
                    {MODE_LABELS[m]}
                  </option>
                ))}
              </select>
            </Field>
            <Field label="Logon type" error={errorOf('logonType')}>
              <select
                name="logonType"
                value={input.logonType}
                onChange={(e) => set('logonType', e.target.value as SiteInput['logonType'])}
              >
                <option value="normal">Normal (save the password)</option>
                <option value="ask">Ask for the password</option>
                <option value="anonymous">Anonymous</option>
              </select>
            </Field>
            <Field label="Folder" error={errorOf('parentId')}>
              <select
                name="parentId"
                value={input.parentId ?? ''}
                onChange={(e) => set('parentId', e.target.value === '' ? null : e.target.value)}
              >
                <option value="">(top level)</option>
                {folders.map((f) => (
                  <option key={f.id} value={f.id}>
                    {f.name}
                  </option>
                ))}
              </select>
            </Field>
            {input.logonType !== 'anonymous' ? (
              <Field label="User" error={errorOf('user')}>
                <input
                  name="user"
                  value={input.user}
                  spellCheck={false}
                  autoComplete="off"
                  onChange={(e) => set('user', e.target.value)}
                />
              </Field>
            ) : null}
            {input.logonType === 'normal' ? (
              <Field
                label="Password"
                hint={
                  !secrets.available ? (
                    <span className="warn">
                      <KeyRound size={12} /> Not saved: {secrets.reason}
                    </span>
                  ) : site.hasPassword && password === undefined && moved.length > 0 ? (
                    <span className="warn" data-testid="password-dropped-note">
                      <KeyRound size={12} /> Changing the {moved.join(', ')} removes the saved
                      password when you save. Enter it again to keep one saved.
                    </span>
                  ) : site.hasPassword && password === undefined ? (
                    'Saved in the system keychain. Type to replace it.'
                  ) : undefined
                }
              >
                <input
                  name="password"
                  type="password"
                  autoComplete="new-password"
                  placeholder={site.hasPassword ? '••••••••' : ''}
                  value={password ?? ''}
                  onChange={(e) => {
                    setPassword(e.target.value);
                    setSaved(undefined);
                  }}
                />
              </Field>
            ) : null}
            {input.logonType === 'ask' ? (
              <p className="form-note">Ferry asks for the password each time you connect.</p>
            ) : null}
          </div>
        ) : null}

        {tab === 'tls' ? (
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
              hint={
                input.ccc ? 'Commands after login travel unencrypted (for NAT routers).' : undefined
              }
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
        ) : null}

        {tab === 'transfer' ? (
          <div className="form-grid">
            <Field label="Data connection mode" error={errorOf('transferMode')}>
              <select
                name="transferMode"
                value={input.transferMode}
                onChange={(e) => set('transferMode', e.target.value as 'passive' | 'active')}
              >
                <option value="passive">Passive (recommended)</option>
                <option value="active">Active</option>
              </select>
            </Field>
            <Field
              label="Folder listings"
              error={errorOf('listCommand')}
              hint={
                input.listCommand === 'list'
                  ? 'LIST: faster on some servers for huge folders; times only to the minute.'
                  : input.listCommand === 'list-bare'
                    ? 'For servers that read "-a" as a file name: hidden files (.htaccess, .env) are not listed, so folder transfers and deletes miss them.'
                    : undefined
              }
            >
              <select
                name="listCommand"
                value={input.listCommand}
                onChange={(e) => set('listCommand', e.target.value as ListCommand)}
              >
                <option value="auto">Automatic (MLSD when offered)</option>
                <option value="mlsd">Always MLSD</option>
                <option value="list">Always LIST</option>
                <option value="list-bare">LIST without hidden files (no -a)</option>
              </select>
            </Field>
            <Field
              label="Maximum connections"
              error={errorOf('maxConnections')}
              hint="Empty: the default from Settings."
            >
              <input
                name="maxConnections"
                inputMode="numeric"
                value={input.maxConnections === null ? '' : String(input.maxConnections)}
                onChange={(e) => {
                  const digits = e.target.value.replace(/\D/g, '');
                  set('maxConnections', digits === '' ? null : Number(digits));
                }}
              />
            </Field>
            <Field label="Initial local folder" error={errorOf('localDir')} wide>
              <input
                name="localDir"
                value={input.localDir}
                spellCheck={false}
                onChange={(e) => set('localDir', e.target.value)}
              />
            </Field>
            <Field label="Initial remote folder" error={errorOf('remoteDir')} wide>
              <input
                name="remoteDir"
                value={input.remoteDir}
                spellCheck={false}
                placeholder="/"
                onChange={(e) => set('remoteDir', e.target.value)}
              />
            </Field>
          </div>
        ) : null}

        {tab === 'notes' ? (
          <div className="form-grid">
            <Field label="Colour" error={errorOf('colour')} wide>
              <span className="colour-choices" role="radiogroup" aria-label="Colour">
                {SITE_COLOURS.map((colour) => (
                  <button
                    key={colour}
                    type="button"
                    role="radio"
                    aria-checked={input.colour === colour}
                    aria-label={colour}
                    title={colour}
                    className={`colour-swatch colour-${colour} ${input.colour === colour ? 'active' : ''}`}
                    onClick={() => set('colour', colour)}
                  />
                ))}
              </span>
            </Field>
            <Field label="Comments" error={errorOf('comments')} wide>
              <textarea
                name="comments"
                rows={7}
                value={input.comments}
                onChange={(e) => set('comments', e.target.value)}
              />
            </Field>
          </div>
        ) : null}
      </div>

      <footer className="site-form-footer">
        <span className="muted small" role="status">
          {errors.length > 0
            ? `${errors.length} field${errors.length === 1 ? '' : 's'} to fix`
            : (saved ?? (dirty ? 'Unsaved changes' : ''))}
        </span>
        <button type="submit" className="button" disabled={busy || !dirty}>
          <Save size={14} /> Save
        </button>
        <button
          type="button"
          className="button button-primary"
          disabled={busy}
          onClick={() => void connect()}
        >
          <Plug size={14} /> Connect
        </button>
      </footer>
    </form>
  );
}
