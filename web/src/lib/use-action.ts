import { useCallback, useState } from 'react';

/**
 * The state every form and button that calls the server keeps: whether the
 * call is under way and the error it ended with (for `fieldError`/`formError`).
 * `run(work)` clears the error, marks busy, runs `work`, keeps what it threw,
 * and answers whether it succeeded.
 */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = useCallback(async (work: () => Promise<unknown>): Promise<boolean> => {
    setBusy(true);
    setError(null);
    try {
      await work();
      return true;
    } catch (e) {
      setError(e);
      return false;
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, setError, run };
}
