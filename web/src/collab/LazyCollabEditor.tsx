/**
 * The collaborative editor, loaded on its own after the page (Tiptap and Yjs
 * are most of its weight): use it inside a `Suspense` whose fallback shows the
 * record's text.
 */
import { lazy } from 'react';

export const CollabEditor = lazy(() =>
  import('./CollabEditor.js').then((m) => ({ default: m.CollabEditor })),
);
