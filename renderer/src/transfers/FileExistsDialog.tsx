import { useState } from 'react';
import { FileWarning } from 'lucide-react';
import type { FileExistsAnswer } from '../../../shared/transfers';
import { answerFileExists } from './actions';
import { existsChoices } from './file-exists-choices';
import { formatBytes, formatDate } from '../lib/format';
import { useStore } from '../app/store';
import { Dialog } from '../ui/Dialog';

export function FileExistsDialog() {
  const question = useStore((s) => s.fileExists[0]);
  if (!question) return null;
  return <FileExistsBody key={question.questionId} />;
}

function FileExistsBody() {
  const question = useStore((s) => s.fileExists[0]);
  // A partial target (an interrupted item) offers Resume first; otherwise Overwrite.
  const { initial, choices } = question
    ? existsChoices(question)
    : { initial: 'overwrite' as const, choices: [] };
  const [action, setAction] = useState<FileExistsAnswer['action']>(initial);
  const [applyToAll, setApplyToAll] = useState(false);
  if (!question) return null;
  const chosen = choices.find((c) => c.value === action);
  const answer = (chosen: FileExistsAnswer['action']) =>
    void answerFileExists({ questionId: question.questionId, action: chosen, applyToAll });
  return (
    <Dialog
      title="The target file already exists"
      icon={<FileWarning size={18} />}
      tone="warning"
      width={560}
      onClose={() => answer('skip')}
      testId="file-exists-dialog"
      footer={
        <>
          <label className="checkbox">
            <input
              type="checkbox"
              checked={applyToAll}
              onChange={(e) => setApplyToAll(e.target.checked)}
            />
            Apply to all {question.direction === 'upload' ? 'uploads' : 'downloads'} in this queue
          </label>
          <span className="footer-spacer" />
          <button type="button" className="button" onClick={() => answer('skip')}>
            Skip
          </button>
          <button
            type="button"
            className="button button-primary"
            data-autofocus
            data-testid="file-exists-go"
            onClick={() => answer(action)}
          >
            {chosen?.short ?? 'OK'}
          </button>
        </>
      }
    >
      <div className="compare">
        <div className="cert-summary">
          <h4>Source</h4>
          <p className="mono small break">{question.source.path}</p>
          <p className="muted small">
            {formatBytes(question.source.size)}{' '}
            {question.source.modified ? `· ${formatDate(question.source.modified)}` : ''}
          </p>
        </div>
        <div className="cert-summary">
          <h4>Target</h4>
          <p className="mono small break">{question.target.path}</p>
          <p className="muted small">
            {formatBytes(question.target.size)}{' '}
            {question.target.modified ? `· ${formatDate(question.target.modified)}` : ''}
          </p>
        </div>
      </div>
      <fieldset className="choices">
        <legend>What should Ferry do?</legend>
        {choices.map(({ value, label }) => (
          <label key={value} className="radio">
            <input
              type="radio"
              name="exists-action"
              value={value}
              checked={action === value}
              onChange={() => setAction(value)}
            />
            {label}
          </label>
        ))}
      </fieldset>
    </Dialog>
  );
}
