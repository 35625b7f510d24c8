import { useEffect, useRef, useState } from 'react';

/**
 * A button for an action that cannot be taken back: the first press asks, in
 * place, and only the second (on "confirm") acts. Escape or "Cancel" steps back.
 */
export function ConfirmButton({
  label,
  ariaLabel,
  question,
  confirmLabel,
  onConfirm,
  className = 'danger small',
}: {
  label: string;
  ariaLabel?: string;
  question: string;
  confirmLabel: string;
  onConfirm: () => Promise<void>;
  className?: string;
}) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const openRef = useRef<HTMLButtonElement>(null);
  const wasAsking = useRef(false);

  useEffect(() => {
    if (asking) confirmRef.current?.focus();
    else if (wasAsking.current) openRef.current?.focus();
    wasAsking.current = asking;
  }, [asking]);

  if (!asking)
    return (
      <button
        ref={openRef}
        type="button"
        className={className}
        aria-label={ariaLabel}
        onClick={() => setAsking(true)}
      >
        {label}
      </button>
    );
  return (
    <span
      className="confirm"
      role="group"
      aria-label={question}
      onKeyDown={(e) => {
        if (e.key === 'Escape') setAsking(false);
      }}
    >
      <span className="confirm-question">{question}</span>
      <button
        ref={confirmRef}
        type="button"
        className="danger small"
        disabled={busy}
        onClick={() => {
          setBusy(true);
          setError(null);
          onConfirm().then(
            () => setBusy(false),
            (e: unknown) => {
              setBusy(false);
              setError(e instanceof Error ? e.message : 'That did not work. Please try again.');
            },
          );
        }}
      >
        {busy ? 'Working…' : confirmLabel}
      </button>
      <button type="button" className="secondary small" onClick={() => setAsking(false)}>
        Cancel
      </button>
      {error && (
        <span className="confirm-error" role="alert">
          {error}
        </span>
      )}
    </span>
  );
}
