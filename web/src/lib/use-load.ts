import { useEffect, useState } from 'react';

export type LoadState =
  { status: 'loading' } | { status: 'ready' } | { status: 'error'; error: unknown };

/**
 * Runs `load` when `key` changes (the data itself lands in the store); tells
 * the page whether it is loading, ready or failed. Answers of a superseded
 * key are ignored.
 */
export function useLoad(
  key: string | null,
  load: () => Promise<unknown>,
): LoadState & { reload: () => void } {
  const [state, setState] = useState<LoadState>({ status: 'loading' });
  const [round, setRound] = useState(0);
  useEffect(() => {
    if (key === null) return;
    let current = true;
    setState({ status: 'loading' });
    load().then(
      () => current && setState({ status: 'ready' }),
      (error: unknown) => current && setState({ status: 'error', error }),
    );
    return () => {
      current = false;
    };
    // `load` is a fresh closure each render; `key` is what identifies the data.
  }, [key, round]);
  return { ...state, reload: () => setRound((r) => r + 1) };
}
