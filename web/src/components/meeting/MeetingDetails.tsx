import { useRef, useState } from 'react';
import { Link } from 'react-router';
import type { MeetingDto } from '../../../../shared/meetings.js';
import { discussionPath } from '../../../../shared/routes.js';
import { useStore } from '../../store/index.js';
import { formatMinutes, formatWhen } from './group-choices.js';
import { MeetingDetailsForm } from './MeetingDetailsForm.js';
import './meeting-edit.css';

/**
 * When the meeting is, how long, who facilitates and which discussions it is
 * linked to; its facilitators edit these in place until it ends.
 */
export function MeetingDetails({ meeting }: { meeting: MeetingDto }) {
  const [editing, setEditing] = useState(false);
  const editButton = useRef<HTMLButtonElement>(null);
  const titles = useStore((s) => s.discussions);
  const close = () => {
    setEditing(false);
    requestAnimationFrame(() => editButton.current?.focus());
  };
  if (editing)
    return (
      <section className="card meeting-details">
        <MeetingDetailsForm
          groupId={meeting.groupId}
          meeting={meeting}
          onDone={close}
          onCancel={close}
        />
      </section>
    );
  return (
    <section className="card meeting-details" aria-labelledby="meeting-details-title">
      <div className="page-head tight">
        <h2 id="meeting-details-title">Details</h2>
        {meeting.abilities.canFacilitate && (
          <button
            ref={editButton}
            type="button"
            className="small secondary"
            onClick={() => setEditing(true)}
          >
            Edit details
          </button>
        )}
      </div>
      <dl className="meeting-facts">
        <dt>Starts</dt>
        <dd>
          <time dateTime={meeting.scheduledAt}>{formatWhen(meeting.scheduledAt)}</time>
        </dd>
        <dt>Expected length</dt>
        <dd>{formatMinutes(meeting.expectedMinutes)}</dd>
        <dt>Facilitators</dt>
        <dd>{meeting.facilitators.map((f) => f.name).join(', ')}</dd>
        {meeting.discussionIds.length > 0 && (
          <>
            <dt>Linked discussions</dt>
            <dd>
              <ul className="meeting-linked">
                {meeting.discussionIds.map((id, i) => (
                  <li key={id}>
                    <Link to={discussionPath(id)}>{titles[id]?.title ?? 'A discussion'}</Link>
                    {i === 0 && <span className="small muted"> (quick votes)</span>}
                  </li>
                ))}
              </ul>
            </dd>
          </>
        )}
      </dl>
    </section>
  );
}
