import { ApiError } from '../api/client.js';
import type { LoadState } from '../lib/use-load.js';
import { NotFound } from '../pages/NotFound.js';

/** What a page shows while its data loads or when it failed; null once ready. */
export function LoadGate({
  state,
  what,
}: {
  state: LoadState & { reload: () => void };
  what: string;
}) {
  if (state.status === 'ready') return null;
  if (state.status === 'loading')
    return (
      <p className="muted" role="status">
        Loading {what}…
      </p>
    );
  if (state.error instanceof ApiError && state.error.status === 404) return <NotFound />;
  return (
    <div className="form-error" role="alert">
      {state.error instanceof ApiError ? state.error.message : `Could not load ${what}.`}{' '}
      <button className="link" onClick={state.reload}>
        Try again
      </button>
    </div>
  );
}
