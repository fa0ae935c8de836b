import type { ListCommand } from '../../../shared/models';
import { SITE_COLOURS } from '../../../shared/sites';
import { Field } from './Field';
import type { SiteFormState } from './useSiteForm';

/** Data connection mode, listing command, connections and initial folders. */
export function SiteTransferTab({ form }: { form: SiteFormState }) {
  const { input, set, errorOf } = form;
  return (
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
      <Field
        label="Large downloads"
        error={errorOf('segmentedDownloads')}
        hint="64 MiB and up: ranges fetched over several connections at once."
      >
        <select
          name="segmentedDownloads"
          value={input.segmentedDownloads ? 'split' : 'one'}
          onChange={(e) => set('segmentedDownloads', e.target.value === 'split')}
        >
          <option value="split">Split over the connections</option>
          <option value="one">One connection per file</option>
        </select>
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
  );
}

/** Colour and comments. */
export function SiteNotesTab({ form }: { form: SiteFormState }) {
  const { input, set, errorOf } = form;
  return (
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
  );
}
