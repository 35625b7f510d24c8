/**
 * A meeting's minutes (issue 13): the collaborative editor the facilitators
 * and the named minute-taker write in while everyone else reads along live;
 * the blocks the server inserts (decisions, attendance) show framed in it.
 * Facilitators name the minute-taker and, once the meeting has ended,
 * publish the minutes, which are then shown here as published (rendered as
 * React elements, never HTML). What anyone may do comes from the server: the
 * meeting's `minutes` abilities, and the document's own `canEdit`.
 */
import { Suspense, useEffect, useId, useRef, useState } from 'react';
import { Link } from 'react-router';
import type { MeetingDto } from '../../../../shared/meetings.js';
import { discussionPath } from '../../../../shared/routes.js';
import { messageOf } from '../../api/client.js';
import { CollabEditor } from '../../collab/LazyCollabEditor.js';
import { MinutesBlock } from '../../collab/minutes-block.js';
import { displayName } from '../../components/Avatar.js';
import { Markdown } from '../../components/Markdown.js';
import { PartBoundary } from '../../components/PartBoundary.js';
import { RelativeTime } from '../../components/RelativeTime.js';
import { loadMembers } from '../../data/groups.js';
import { useAction } from '../../lib/use-action.js';
import { act, newClientId, whenWatchingMeeting } from '../../realtime/meeting.js';
import { useStore } from '../../store/index.js';
import '../../components/meeting/minutes.css';

const EXTENSIONS = [MinutesBlock];

/** Facilitators name one participant (a member) as minute-taker, or nobody. */
function MinuteTaker({ meeting }: { meeting: MeetingDto }) {
  const id = useId();
  const members = useStore((s) => s.members[meeting.groupId]);
  const { busy, error, run } = useAction();
  const can = meeting.minutes.canNameMinuteTaker;
  useEffect(() => {
    if (can) void loadMembers(meeting.groupId).catch(() => undefined);
  }, [can, meeting.groupId]);
  const taker = meeting.minutes.minuteTaker;
  if (!can)
    return taker ? (
      <p className="small minutes-taker">
        Minute-taker: <strong>{displayName(taker)}</strong>
      </p>
    ) : null;
  const name = (userId: string) =>
    void run(() => act(meeting.id, { type: 'minutes.taker', userId: userId || null }));
  return (
    <div className="field minutes-taker">
      <label htmlFor={`${id}-taker`}>Minute-taker</label>
      <select
        id={`${id}-taker`}
        value={taker?.id ?? ''}
        disabled={busy || !members}
        onChange={(e) => name(e.target.value)}
      >
        <option value="">Nobody (facilitators only)</option>
        {taker && !members?.some((m) => m.id === taker.id) && (
          <option value={taker.id}>{displayName(taker)}</option>
        )}
        {members?.map((member) => (
          <option key={member.id} value={member.id}>
            {displayName(member)}
          </option>
        ))}
      </select>
      <p className="hint small">They write the minutes with the facilitators.</p>
      {error !== null && (
        <p className="form-error" role="alert">
          {messageOf(error)}
        </p>
      )}
    </div>
  );
}

/** Publishing, once the meeting has ended: one client id per intent, so a retry publishes once. */
function PublishMinutes({ meeting }: { meeting: MeetingDto }) {
  const { busy, error, run } = useAction();
  const intent = useRef<string | null>(null);
  if (meeting.view !== 'facilitator' || meeting.minutes.published) return null;
  if (!meeting.minutes.canPublish)
    return (
      <p className="small muted">
        Review the minutes together; facilitators publish them once the meeting has ended.
      </p>
    );
  const publish = () => {
    intent.current ??= newClientId();
    const clientId = intent.current;
    void run(() => act(meeting.id, { type: 'minutes.publish', clientId }));
  };
  return (
    <div className="minutes-publish">
      <p className="small">
        Publishing posts the minutes to the meeting’s discussion and emails the group’s members who
        want them. They no longer change afterwards.
      </p>
      <button className="button" disabled={busy} onClick={publish}>
        {busy ? 'Publishing…' : 'Publish minutes'}
      </button>
      {error !== null && (
        <p className="form-error" role="alert">
          {messageOf(error)}
        </p>
      )}
    </div>
  );
}

/** The minutes as published: who published them, when, where they were posted. */
export function PublishedMinutes({
  minutes,
}: {
  minutes: NonNullable<MeetingDto['minutes']['published']>;
}) {
  return (
    <div className="minutes-published">
      <p className="small muted">
        Published by {displayName(minutes.publishedBy)} <RelativeTime iso={minutes.publishedAt} />
        {minutes.discussionId && (
          <>
            {' '}
            · <Link to={discussionPath(minutes.discussionId)}>In the discussion</Link>
          </>
        )}
      </p>
      <div className="minutes-text">
        <Markdown source={minutes.markdown} topLevel={3} />
      </div>
    </div>
  );
}

/** The minutes panel of the meeting page. */
export function MinutesPanel({ meeting }: { meeting: MeetingDto }) {
  const [beforeOpen] = useState(() => () => whenWatchingMeeting(meeting.id));
  const me = useStore((s) => s.me);
  const published = meeting.minutes.published;
  // Only what to say: whether they may write is the document's answer (the editor's canEdit).
  const writes = meeting.view === 'facilitator' || meeting.minutes.minuteTaker?.id === me?.id;
  return (
    <section className="card minutes-panel" aria-labelledby="minutes-title">
      <div className="minutes-head">
        <h2 id="minutes-title">Minutes</h2>
        {published && <span className="pill">Published</span>}
      </div>
      {published ? (
        <PublishedMinutes minutes={published} />
      ) : (
        <>
          <MinuteTaker meeting={meeting} />
          {!writes && (
            <p className="small muted minutes-note">
              The facilitators and the minute-taker write the minutes; you see them as they are
              written.
            </p>
          )}
          <PartBoundary what="the minutes">
            <Suspense fallback={<p className="small muted">Loading the minutes…</p>}>
              <CollabEditor
                docKey={meeting.minutes.doc}
                beforeOpen={beforeOpen}
                extensions={EXTENSIONS}
                label="Minutes"
                fallback=""
              />
            </Suspense>
          </PartBoundary>
          <PublishMinutes meeting={meeting} />
        </>
      )}
    </section>
  );
}
