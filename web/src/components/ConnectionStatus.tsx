import { useStore } from '../store/index.js';

const LABELS = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  offline: 'Offline',
  degraded: 'Not responding',
} as const;

/**
 * What the page may claim: connected is not live while requests to the server
 * fail (`degraded`), e.g. while it stops or its database is down.
 */
function useShownConnection(): keyof typeof LABELS {
  const connection = useStore((s) => s.connection);
  const failing = useStore((s) => s.requestsFailing);
  return failing && connection === 'live' ? 'degraded' : connection;
}

/** The small live indicator in the top bar. */
export function ConnectionIndicator() {
  const connection = useShownConnection();
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
  const connection = useShownConnection();
  const catchingUp = useStore((s) => s.catchingUp);
  const text =
    connection === 'offline'
      ? 'You are offline. What you see may be out of date; Quorum will catch up when you are back.'
      : connection === 'degraded'
        ? 'Quorum is not responding. What you do now may not be saved; retrying…'
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
