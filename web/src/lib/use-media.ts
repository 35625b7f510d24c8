import { useSyncExternalStore } from 'react';

/** Whether a media query matches now, kept current as it changes (a tablet docked, a window moved). */
export function useMedia(query: string): boolean {
  return useSyncExternalStore(
    (changed) => {
      const list = window.matchMedia(query);
      list.addEventListener('change', changed);
      return () => list.removeEventListener('change', changed);
    },
    () => window.matchMedia(query).matches,
    () => false,
  );
}

/** A touch screen is the main pointer: keyboard shortcuts are not worth mentioning there. */
export function useCoarsePointer(): boolean {
  return useMedia('(pointer: coarse)');
}
