import { useState } from 'react';
import { Check, Copy } from 'lucide-react';
import { fingerprintBlocks } from '../lib/format';

export function Fingerprint({
  label,
  value,
  testId,
  large,
}: {
  label: string;
  value: string;
  testId?: string;
  large?: boolean;
}) {
  const [copied, setCopied] = useState(false);
  return (
    <div className={`fingerprint ${large ? 'large' : ''}`}>
      <div className="fingerprint-label">
        <span>{label}</span>
        <button
          type="button"
          className="icon-button small"
          aria-label={`Copy ${label}`}
          title="Copy"
          onClick={() => {
            void navigator.clipboard
              .writeText(value)
              .then(() => {
                setCopied(true);
                setTimeout(() => setCopied(false), 1500);
              })
              .catch(() => undefined);
          }}
        >
          {copied ? <Check size={13} /> : <Copy size={13} />}
        </button>
      </div>
      <code className="fingerprint-value" data-testid={testId} data-value={value}>
        {fingerprintBlocks(value).map((block, index) => (
          <span key={index}>{block}</span>
        ))}
      </code>
    </div>
  );
}
