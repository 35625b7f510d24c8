import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import type { JoinLinkPreviewDto } from '../../../../shared/dto.js';
import { joinLinkPath } from '../../../../shared/routes.js';
import { ApiError } from '../../api/client.js';
import { FormError } from '../../components/Form.js';
import { PRIVACY } from '../../components/group/words.js';
import { joinThroughLink, previewJoinLink } from '../../data/join-links.js';
import { groupPath } from '../../lib/paths.js';
import { useAction } from '../../lib/use-action.js';
import { useLoad } from '../../lib/use-load.js';
import { useStore } from '../../store/index.js';
import '../../components/group/group.css';

/** Why a join link no longer works, in plain words (the 404 and 410 ids). */
const GONE: Record<string, { title: string; text: string }> = {
  join_link_expired: {
    title: 'This join link has expired',
    text: 'Join links work for a limited time. Ask the group’s coordinators for a new one.',
  },
  join_link_revoked: {
    title: 'This join link was withdrawn',
    text: 'The group’s coordinators withdrew it. Ask them for a new one if you should join.',
  },
  join_link_used_up: {
    title: 'This join link has been used up',
    text: 'As many people have joined through it as it allows. Ask the coordinators for another.',
  },
  not_found: {
    title: 'This join link is not valid',
    text: 'Check that you copied the whole link.',
  },
};

function Gone({ id }: { id: string }) {
  const what = GONE[id] ?? GONE.not_found;
  return (
    <div className="page-narrow">
      <div className="card" data-testid="join-link-gone">
        <h1>{what.title}</h1>
        <p className="muted">{what.text}</p>
        <Link to="/">Go to Quorum</Link>
      </div>
    </div>
  );
}

/** A shareable join link: the group it leads to, then join (after signing in or up, returning here). */
export function JoinLinkPage() {
  const { token = '' } = useParams();
  const navigate = useNavigate();
  const status = useStore((s) => s.sessionStatus);
  const me = useStore((s) => s.me);
  const [preview, setPreview] = useState<JoinLinkPreviewDto | null>(null);
  const { busy, error, run } = useAction();
  const state = useLoad(status === 'unknown' ? null : `${token}:${me?.id ?? ''}`, async () =>
    setPreview(await previewJoinLink(token)),
  );

  if (state.status === 'error') {
    const e = state.error;
    if (e instanceof ApiError && (e.status === 410 || e.status === 404)) return <Gone id={e.id} />;
    return (
      <div className="page-narrow">
        <FormError message={e instanceof ApiError ? e.message : 'Could not open the link.'} />
      </div>
    );
  }
  if (!preview)
    return (
      <p className="muted" role="status">
        Opening the link…
      </p>
    );
  if (error instanceof ApiError && error.status === 410) return <Gone id={error.id} />;

  const here = joinLinkPath(token);
  const { group } = preview;

  async function join() {
    await run(async () => {
      void navigate(await joinThroughLink(token));
    });
  }

  return (
    <div className="page-narrow">
      <div className="card invitation-card">
        <span className="group-mark large" aria-hidden="true">
          {group.name.slice(0, 1).toUpperCase()}
        </span>
        <p className="muted" style={{ marginBottom: '0.25rem' }}>
          You have a link to join
        </p>
        <h1>{group.name}</h1>
        <p className="muted small">{PRIVACY[group.privacy].label} group · as a member</p>
        <FormError
          message={
            error instanceof ApiError
              ? error.message
              : error
                ? 'Something went wrong. Please try again.'
                : undefined
          }
        />
        {status === 'signed_in' && me ? (
          preview.alreadyMember ? (
            <p>
              You are already a member. <Link to={groupPath(group)}>Go to {group.name}</Link>
            </p>
          ) : (
            <>
              <div className="row">
                <button type="button" disabled={busy} onClick={() => void join()}>
                  {busy ? 'Joining…' : `Join ${group.name}`}
                </button>
              </div>
              <p className="small muted" style={{ marginTop: '0.75rem' }}>
                You are signed in as {me.name}. The group&apos;s coordinators will see your email
                address, as they do for every member.
              </p>
            </>
          )
        ) : status === 'signed_out' ? (
          <>
            <p>Sign in or create an account to join. You will come straight back here.</p>
            <div className="row">
              <Link className="button" to={`/signin?next=${encodeURIComponent(here)}`}>
                Sign in
              </Link>
              <Link className="button secondary" to={`/signup?next=${encodeURIComponent(here)}`}>
                Create an account
              </Link>
            </div>
          </>
        ) : null}
      </div>
    </div>
  );
}
