import { useState } from 'react';
import { AlertTriangle, Download, FileSearch, FolderSearch, Upload } from 'lucide-react';
import type { DuplicateChoice, ImportReport, ImportedSite } from '../../../shared/sites';
import { errorText } from '../lib/api';
import { applyImport, exportSites, pickFile, previewImport } from './actions';
import { MODE_LABELS, plural } from '../lib/format';
import { useStore } from '../app/store';

function BrowseButton({
  title,
  save,
  extensions,
  onPick,
}: {
  title: string;
  save?: boolean;
  extensions?: string[];
  onPick: (path: string) => void;
}) {
  const native = useStore((s) => s.app?.runtime === 'electron');
  if (!native) return null;
  return (
    <button
      type="button"
      className="button"
      onClick={() => {
        void pickFile({
          title,
          ...(save ? { save } : {}),
          ...(extensions ? { extensions } : {}),
        }).then((path) => {
          if (path) onPick(path);
        });
      }}
    >
      <FolderSearch size={14} /> Browse…
    </button>
  );
}

const DUPLICATE_LABELS: Record<DuplicateChoice, string> = {
  skip: 'Skip them (keep what Ferry has)',
  replace: 'Replace the saved sites with the imported ones',
  'keep-both': 'Keep both (the imported ones get a new name)',
};

const OUTCOME_LABELS: Record<NonNullable<ImportedSite['outcome']>, string> = {
  added: 'Added',
  replaced: 'Replaced',
  'kept-both': 'Added as a second copy',
  skipped: 'Skipped: already in Ferry',
  failed: 'Not saved',
};

function duplicateText(site: ImportedSite): string | undefined {
  const dup = site.duplicateOf;
  if (!dup) return undefined;
  const where = [...dup.folder, dup.name].join(' / ');
  return `Already in Ferry as “${where}” (${dup.reason === 'same-server' ? 'same server and user' : 'same name'}).`;
}

/** What the file holds (preview) or the secret store holds (after the import): nothing more. */
function passwordText(site: ImportedSite, applied: boolean): string {
  if (site.logonType === 'anonymous') return '';
  if (site.logonType === 'ask') return ' · password asked at connect';
  if (!applied) return site.passwordIncluded ? ' · password in the file' : ' · no password';
  if (site.passwordStored) return ' · password saved';
  return site.passwordIncluded ? ' · password not saved' : ' · no password';
}

/** After the import: what happened to each site, and where its password is. */
function ImportSummary({ report, onDone }: { report: ImportReport; onDone: () => void }) {
  const count = (outcome: ImportedSite['outcome']) =>
    report.sites.filter((s) => s.outcome === outcome).length;
  const parts = [
    [count('added'), 'added'],
    [count('kept-both'), 'added as a second copy'],
    [count('replaced'), 'replaced'],
    [count('skipped'), 'skipped (already in Ferry)'],
    [count('failed'), 'not saved'],
  ] as const;
  const saved = report.sites.filter((s) => s.passwordStored).length;
  const notSaved = report.sites.filter((s) => s.passwordIncluded && !s.passwordStored).length;
  return (
    <div className="import-report" data-testid="import-summary">
      <div className="section-title" role="status">
        {parts
          .filter(([n]) => n > 0)
          .map(([n, word]) => `${plural(n, 'site')} ${word}`)
          .join(', ') || 'No sites imported'}
        {report.pins.length > 0 ? `, ${plural(report.pins.length, 'certificate')}` : ''}.
      </div>
      <p className="muted small">
        {plural(saved, 'password')} saved in the keychain
        {notSaved > 0 ? `; ${plural(notSaved, 'password')} from the file not saved` : ''}.
      </p>
      <ul className="import-list">
        {report.sites.map((site, index) => (
          <li key={index} data-name={site.name} data-outcome={site.outcome}>
            <span className="import-name">
              {site.folder.length > 0 ? (
                <span className="muted">{site.folder.join(' / ')} / </span>
              ) : null}
              {site.name}
            </span>
            <span className="muted small">
              {site.outcome ? OUTCOME_LABELS[site.outcome] : ''}
              {passwordText(site, true)}
            </span>
            {site.notes.map((note) => (
              <span key={note} className="import-note">
                {note}
              </span>
            ))}
          </li>
        ))}
      </ul>
      <div className="panel-actions">
        <button type="button" className="button button-primary" data-autofocus onClick={onDone}>
          Done
        </button>
      </div>
    </div>
  );
}

