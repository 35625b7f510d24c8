import { useState } from 'react';
import { Link } from 'react-router';
import type { NotificationKind } from '../../../../shared/domain.js';
import type { NotificationDto } from '../../../../shared/dto.js';
import { discussionPath, meetingPath, ROUTES } from '../../../../shared/routes.js';
import { Avatar, displayName } from '../../components/Avatar.js';
import { LoadGate } from '../../components/Loading.js';
import { PartBoundary } from '../../components/PartBoundary.js';
import { RelativeTime } from '../../components/RelativeTime.js';
import { loadNotifications, markNotificationsRead } from '../../data/inbox.js';
import { useLoad } from '../../lib/use-load.js';
import { useStore } from '../../store/index.js';

const WHAT: Record<NotificationKind, string> = {
  mention: 'mentioned you in',
  reply: 'replied to you in',
  new_discussion: 'started',
  new_poll: 'started a poll in',
  poll_closing: 'a poll closes soon in',
  outcome: 'published an outcome in',
  meeting_started: 'started a meeting:',
  meeting_minutes: 'published the minutes of a meeting:',
};

function describe(n: NotificationDto): string {
  return WHAT[n.kind];
}

export function Notifications() {
  const [loaded, setLoaded] = useState<string[]>([]);
  const state = useLoad('notifications', async () => setLoaded(await loadNotifications()));
  const byId = useStore((s) => s.notifications);
  const unread = useStore((s) => s.unreadNotifications);
  // Live ones (not in the loaded page) first, newest first.
  const ids = [...new Set([...Object.keys(byId), ...loaded])];
  const items = ids
    .map((id) => byId[id])
    .filter((n): n is NotificationDto => n !== undefined)
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  return (
    <section className="card">
      <div className="page-head">
        <h1>Notifications</h1>
        <div className="row">
          <Link to={ROUTES.myModeration} className="small">
            Your reports and moderation notices
          </Link>
          {unread > 0 && (
            <button className="secondary small" onClick={() => void markNotificationsRead()}>
              Mark all read
            </button>
          )}
        </div>
      </div>
      <LoadGate state={state} what="notifications" />
      {state.status === 'ready' && items.length === 0 && (
        <p className="empty">No notifications yet.</p>
      )}
      <ul className="list">
        {items.map((n) => (
          <li
            key={n.id}
            className="row"
            style={{ flexWrap: 'nowrap', fontWeight: n.read ? 400 : 600 }}
          >
            <PartBoundary what="notification">
              {n.actor && <Avatar user={n.actor} size={28} />}
              <div>
                {n.actor ? `${displayName(n.actor)} ` : ''}
                {describe(n)}{' '}
                {n.meetingId ? (
                  <Link to={meetingPath(n.meetingId)}>
                    {n.kind === 'meeting_minutes' ? 'Read the minutes' : 'Join the meeting'}
                  </Link>
                ) : n.discussion ? (
                  <Link to={discussionPath(n.discussion.id, { commentId: n.commentId })}>
                    {n.discussion.title}
                  </Link>
                ) : (
                  'Quorum'
                )}
                <div className="muted small">
                  <RelativeTime iso={n.createdAt} />
                  {!n.read && ' · unread'}
                </div>
              </div>
            </PartBoundary>
          </li>
        ))}
      </ul>
    </section>
  );
}
