import { useState } from 'react';
import { ShieldX } from 'lucide-react';
import { answerInsecure } from './actions';
import { useStore } from '../app/store';
import { Dialog } from '../ui/Dialog';

/**
 * "Explicit FTPS if available" and the server refused TLS: asked before the user name is sent,
 * in the style of the certificate prompt. Cancel is the default.
 */
export function InsecureDialog() {
  const prompt = useStore((s) => s.insecurePrompts[0]);
  const [remember, setRemember] = useState(false);
  if (!prompt) return null;
  const cancel = () => {
    setRemember(false);
    void answerInsecure(prompt.promptId, 'cancel');
  };
  const proceed = () => {
    const always = remember && prompt.siteName !== undefined;
    setRemember(false);
    void answerInsecure(prompt.promptId, always ? 'always' : 'continue');
  };
  return (
    <Dialog
      key={prompt.promptId}
      title="This server offers no encryption"
      icon={<ShieldX size={20} />}
      tone="danger"
      width={560}
      onClose={cancel}
      testId="insecure-dialog"
      footer={
        <>
          <button type="button" className="button" onClick={cancel} data-autofocus>
            Cancel
          </button>
          <span className="footer-spacer" />
          <button type="button" className="button button-danger" onClick={proceed}>
            Continue without encryption
          </button>
        </>
      }
    >
      <p className="lead">
        <strong>
          {prompt.host}:{prompt.port}
        </strong>{' '}
        refused TLS ({prompt.reason.replace(/^the server does not offer TLS \((.*)\)$/, '$1')}).
        Nothing, not even your user name, has been sent yet.
      </p>
      <ul className="reasons">
        <li>
          If you continue, your user name, password and every file travel in clear text: anyone on
          the network path can read or change them.
        </li>
        <li>
          A server that offered TLS before and stops now may be under attack. Unless you know this
          server has no TLS, cancel.
        </li>
      </ul>
      {prompt.siteName !== undefined ? (
        <label className="checkbox">
          <input
            type="checkbox"
            name="rememberPlain"
            checked={remember}
            onChange={(e) => setRemember(e.target.checked)}
          />
          Remember for “{prompt.siteName}” (ask again if its host, port or security mode changes)
        </label>
      ) : null}
    </Dialog>
  );
}
