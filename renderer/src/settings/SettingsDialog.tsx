import { useState, type ReactNode } from 'react';
import {
  ArrowRightLeft,
  BadgeCheck,
  Eye,
  Monitor,
  Moon,
  Network,
  Settings as SettingsIcon,
  ShieldCheck,
  Sun,
  Trash2,
} from 'lucide-react';
import type { FileExistsAction } from '../../../shared/transfers';
import type { Settings, Theme } from '../../../shared/settings';
import { formatDate } from '../lib/format';
import { useStore } from '../app/store';
import { inspectPin, removePin } from '../certificates/actions';
import { openSettings, updateSettings } from './actions';
import { Dialog } from '../ui/Dialog';
import { AUTO_CONNECTIONS, SETTINGS_LIMITS } from '../../../shared/settings-limits';

type Section = 'general' | 'transfers' | 'connection' | 'pins';
const CONNECTION_CHOICES = Array.from(
  { length: SETTINGS_LIMITS.connections.max - SETTINGS_LIMITS.connections.min + 1 },
  (_, i) => SETTINGS_LIMITS.connections.min + i,
);

const TIMEOUTS: Array<[keyof Settings['timeouts'], string]> = [
  ['connectSeconds', 'Connect'],
  ['replySeconds', 'Server reply'],
  ['dataIdleSeconds', 'Idle data connection'],
];

const SECTIONS: Array<[Section, string, ReactNode]> = [
  ['general', 'General', <Eye key="g" size={15} />],
  ['transfers', 'Transfers', <ArrowRightLeft key="t" size={15} />],
  ['connection', 'Connection', <Network key="c" size={15} />],
  ['pins', 'Pinned certificates', <ShieldCheck key="p" size={15} />],
];

const FILE_EXISTS: Array<[FileExistsAction, string]> = [
  ['ask', 'Ask each time'],
  ['overwrite', 'Overwrite'],
  ['overwrite-if-newer', 'Overwrite if the source is newer'],
  ['overwrite-if-size-differs', 'Overwrite if the size differs'],
  ['overwrite-if-size-differs-or-newer', 'Overwrite if newer or the size differs'],
  ['resume', 'Resume'],
  ['rename', 'Keep both (rename)'],
  ['skip', 'Skip'],
];

const CONFIRMS: Array<[keyof Settings['confirm'], string]> = [
  ['deleteRemote', 'Before deleting files on the server'],
  ['deleteLocal', 'Before deleting files on this computer'],
  ['disconnectWithTransfers', 'Before disconnecting while transfers run'],
  ['quitWithTransfers', 'Before quitting while transfers run'],
];

/** A checkbox that saves as soon as it changes. */
function CheckboxSetting({
  name,
  checked,
  onSave,
  children,
}: {
  name: string;
  checked: boolean;
  onSave: (checked: boolean) => void;
  children: ReactNode;
}) {
  return (
    <label className="checkbox">
      <input
        type="checkbox"
        name={name}
        checked={checked}
        onChange={(e) => onSave(e.target.checked)}
      />
      {children}
    </label>
  );
}

/** A number field that saves when it holds a whole number in range. */
function NumberSetting({
  label,
  name,
  value,
  min,
  max,
  unit,
  onSave,
}: {
  label: string;
  name: string;
  value: number;
  min: number;
  max: number;
  unit?: string;
  onSave: (value: number) => void;
}) {
  const [text, setText] = useState(String(value));
  const number = Number(text);
  const valid = text !== '' && Number.isInteger(number) && number >= min && number <= max;
  return (
    <label className={`field setting-number ${valid ? '' : 'invalid'}`}>
      <span>{label}</span>
      <span className="with-unit">
        <input
          name={name}
          inputMode="numeric"
          value={text}
          onChange={(e) => {
            const next = e.target.value.replace(/\D/g, '');
            setText(next);
            const n = Number(next);
            if (next !== '' && n >= min && n <= max && n !== value) onSave(n);
          }}
        />
        {unit ? <span className="muted">{unit}</span> : null}
      </span>
      {valid ? null : (
        <em className="field-error" role="alert">
          {min} to {max}
        </em>
      )}
    </label>
  );
}

export function SettingsDialog() {
  const open = useStore((s) => s.settingsOpen);
  if (!open) return null;
  return <SettingsBody />;
}

