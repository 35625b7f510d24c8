import { Link } from 'react-router';
import type {
  ModerationNoticeDto,
  OwnReportDto,
  RestrictionDto,
} from '../../../../shared/moderation.js';
import { discussionPath } from '../../../../shared/routes.js';
import { LoadGate } from '../../components/Loading.js';
import { PartBoundary } from '../../components/PartBoundary.js';
import { RelativeTime } from '../../components/RelativeTime.js';
import {
  noticeTarget,
  noticeText,
  REASON_LABELS,
  untilText,
} from '../../components/moderation/words.js';
import { loadMyModeration, loadMyReports } from '../../data/moderation.js';
import { loadGroups } from '../../data/inbox.js';
import { useLoad } from '../../lib/use-load.js';
import { useStore } from '../../store/index.js';
import '../../components/moderation/moderation.css';

const newestFirst = (a: { createdAt: string }, b: { createdAt: string }) =>
  b.createdAt.localeCompare(a.createdAt);

/** A group's name when one can still see the group (one may have been removed from it). */
function useGroupName(groupId: string | null): string | null {
  return useStore((s) => (groupId ? (s.groups[groupId]?.name ?? null) : null));
}

function InForce({ restriction }: { restriction: RestrictionDto }) {
  const group = useGroupName(restriction.groupId);
  const until = untilText(restriction.until);
  return (
    <li className="notice-row" data-testid="my-restriction">
      <p className="notice-text">
        {restriction.kind === 'suspension'
          ? `Your account is suspended across the site ${until}.`
          : `You are muted in ${group ?? 'a group'} ${until}.`}
      </p>
      <p className="small">
        {restriction.kind === 'suspension'
          ? 'Until then you can read, but not write anywhere on the site.'
          : 'Until then you can read, but not comment, react, vote or start anything there.'}
      </p>
      <p className="small notice-reason">Reason given: {restriction.reason}</p>
    </li>
  );
}

function Notice({ notice }: { notice: ModerationNoticeDto }) {
  const group = useGroupName(notice.groupId);
  const target = noticeTarget(notice);
  return (
    <li className="notice-row" data-testid="moderation-notice">
      <p className="notice-text">{noticeText(notice, group)}</p>
      {notice.reason && <p className="small notice-reason">Reason given: {notice.reason}</p>}
      <p className="small muted notice-meta">
        <RelativeTime iso={notice.createdAt} />
        {target && (
          <>
            {' · '}
            <Link to={discussionPath(target.discussionId, { commentId: target.commentId })}>
              See the discussion
            </Link>
          </>
        )}
      </p>
    </li>
  );
}

function Report({ report }: { report: OwnReportDto }) {
  const group = useGroupName(report.groupId);
  const handled = report.status === 'handled';
  const what = report.targetKind === 'person' ? 'a person' : `a ${report.targetKind}`;
  return (
    <li className="notice-row" data-testid="my-report">
      <div className="report-head">
        <span className="notice-text">
          You reported {what}
          {group && <> in {group}</>}: {REASON_LABELS[report.reason]}
        </span>
        <span className={`pill ${handled ? 'brand' : 'warn'}`} data-testid="report-status">
          {handled ? 'Handled' : 'Received'}
        </span>
      </div>
      {report.note && <p className="small notice-reason">Your note: “{report.note}”</p>}
      <p className="small muted notice-meta">
        Sent <RelativeTime iso={report.createdAt} />
        {handled && report.handledAt ? (
          <>
            {' · handled '}
            <RelativeTime iso={report.handledAt} />
          </>
        ) : (
          ' · waiting for the moderators'
        )}
      </p>
    </li>
  );
}

/**
 * Moderation as it concerns oneself, live: restrictions in force, the private
 * notices of what moderators did to one's content or account (with their
 * reasons, never who acted or who reported), and one's own reports, received
 * and then handled. Reachable from the notifications and settings pages.
 */
export function MyModerationPage() {
  const state = useLoad('my-moderation', () =>
    Promise.all([loadMyModeration(), loadMyReports(), loadGroups().catch(() => undefined)]),
  );
  const restrictions = useStore((s) => s.myRestrictions);
  const noticesById = useStore((s) => s.notices);
  const reportsById = useStore((s) => s.myReports);
  const notices = Object.values(noticesById).sort(newestFirst);
  const reports = Object.values(reportsById).sort(newestFirst);
  return (
    <div className="my-moderation">
      <div className="page-head">
        <div>
          <h1>Your reports and notices</h1>
          <p className="muted intro">
            What the moderators told you about your content or account, and what became of the
            reports you made. Nobody you report learns that it was you.
          </p>
        </div>
      </div>
      <LoadGate state={state} what="your reports and notices" />
      {state.status === 'ready' && (
        <>
          {restrictions && restrictions.length > 0 && (
            <PartBoundary what="restrictions in force">
              <section className="card in-force" aria-labelledby="in-force-title">
                <h2 id="in-force-title">In force now</h2>
                <ul className="list">
                  {restrictions.map((r) => (
                    <InForce key={r.id} restriction={r} />
                  ))}
                </ul>
              </section>
            </PartBoundary>
          )}
          <PartBoundary what="moderation notices">
            <section className="card" aria-labelledby="notices-title">
              <h2 id="notices-title">Notices from the moderators</h2>
              {notices.length === 0 ? (
                <p className="empty">
                  No notices. If moderators act on your content, you read why here.
                </p>
              ) : (
                <ul className="list" aria-label="Notices from the moderators">
                  {notices.map((n) => (
                    <Notice key={n.id} notice={n} />
                  ))}
                </ul>
              )}
            </section>
          </PartBoundary>
          <PartBoundary what="your reports">
            <section className="card" aria-labelledby="reports-title">
              <h2 id="reports-title">Your reports</h2>
              {reports.length === 0 ? (
                <p className="empty">
                  You have not reported anything. Use “Report” on a comment, a discussion, a poll or
                  a member when something breaks a group&apos;s rules.
                </p>
              ) : (
                <ul className="list" aria-label="Your reports">
                  {reports.map((r) => (
                    <Report key={r.id} report={r} />
                  ))}
                </ul>
              )}
            </section>
          </PartBoundary>
        </>
      )}
    </div>
  );
}
