/**
 * Comments that failed only because Quorum could not be reached (offline, or
 * the server not answering) are sent again, by themselves, as soon as the page
 * is live again and requests get answers. They keep their client id, so a
 * comment the server did receive before the connection dropped is never
 * posted twice. Refusals (rate limited, muted, slow mode) keep their Retry.
 */
import { postComment } from '../data/discussions.js';
import { useStore, type Store } from '../store/index.js';

let started = false;

const answering = (s: Store) => s.connection === 'live' && !s.requestsFailing;

/** Starts following the connection (once); `connectRealtime` calls it. */
export function resendWhenBack(): void {
  if (started) return;
  started = true;
  useStore.subscribe((now, before) => {
    if (!answering(now) || answering(before)) return;
    for (const p of Object.values(now.pendingComments)) {
      if (p.status !== 'failed' || !p.unreachable) continue;
      void postComment({
        discussionId: p.discussionId,
        parentId: p.parentId,
        body: p.body,
        clientId: p.clientId,
      });
    }
  });
}
