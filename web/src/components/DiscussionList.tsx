import { Link } from 'react-router';
import type { DiscussionDto } from '../../../shared/dto.js';
import { useStore } from '../store/index.js';
import { Avatar, displayName } from './Avatar.js';
import { RelativeTime } from './RelativeTime.js';

function DiscussionRow({
  discussion,
  showGroup,
}: {
  discussion: DiscussionDto;
  showGroup: boolean;
}) {
  const readState = useStore((s) => s.readStates[discussion.id]);
  const unread = readState?.unreadCount ?? 0;
  return (
    <li className="discussion-row" data-testid="discussion-row">
      <Avatar user={discussion.author} size={36} />
      <div style={{ minWidth: 0, flex: 1 }}>
        <div className="row">
          <Link to={`/d/${discussion.id}`} className="discussion-title">
            {discussion.title}
          </Link>
          {discussion.pinned && <span className="pill brand">Pinned</span>}
          {discussion.closed && <span className="pill">Closed</span>}
          {discussion.private && <span className="pill">Private</span>}
          {unread > 0 && (
            <span className="badge" aria-label={`${unread} unread`}>
              {unread}
            </span>
          )}
        </div>
        <div className="muted small">
          {showGroup && discussion.group && <>{discussion.group.name} · </>}
          started by {displayName(discussion.author)} · active{' '}
          <RelativeTime iso={discussion.lastActivityAt} />
        </div>
      </div>
    </li>
  );
}

/** Discussions by id, in the order given, as the store holds them now (so they update live). */
export function DiscussionList({
  ids,
  showGroup = false,
  empty,
}: {
  ids: string[];
  showGroup?: boolean;
  empty: string;
}) {
  const discussions = useStore((s) => s.discussions);
  const shown = ids.map((id) => discussions[id]).filter((d): d is DiscussionDto => d !== undefined);
  if (shown.length === 0) return <p className="empty">{empty}</p>;
  return (
    <ul className="list">
      {shown.map((d) => (
        <DiscussionRow key={d.id} discussion={d} showGroup={showGroup} />
      ))}
    </ul>
  );
}