function SettingsBody() {
  const pins = useStore((s) => s.pins);
  const [section, setSection] = useState<Section>('general');
  return (
    <Dialog
      title="Settings"
      icon={<SettingsIcon size={18} />}
      width={900}
      onClose={() => openSettings(false)}
      testId="settings-dialog"
    >
      <div className="settings-layout">
        <nav className="settings-nav" role="tablist" aria-label="Settings sections">
          {SECTIONS.map(([id, label, icon]) => (
            <button
              key={id}
              type="button"
              role="tab"
              aria-selected={section === id}
              className={`settings-tab ${section === id ? 'active' : ''}`}
              onClick={() => setSection(id)}
            >
              {icon}
              <span>{label}</span>
              {id === 'pins' && pins.length > 0 ? (
                <span className="count">{pins.length}</span>
              ) : null}
            </button>
          ))}
        </nav>
        <div className="settings-body">
          {section === 'general' ? <GeneralSection /> : null}

          {section === 'transfers' ? <TransfersSection /> : null}

          {section === 'connection' ? <ConnectionSection /> : null}

          {section === 'pins' ? <PinsSection /> : null}
        </div>
      </div>
    </Dialog>
  );
}

/** Theme, hidden files and confirmations. */
function GeneralSection() {
  const settings = useStore((s) => s.settings);
  const themes: Array<[Theme, string, ReactNode]> = [
    ['system', 'System', <Monitor key="s" size={15} />],
    ['light', 'Light', <Sun key="l" size={15} />],
    ['dark', 'Dark', <Moon key="d" size={15} />],
  ];
  return (
    <>
      <div className="section-title">Appearance</div>
      <div className="segmented" role="radiogroup" aria-label="Theme">
        {themes.map(([theme, label, icon]) => (
          <button
            key={theme}
            type="button"
            role="radio"
            aria-checked={settings.theme === theme}
            className={settings.theme === theme ? 'active' : ''}
            onClick={() => void updateSettings({ theme })}
          >
            {icon}
            {label}
          </button>
        ))}
      </div>
      <CheckboxSetting
        name="showHiddenFiles"
        checked={settings.showHiddenFiles}
        onSave={(showHiddenFiles) => void updateSettings({ showHiddenFiles })}
      >
        Show hidden files (names starting with a dot)
      </CheckboxSetting>
      <div className="section-title">Ask for confirmation</div>
      {CONFIRMS.map(([key, label]) => (
        <CheckboxSetting
          key={key}
          name={`confirm.${key}`}
          checked={settings.confirm[key]}
          onSave={(on) => void updateSettings({ confirm: { [key]: on } })}
        >
          {label}
        </CheckboxSetting>
      ))}
    </>
  );
}

