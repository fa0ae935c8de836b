import { useState } from 'react';
import { AlertTriangle, FolderPlus } from 'lucide-react';
import { useStore } from '../app/store';
import { Dialog } from './Dialog';

export function ConfirmDialog() {
  const confirm = useStore((s) => s.confirm);
  if (!confirm) return null;
  return <ConfirmBody key={confirm.title + confirm.message} />;
}

function ConfirmBody() {
  const confirm = useStore((s) => s.confirm);
  const closeConfirm = useStore((s) => s.closeConfirm);
  const [dontAsk, setDontAsk] = useState(false);
  if (!confirm) return null;
  const close = (ok: boolean) => {
    if (ok && dontAsk) confirm.dontAskAgain?.();
    closeConfirm(ok);
  };
  return (
    <Dialog
      title={confirm.title}
      icon={<AlertTriangle size={18} />}
      tone={confirm.danger ? 'danger' : 'normal'}
      width={440}
      onClose={() => close(false)}
      testId="confirm-dialog"
      footer={
        <>
          {confirm.dontAskAgain ? (
            <>
              <label className="checkbox">
                <input
                  type="checkbox"
                  name="dont-ask-again"
                  checked={dontAsk}
                  onChange={(e) => setDontAsk(e.target.checked)}
                />
                Don’t ask again
              </label>
              <span className="footer-spacer" />
            </>
          ) : null}
          <button type="button" className="button" data-autofocus onClick={() => close(false)}>
            Cancel
          </button>
          <button
            type="button"
            className={`button ${confirm.danger ? 'button-danger' : 'button-primary'}`}
            onClick={() => close(true)}
          >
            {confirm.confirmLabel}
          </button>
        </>
      }
    >
      <p>{confirm.message}</p>
    </Dialog>
  );
}

export function InputDialog() {
  const input = useStore((s) => s.input);
  if (!input) return null;
  return <InputDialogBody key={input.title + input.initial} />;
}

function InputDialogBody() {
  const input = useStore((s) => s.input);
  const close = useStore((s) => s.closeInput);
  const [value, setValue] = useState(input?.initial ?? '');
  if (!input) return null;
  const valid = value.trim().length > 0 && !/[\\/\0]/.test(value);
  return (
    <Dialog
      title={input.title}
      icon={<FolderPlus size={18} />}
      width={420}
      onClose={() => close(undefined)}
      testId="input-dialog"
    >
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (valid) close(value.trim());
        }}
      >
        <label className="field">
          <span>{input.label}</span>
          <input
            data-autofocus
            value={value}
            onChange={(event) => setValue(event.target.value)}
            onFocus={(event) => {
              const dot = event.target.value.lastIndexOf('.');
              event.target.setSelectionRange(0, dot > 0 ? dot : event.target.value.length);
            }}
          />
        </label>
        <div className="modal-footer inline">
          <button type="button" className="button" onClick={() => close(undefined)}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={!valid}>
            {input.confirmLabel}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
