import { useEffect } from 'react';
import { NavLink } from 'react-router';
import { watchQueue } from '../../realtime/moderation.js';
import { useStore } from '../../store/index.js';

/**
 * The group page's "Review" tab, for the group's moderators: it watches the
 * queue while the group is on screen, so its badge counts open items live.
 */
export function ReviewTabLink({ groupId, to }: { groupId: string; to: string }) {
  const open = useStore((s) => s.queueCounts[groupId] ?? 0);
  useEffect(() => watchQueue(groupId), [groupId]);
  return (
    <NavLink to={to} aria-label={open > 0 ? `Review, ${open} open` : 'Review'}>
      Review
      {open > 0 && (
        <span className="badge tab-badge" data-testid="queue-count" aria-hidden="true">
          {open}
        </span>
      )}
    </NavLink>
  );
}