/** What an import would add: sites (with duplicates marked), certificates, skipped entries. */
function ImportPreviewList({ report }: { report: ImportReport }) {
  return (
    <>
      <ul className="import-list">
        {report.sites.map((site, index) => (
          <li key={index} data-name={site.name}>
            <span className="import-name">
              {site.folder.length > 0 ? (
                <span className="muted">{site.folder.join(' / ')} / </span>
              ) : null}
              {site.name}
            </span>
            <span className="muted small mono">
              {site.user ? `${site.user}@` : ''}
              {site.host}:{site.port} · {MODE_LABELS[site.mode]}
              {passwordText(site, false)}
            </span>
            {site.duplicateOf ? (
              <span className="import-note" data-testid="import-duplicate">
                {duplicateText(site)}
              </span>
            ) : null}
            {site.notes.map((note) => (
              <span key={note} className="import-note">
                {note}
              </span>
            ))}
          </li>
        ))}
        {report.pins.map((pin) => (
          <li key={`${pin.host}:${pin.port}`}>
            <span className="import-name">
              Certificate for {pin.host}:{pin.port}
            </span>
            <span className="muted small mono">{pin.fingerprint256.slice(0, 23)}…</span>
          </li>
        ))}
      </ul>
      {report.skipped.length > 0 ? (
        <>
          <div className="section-title">
            Skipped: {plural(report.skipped.length, 'entry', 'entries')}
          </div>
          <ul className="import-list skipped" data-testid="import-skipped">
            {report.skipped.map((entry, index) => (
              <li key={index}>
                <span className="import-name">{[...entry.folder, entry.name].join(' / ')}</span>
                <span className="import-note">{entry.reason}</span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </>
  );
}

/** Sites already in Ferry: skip them, replace the saved ones, or keep both. */
function DuplicateChoices({
  count,
  value,
  onChange,
}: {
  count: number;
  value: DuplicateChoice;
  onChange: (choice: DuplicateChoice) => void;
}) {
  return (
    <fieldset className="choices" data-testid="import-duplicates">
      <legend>
        {count === 1 ? '1 site is already in Ferry' : `${count} sites are already in Ferry`}
      </legend>
      {(['skip', 'replace', 'keep-both'] as const).map((choice) => (
        <label key={choice} className="radio">
          <input
            type="radio"
            name="import-duplicates"
            value={choice}
            checked={value === choice}
            onChange={() => onChange(choice)}
          />
          {DUPLICATE_LABELS[choice]}
        </label>
      ))}
    </fieldset>
  );
}

/** Import from FileZilla (sitemanager.xml, trustedcerts.xml) or a Ferry export: preview, then apply. */
export function ImportPanel({ onDone }: { onDone: () => void }) {
  const [path, setPath] = useState('');
  const [report, setReport] = useState<ImportReport | undefined>(undefined);
  const [applied, setApplied] = useState<ImportReport | undefined>(undefined);
  const [duplicates, setDuplicates] = useState<DuplicateChoice>('skip');
  const [error, setError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);

  const preview = async (file = path) => {
    setBusy(true);
    setError(undefined);
    setReport(undefined);
    try {
      setReport(await previewImport(file.trim()));
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const apply = async () => {
    setBusy(true);
    try {
      setApplied(await applyImport(path.trim(), duplicates));
      setReport(undefined);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const duplicateCount = report?.sites.filter((s) => s.duplicateOf).length ?? 0;
  const importing = report
    ? duplicates === 'skip'
      ? report.sites.length - duplicateCount
      : report.sites.length
    : 0;

  if (applied) {
    return (
      <div className="side-panel" data-testid="import-panel">
        <h3>
          <Download size={16} /> Imported from {applied.source}
        </h3>
        <ImportSummary report={applied} onDone={onDone} />
      </div>
    );
  }

  return (
    <div className="side-panel" data-testid="import-panel">
      <h3>
        <Download size={16} /> Import sites
      </h3>
      <p className="muted">
        FileZilla’s <span className="mono">sitemanager.xml</span> (or a site-manager export),
        FileZilla’s <span className="mono">trustedcerts.xml</span>, or a Ferry JSON export.
      </p>
      <form
        className="inline-form"
        onSubmit={(event) => {
          event.preventDefault();
          if (path.trim()) void preview();
        }}
      >
        <label className="field grow">
          <span>File</span>
          <input
            name="importPath"
            value={path}
            spellCheck={false}
            placeholder="~/.config/filezilla/sitemanager.xml"
            onChange={(e) => {
              setPath(e.target.value);
              setReport(undefined);
            }}
          />
        </label>
        <BrowseButton
          title="Import sites"
          extensions={['xml', 'json']}
          onPick={(picked) => {
            setPath(picked);
            void preview(picked);
          }}
        />
        <button type="submit" className="button" disabled={!path.trim() || busy}>
          <FileSearch size={14} /> Preview
        </button>
      </form>
      {error ? (
        <div className="warning-box bad" role="alert">
          <AlertTriangle size={15} />
          <span>{error}</span>
        </div>
      ) : null}
      {report ? (
        <div className="import-report" data-testid="import-preview">
          <div className="section-title">
            {plural(report.sites.length, 'site')} to import
            {report.folders.length > 0 ? `, ${plural(report.folders.length, 'folder')}` : ''}
            {report.pins.length > 0 ? `, ${plural(report.pins.length, 'certificate')}` : ''}
          </div>
          <ImportPreviewList report={report} />
          {report.notes.map((note) => (
            <p key={note} className="muted small">
              {note}
            </p>
          ))}
          {duplicateCount > 0 ? (
            <DuplicateChoices count={duplicateCount} value={duplicates} onChange={setDuplicates} />
          ) : null}
          <div className="panel-actions">
            <button type="button" className="button" onClick={onDone}>
              Cancel
            </button>
            <button
              type="button"
              className="button button-primary"
              disabled={busy || (importing === 0 && report.pins.length === 0)}
              onClick={() => void apply()}
            >
              <Download size={14} /> Import {plural(importing, 'site')}
            </button>
          </div>
        </div>
      ) : null}
    </div>
  );
}

/**
 * Export every site to a Ferry JSON file; passwords only when ticked. With passwords, Ferry's own
 * save dialog (main process) picks the file: the page never names where passwords go.
 */
export function ExportPanel({ onDone }: { onDone: () => void }) {
  const [path, setPath] = useState('');
  const [includeSecrets, setIncludeSecrets] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const written = await exportSites(includeSecrets ? null : path.trim(), includeSecrets);
      if (written === null) return;
      useStore.getState().toast('info', `Sites exported to ${written}.`);
      onDone();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="side-panel" data-testid="export-panel">
      <h3>
        <Upload size={16} /> Export sites
      </h3>
      <p className="muted">Every folder and site, as a Ferry JSON file another Ferry can import.</p>
      {includeSecrets ? null : (
        <form
          className="inline-form"
          onSubmit={(event) => {
            event.preventDefault();
            if (path.trim()) void run();
          }}
        >
          <label className="field grow">
            <span>Save as</span>
            <input
              name="exportPath"
              value={path}
              spellCheck={false}
              placeholder="ferry-sites.json"
              onChange={(e) => setPath(e.target.value)}
            />
          </label>
          <BrowseButton title="Export sites" save extensions={['json']} onPick={setPath} />
        </form>
      )}
      <label className="checkbox">
        <input
          type="checkbox"
          name="includeSecrets"
          checked={includeSecrets}
          onChange={(e) => setIncludeSecrets(e.target.checked)}
        />
        Include saved passwords
      </label>
      {includeSecrets ? (
        <div className="warning-box">
          <AlertTriangle size={15} />
          <span>
            Passwords are written in clear text. Ferry asks where to save the file in its own
            dialog. Keep the file somewhere safe.
          </span>
        </div>
      ) : null}
      {error ? (
        <div className="warning-box bad" role="alert">
          <AlertTriangle size={15} />
          <span>{error}</span>
        </div>
      ) : null}
      <div className="panel-actions">
        <button type="button" className="button" onClick={onDone}>
          Cancel
        </button>
        <button
          type="button"
          className="button button-primary"
          disabled={(!includeSecrets && !path.trim()) || busy}
          onClick={() => void run()}
        >
          <Upload size={14} /> {includeSecrets ? 'Choose file and export…' : 'Export'}
        </button>
      </div>
    </div>
  );
}
