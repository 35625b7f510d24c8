/**
 * Presence on the client side of the wire: a watching socket gets the whole
 * picture once (`presence:changed`) and then only what changed
 * (`presence:diff`), so a join costs every watcher a few bytes, not the whole
 * list. The server and every client apply diffs with the same function.
 */
import type { DiscussionPresence, PresenceDiff } from './events.js';

/** How many participants presence names at most; the counts cover everyone. */
export const PRESENCE_NAMED_MAX = 40;

/** The picture after a diff; without an earlier picture, the diff's own. */
export function applyPresenceDiff(
  before: DiscussionPresence | undefined,
  diff: PresenceDiff,
): DiscussionPresence {
  const gone = new Set([...diff.left, ...diff.joined.map((user) => user.id)]);
  return {
    discussionId: diff.discussionId,
    viewers: [...(before?.viewers ?? []).filter((user) => !gone.has(user.id)), ...diff.joined],
    participants: diff.participants,
    visitors: diff.visitors,
  };
}