/** Parallel transfers and what to do when a file exists. */
function TransfersSection() {
  const settings = useStore((s) => s.settings);
  return (
    <>
      <div className="section-title">Queue</div>
      <div className="form-grid">
        <label className="field">
          <span>Connections per server</span>
          <select
            name="transferConcurrency"
            value={String(settings.transferConcurrency)}
            onChange={(e) =>
              void updateSettings({
                transferConcurrency: e.target.value === 'auto' ? 'auto' : Number(e.target.value),
              })
            }
          >
            <option value="auto">Automatic (up to {AUTO_CONNECTIONS})</option>
            {CONNECTION_CHOICES.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
      </div>
      <CheckboxSetting
        name="preserveTimes"
        checked={settings.preserveTimes}
        onSave={(preserveTimes) => void updateSettings({ preserveTimes })}
      >
        Keep modification times (off: one command less per file on servers without MLSD)
      </CheckboxSetting>
      <div className="section-title">When the target file exists</div>
      <div className="form-grid">
        {(['upload', 'download'] as const).map((side) => (
          <label key={side} className="field">
            <span>{side === 'upload' ? 'Uploads' : 'Downloads'}</span>
            <select
              name={`fileExists.${side}`}
              value={settings.fileExists[side]}
              onChange={(e) =>
                void updateSettings({
                  fileExists: { [side]: e.target.value as FileExistsAction },
                })
              }
            >
              {FILE_EXISTS.map(([action, label]) => (
                <option key={action} value={action}>
                  {label}
                </option>
              ))}
            </select>
          </label>
        ))}
      </div>
    </>
  );
}

/** Timeouts, keepalive and the default TLS minimum. */
function ConnectionSection() {
  const settings = useStore((s) => s.settings);
  const secrets = useStore((s) => s.secrets);
  return (
    <>
      <div className="section-title">Timeouts</div>
      <div className="form-grid three">
        {TIMEOUTS.map(([key, label]) => (
          <NumberSetting
            key={key}
            label={label}
            name={`timeouts.${key}`}
            value={settings.timeouts[key]}
            min={SETTINGS_LIMITS.timeoutSeconds.min}
            max={SETTINGS_LIMITS.timeoutSeconds.max}
            unit="s"
            onSave={(seconds) => void updateSettings({ timeouts: { [key]: seconds } })}
          />
        ))}
      </div>
      <div className="section-title">Keep the connection alive</div>
      <NumberSetting
        label="Send NOOP after idle (0: never)"
        name="keepaliveSeconds"
        value={settings.keepaliveSeconds}
        min={SETTINGS_LIMITS.keepaliveSeconds.min}
        max={SETTINGS_LIMITS.keepaliveSeconds.max}
        unit="s"
        onSave={(keepaliveSeconds) => void updateSettings({ keepaliveSeconds })}
      />
      <div className="section-title">TLS</div>
      <label className="field setting-select">
        <span>Minimum TLS version for new sites</span>
        <select
          name="defaultTlsMin"
          value={settings.defaultTlsMin}
          onChange={(e) => void updateSettings({ defaultTlsMin: e.target.value as '1.2' | '1.3' })}
        >
          <option value="1.2">TLS 1.2</option>
          <option value="1.3">TLS 1.3</option>
        </select>
      </label>
      <div className="section-title">Saved passwords</div>
      {secrets.available ? (
        <p className="muted" data-testid="settings-keychain">
          Saved passwords are encrypted with a key the system keychain protects.
        </p>
      ) : (
        <div className="warning-box" data-testid="settings-keychain">
          <span>Passwords are not saved: {secrets.reason ?? 'no system keychain'}.</span>
        </div>
      )}
    </>
  );
}

/** The certificates the user chose to always trust. */
function PinsSection() {
  const pins = useStore((s) => s.pins);
  return (
    <>
      <p className="muted">
        Certificates you chose to <strong>always trust</strong>. Ferry connects to these servers
        without asking while they present the same certificate.
      </p>
      {pins.length === 0 ? (
        <div className="empty-state small">
          <BadgeCheck size={26} strokeWidth={1.4} />
          <p>No pinned certificates.</p>
        </div>
      ) : (
        <table className="pin-table" data-testid="pin-table">
          <thead>
            <tr>
              <th>Server</th>
              <th>SHA-256</th>
              <th>Expires</th>
              <th>Pinned</th>
              <th aria-label="Actions" />
            </tr>
          </thead>
          <tbody>
            {pins.map((pin) => (
              <tr key={`${pin.host}:${pin.port}`} data-host={`${pin.host}:${pin.port}`}>
                <td>
                  <div className="pin-server">
                    <span className="mono">
                      {pin.host}:{pin.port}
                    </span>
                    <span className="muted small ellipsis" title={pin.subject}>
                      {pin.subject}
                    </span>
                  </div>
                </td>
                <td className="mono small" title={pin.fingerprint256}>
                  {pin.fingerprint256.slice(0, 17)}…
                </td>
                <td className={`nowrap ${pin.expired ? 'bad' : ''}`}>
                  {formatDate(pin.validTo).slice(0, 10)}
                  {pin.expired ? ' (expired)' : ''}
                </td>
                <td className="nowrap">{formatDate(pin.pinnedAt).slice(0, 10)}</td>
                <td>
                  <div className="pin-actions">
                    <button
                      type="button"
                      className="button small"
                      onClick={() => void inspectPin(pin)}
                    >
                      Inspect
                    </button>
                    <button
                      type="button"
                      className="icon-button"
                      aria-label={`Remove ${pin.host}:${pin.port}`}
                      title="Remove"
                      onClick={() => void removePin(pin)}
                    >
                      <Trash2 size={15} />
                    </button>
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
