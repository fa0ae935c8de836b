import { KeyRound, ShieldAlert } from 'lucide-react';
import type { SecurityMode } from '../../../shared/models';
import type { SiteInput } from '../../../shared/sites';
import { MODE_LABELS } from '../lib/format';
import { forgetPlainFallback } from './actions';
import { Field } from './Field';
import type { SiteFormState } from './useSiteForm';

const MODES: SecurityMode[] = ['explicit', 'explicit-if-available', 'implicit', 'plain'];

/** Name, server, security, logon and folder. Examples are placeholders, never values. */
export function SiteGeneralTab({ form }: { form: SiteFormState }) {
  const {
    site,
    input,
    set,
    errorOf,
    changeMode,
    plainRemembered,
    folders,
    secrets,
    password,
    setPassword,
    setSaved,
    moved,
  } = form;
  return (
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
              <ShieldAlert size={12} /> You chose to continue without encryption when this server
              offers no TLS.{' '}
              <button
                type="button"
                className="link-button"
                onClick={() => site && void forgetPlainFallback(site.id)}
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
            placeholder="user"
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
            ) : site?.hasPassword && password === undefined && moved.length > 0 ? (
              <span className="warn" data-testid="password-dropped-note">
                <KeyRound size={12} /> Changing the {moved.join(', ')} removes the saved password
                when you save. Enter it again to keep one saved.
              </span>
            ) : site?.hasPassword && password === undefined ? (
              'Saved in the system keychain. Type to replace it.'
            ) : undefined
          }
        >
          <input
            name="password"
            type="password"
            autoComplete="new-password"
            placeholder={site?.hasPassword ? '••••••••' : ''}
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
  );
}
