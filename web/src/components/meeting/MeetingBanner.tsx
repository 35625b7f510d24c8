import { meetingPath } from '../../../../shared/routes.js';
import { useEffect } from 'react';
import { Link } from 'react-router';
import { loadLiveMeetings } from '../../data/meetings.js';
import { watchGroup } from '../../realtime/groups.js';
import { followMeetingSummaries } from '../../realtime/meeting.js';
import { useStore } from '../../store/index.js';
import './meeting.css';

/**
 * "Meeting live now": on a group page (that group's live meetings, updated as
 * they start and end while the group is watched) or in the inbox (every group
 * of the person's, loaded when shown).
 */
export function MeetingBanner({ groupId }: { groupId?: string }) {
  const live = useStore((s) => s.liveMeetings);
  const status = useStore((s) => s.sessionStatus);
  useEffect(() => {
    followMeetingSummaries();
    if (status === 'unknown') return;
    if (!groupId) {
      if (status === 'signed_in') void loadLiveMeetings().catch(() => undefined);
      return;
    }
    // Loaded each time the group's live watch is confirmed (again after reconnects), so a
    // meeting that starts between loading and watching is not missed.
    return watchGroup(groupId, () => void loadLiveMeetings(groupId).catch(() => undefined));
  }, [groupId, status]);
  const shown = Object.values(live).filter((m) => !groupId || m.groupId === groupId);
  if (shown.length === 0) return null;
  return (
    <section className="meeting-banner" aria-label="Meetings live now">
      {shown.map((m) => (
        <p key={m.id} className="row">
          <span className="live-dot" aria-hidden="true" />
          <strong>Meeting live now:</strong> <span>{m.title}</span>
          <Link className="button small" to={meetingPath(m.id)}>
            Join the meeting
          </Link>
        </p>
      ))}
    </section>
  );
}
