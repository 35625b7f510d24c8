import { useEffect } from 'react';
import { useLocation } from 'react-router';

/** Marks the element a link pointed at, for the highlight in discussion.css. */
export const ANCHOR_TARGET_ATTRIBUTE = 'data-anchor-target';

/**
 * Brings the comment or poll a link names (`/d/:id#comment-…`, from emails
 * and notifications) into view once the discussion has rendered, and
 * highlights it. The browser cannot do it on its own: when it reads the
 * fragment the page is still loading, and client-side navigation never
 * scrolls to fragments. The target also takes focus, so keyboard and screen
 * reader users start there.
 */
export function useAnchorTarget(ready: boolean): void {
  const { hash } = useLocation();
  useEffect(() => {
    if (!ready || hash.length < 2) return;
    let id: string;
    try {
      id = decodeURIComponent(hash.slice(1));
    } catch {
      return;
    }
    const el = document.getElementById(id);
    if (!el) return;
    for (const old of document.querySelectorAll(`[${ANCHOR_TARGET_ATTRIBUTE}]`))
      old.removeAttribute(ANCHOR_TARGET_ATTRIBUTE);
    el.setAttribute(ANCHOR_TARGET_ATTRIBUTE, '');
    el.scrollIntoView({ block: 'center' });
    el.focus({ preventScroll: true });
  }, [ready, hash]);
}
