import { Link } from 'react-router';
import type { QueueItemDto, ReportReason } from '../../../../shared/moderation.js';
import { discussionPath } from '../../../../shared/routes.js';
import { displayName } from '../Avatar.js';
import { RelativeTime } from '../RelativeTime.js';
import { ActionForm } from './ActionForm.js';
import { KIND_LABELS, pastAction, REASON_LABELS } from './words.js';

/** What an item is about, in words: "comment by Ben Okri", "person: Ben Okri". */
export function itemName(item: Pick<QueueItemDto, 'target'>): string {
  const { target } = item;
  const who = target.author ? displayName(target.author) : 'someone';
  return target.kind === 'person'
    ? `person ${who}`
    : `${KIND_LABELS[target.kind].toLowerCase()} by ${who}`;
}

function Marks({ item }: { item: QueueItemDto }) {
  const { target } = item;
  return (
    <span className="queue-marks">
      {(item.held || target.held) && <span className="pill">Held for approval</span>}
      {target.hidden && <span className="pill">Hidden</span>}
      {target.deleted && <span className="pill">Deleted</span>}
      {item.escalated && <span className="pill">Escalated</span>}
    </span>
  );
}

/** The reported content where it was said, and a link to it in its discussion. */
export function QueueContent({ item }: { item: Pick<QueueItemDto, 'target'> }) {
  const { target } = item;
  return (
    <div className="queue-content">
      {target.discussion && (
        <p className="small muted">
          In{' '}
          <Link
            to={discussionPath(target.discussion.id, {
              commentId: target.kind === 'comment' ? target.id : null,
            })}
          >
            {target.discussion.title}
          </Link>
        </p>
      )}
      {target.kind === 'person' ? (
        <p>{target.author ? displayName(target.author) : 'Someone'}, as a member of the group</p>
      ) : target.deleted ? (
        <p className="muted">The content was deleted.</p>
      ) : (
        <blockquote className="queue-text" data-testid="queue-text">
          {target.text}
        </blockquote>
      )}
    </div>
  );
}

/** The reports of an item, folded: who reported, why, their note and when. */
export function QueueReports({ item }: { item: Pick<QueueItemDto, 'reports'> }) {
  if (item.reports.length === 0) return null;
  return (
    <details className="queue-reports">
      <summary>{item.reports.length === 1 ? '1 report' : `${item.reports.length} reports`}</summary>
      <ul className="list">
        {item.reports.map((r) => (
          <li key={r.id} className="small">
            <strong>{displayName(r.reporter)}</strong>: {REASON_LABELS[r.reason]}
            {r.note && <> — “{r.note}”</>} <RelativeTime iso={r.createdAt} />
          </li>
        ))}
      </ul>
    </details>
  );
}

/** One open item of a group's queue: content, grouped reasons, reports, history, actions. */
export function QueueItem({ item }: { item: QueueItemDto }) {
  const name = itemName(item);
  const reasons = Object.entries(item.reasons) as [ReportReason, number][];
  return (
    <article className="card queue-item" aria-label={`Review ${name}`} data-testid="queue-item">
      <header className="queue-head">
        <h3>
          {KIND_LABELS[item.target.kind]}
          {item.target.author && item.target.kind !== 'person' && (
            <> by {displayName(item.target.author)}</>
          )}
        </h3>
        <Marks item={item} />
        <span className="small muted">
          <RelativeTime iso={item.firstAt} />
        </span>
      </header>
      <QueueContent item={item} />
      {reasons.length > 0 && (
        <ul className="queue-reasons" aria-label="Report reasons">
          {reasons.map(([reason, count]) => (
            <li key={reason} className="pill">
              {REASON_LABELS[reason]}
              {count > 1 && <> × {count}</>}
            </li>
          ))}
        </ul>
      )}
      <QueueReports item={item} />
      {item.target.author && (
        <div className="queue-history">
          <h4 className="small">History of {displayName(item.target.author)} in this group</h4>
          {item.authorHistory.length === 0 ? (
            <p className="small muted">No moderation before.</p>
          ) : (
            <ul className="list small">
              {item.authorHistory.map((h, i) => (
                <li key={i}>
                  {pastAction(h.action)}
                  {h.reason && <> — {h.reason}</>} <RelativeTime iso={h.at} />
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      <ActionForm item={item} name={name} />
    </article>
  );
}
