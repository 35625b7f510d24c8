import { useStore } from '../store/index.js';

const LABELS = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  offline: 'Offline',
} as const;

/** The small live indicator in the top bar. */
export function ConnectionIndicator() {
  const connection = useStore((s) => s.connection);
  const catchingUp = useStore((s) => s.catchingUp);
  return (
    <span
      className="conn"
      data-state={connection}
      data-testid="connection"
      title={catchingUp ? 'Catching up…' : LABELS[connection]}
    >
      <span className="conn-label">{catchingUp ? 'Catching up…' : LABELS[connection]}</span>
    </span>
  );
}

/** A banner while the connection is not live: people must know when what they see may be stale. */
export function ConnectionBanner() {
  const connection = useStore((s) => s.connection);
  const catchingUp = useStore((s) => s.catchingUp);
  const text =
    connection === 'offline'
      ? 'You are offline. What you see may be out of date; Quorum will catch up when you are back.'
      : connection === 'reconnecting'
        ? 'Connection lost. Reconnecting…'
        : catchingUp
          ? 'Reconnected. Catching up on what you missed…'
          : null;
  return (
    <div role="status" aria-live="polite">
      {text && (
        <div className="conn-banner" data-state={connection}>
          {text}
        </div>
      )}
    </div>
  );
}
