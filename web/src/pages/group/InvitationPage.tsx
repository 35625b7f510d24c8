import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import type { InvitationPreviewDto } from '../../../../shared/dto.js';
import { ApiError } from '../../api/client.js';
import { displayName } from '../../components/Avatar.js';
import { FormError } from '../../components/Form.js';
import { PRIVACY } from '../../components/group/words.js';
import { acceptInvitation, previewInvitation } from '../../data/groups.js';
import { useLoad } from '../../lib/use-load.js';
import { useStore } from '../../store/index.js';
import '../../components/group/group.css';
import '../../components/group/join-links.css';
import { useAction } from '../../lib/use-action.js';
import { signOut } from '../../data/session.js';
import { InvitationSignUp } from './InvitationSignUp.js';
import { groupPath } from '../../lib/paths.js';

/** Why a link no longer works, in plain words (the 410 ids). */
const GONE: Record<string, { title: string; text: string }> = {
  invitation_used: {
    title: 'This invitation was already used',
    text: 'Each invitation link works once. If it was you, you are already in: sign in to find the group. Otherwise, ask for a new invitation.',
  },
  invitation_expired: {
    title: 'This invitation has expired',
    text: 'Invitations last a limited time. Ask the person who invited you for a new one.',
  },
  invitation_revoked: {
    title: 'This invitation was withdrawn',
    text: 'The group’s coordinators withdrew it. Ask them if you think this is a mistake.',
  },
  not_found: {
    title: 'This invitation link is not valid',
    text: 'Check that you copied the whole link from the email.',
  },
};

function Gone({ id }: { id: string }) {
  const what = GONE[id] ?? GONE.not_found;
  return (
    <div className="page-narrow">
      <div className="card">
        <h1>{what.title}</h1>
        <p className="muted">{what.text}</p>
        <Link to="/">Go to Quorum</Link>
      </div>
    </div>
  );
}

/**
 * The signed-in account is not the invited one: say so plainly, with the
 * masked hint the server gives, and offer to switch accounts.
 */
function WrongAccount({ hint, me }: { hint: string | null; me: { name: string; email: string } }) {
  const { busy, run } = useAction();
  return (
    <div className="wrong-account" role="alert" data-testid="wrong-account">
      <h2>This invitation is for another email address</h2>
      <p>
        It was sent to {hint ? <strong className="email-hint">{hint}</strong> : 'another address'},
        and only the account with that address can accept it. You are signed in as {me.name} (
        {me.email}).
      </p>
      <div className="row">
        <button type="button" disabled={busy} onClick={() => void run(signOut)}>
          {busy ? 'Signing out…' : 'Sign out and use another account'}
        </button>
      </div>
    </div>
  );
}

/**
 * An invitation link: what it is for, then accept, only with the account the
 * invitation was sent to (after signing in, or by creating an account here).
 */
export function InvitationPage() {
  const { token = '' } = useParams();
  const navigate = useNavigate();
  const status = useStore((s) => s.sessionStatus);
  const me = useStore((s) => s.me);
  const [preview, setPreview] = useState<InvitationPreviewDto | null>(null);
  const { busy, error, run } = useAction();
  // Loaded again on signing in or out: whether the account is the invited one changes.
  const state = useLoad(`${token}:${status}:${me?.id ?? ''}`, async () =>
    setPreview(await previewInvitation(token)),
  );

  if (state.status === 'loading' && !preview)
    return (
      <p className="muted" role="status">
        Opening your invitation…
      </p>
    );
  if (state.status === 'error') {
    const e = state.error;
    if (e instanceof ApiError && (e.status === 410 || e.status === 404)) return <Gone id={e.id} />;
    return (
      <div className="page-narrow">
        <FormError message={e instanceof ApiError ? e.message : 'Could not open the invitation.'} />
      </div>
    );
  }
  if (!preview) return null;
  if (error instanceof ApiError && error.status === 410) return <Gone id={error.id} />;

  const here = `/invitations/${encodeURIComponent(token)}`;
  const where = preview.group?.name ?? preview.discussion?.title ?? 'Quorum';
  const next = preview.group
    ? groupPath(preview.group)
    : preview.discussion
      ? `/d/${preview.discussion.id}`
      : '/';
  const as = preview.group
    ? preview.role === 'coordinator'
      ? 'as a coordinator'
      : 'as a member'
    : 'as a guest of this discussion';
  const wrongAccount =
    preview.addressedToViewer === false ||
    (error instanceof ApiError && error.id === 'invitation_wrong_account');

  async function accept() {
    await run(async () => {
      void navigate(await acceptInvitation(token));
    });
  }

  return (
    <div className="page-narrow">
      <div className="card invitation-card">
        <span className="group-mark large" aria-hidden="true">
          {where.slice(0, 1).toUpperCase()}
        </span>
        <p className="muted" style={{ marginBottom: '0.25rem' }}>
          {displayName(preview.invitedBy)} invites you to join
        </p>
        <h1>{where}</h1>
        <p className="muted small">
          {as}
          {preview.group && <> · {PRIVACY[preview.group.privacy].label} group</>}
        </p>
        {!wrongAccount && (
          <FormError
            message={
              error instanceof ApiError
                ? error.message
                : error
                  ? 'Something went wrong. Please try again.'
                  : undefined
            }
          />
        )}
        {error instanceof ApiError && error.id === 'conflict' && preview.group && (
          <p>
            <Link to={groupPath(preview.group)}>Go to {preview.group.name}</Link>
          </p>
        )}
        {status === 'signed_in' && me && wrongAccount ? (
          <WrongAccount hint={preview.emailHint} me={me} />
        ) : status === 'signed_in' && me ? (
          <>
            <div className="row">
              <button type="button" disabled={busy} onClick={() => void accept()}>
                {busy ? 'Joining…' : 'Accept invitation'}
              </button>
            </div>
            <p className="small muted" style={{ marginTop: '0.75rem' }}>
              You are signed in as {me.name} ({me.email}).
            </p>
          </>
        ) : status === 'signed_out' ? (
          <>
            <p>Already have an account with the address this invitation was sent to?</p>
            <div className="row">
              <Link className="button" to={`/signin?next=${encodeURIComponent(here)}`}>
                Sign in
              </Link>
            </div>
            <InvitationSignUp token={token} next={next} />
          </>
        ) : null}
      </div>
    </div>
  );
}
