/**
 * A meeting's minutes, posted to the discussion when its facilitators
 * published them (`minutes_published`): who published them, a link to the
 * meeting, and the minutes themselves, rendered as React elements (never
 * HTML), open to read in place.
 */
import { Link } from 'react-router';
import type { TimelineEventDto } from '../../../../shared/dto.js';
import { meetingPath } from '../../../../shared/routes.js';
import { displayName } from '../Avatar.js';
import { Markdown } from '../Markdown.js';
import { RelativeTime } from '../RelativeTime.js';
import '../meeting/minutes.css';

export function MinutesEvent({ event }: { event: TimelineEventDto }) {
  const minutes = event.minutes ?? null;
  const by = event.actor ? displayName(event.actor) : 'Quorum';
  if (!minutes)
    return (
      <div className="timeline-event kind-minutes_published" data-sequence={event.sequence}>
        <span className="event-dot" aria-hidden="true" />
        <span>
          {by} published the minutes of a meeting · <RelativeTime iso={event.createdAt} />
        </span>
      </div>
    );
  return (
    <details
      className="minutes-event kind-minutes_published"
      data-sequence={event.sequence}
      open
      aria-label={`Minutes of ${minutes.title}`}
    >
      <summary>
        {by} published the minutes of <strong>{minutes.title}</strong> ·{' '}
        <RelativeTime iso={event.createdAt} />
      </summary>
      <div className="minutes-text">
        <Markdown source={minutes.markdown} topLevel={3} />
      </div>
      <p className="small">
        <Link to={meetingPath(minutes.meetingId)}>Open the meeting</Link>
      </p>
    </details>
  );
}
