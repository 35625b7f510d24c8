import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import type { GroupDetailDto } from '../../../../shared/dto.js';
import { messageOf } from '../../api/client.js';
import { joinGroup, leaveGroup, requestToJoin } from '../../data/groups.js';
import { useStore } from '../../store/index.js';
import { FormError, TextAreaField } from '../Form.js';
import { ConfirmButton } from './ConfirmButton.js';
import { PRIVACY } from './words.js';
import './group.css';
import { groupPath } from '../../lib/paths.js';

function JoinRequestForm({ group, onDone }: { group: GroupDetailDto; onDone: () => void }) {
  const [introduction, setIntroduction] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    try {
      await requestToJoin(group.id, introduction);
      onDone();
    } catch (e) {
      setError(messageOf(e));
      setBusy(false);
    }
  }
  return (
    <form className="join-request-form" onSubmit={(e) => void submit(e)}>
      <FormError message={error} />
      <TextAreaField
        label={`Ask to join ${group.name}`}
        hint="A few words to the coordinators: who you are and why you would like to join. Optional."
        maxLength={1000}
        value={introduction}
        onChange={(e) => setIntroduction(e.target.value)}
        autoFocus
      />
      <div className="row">
        <button type="submit" disabled={busy}>
          {busy ? 'Sending…' : 'Send request'}
        </button>
        <button type="button" className="secondary" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** What the viewer can do about belonging to the group: join, ask, leave (from its abilities). */
function MembershipActions({ group }: { group: GroupDetailDto }) {
  const status = useStore((s) => s.sessionStatus);
  const navigate = useNavigate();
  const [asking, setAsking] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const a = group.abilities;

  if (status === 'signed_out' && group.membershipPolicy !== 'invitation')
    return (
      <Link className="button" to={`/signin?next=${encodeURIComponent(groupPath(group))}`}>
        Sign in to join
      </Link>
    );
  if (status !== 'signed_in') return null;
  return (
    <div className="group-actions">
      {a.canJoin && (
        <button
          type="button"
          disabled={busy}
          onClick={() => {
            setBusy(true);
            joinGroup(group.id).then(
              () => setBusy(false),
              (e: unknown) => {
                setError(messageOf(e));
                setBusy(false);
              },
            );
          }}
        >
          {busy ? 'Joining…' : 'Join group'}
        </button>
      )}
      {group.joinRequest?.status === 'pending' ? (
        <span className="pill warn">Request sent · waiting for a coordinator</span>
      ) : (
        a.canRequestToJoin &&
        !asking && (
          <button type="button" onClick={() => setAsking(true)}>
            Ask to join
          </button>
        )
      )}
      {a.canLeave && (
        <ConfirmButton
          label="Leave group"
          className="secondary small"
          question={`Leave ${group.name}?`}
          confirmLabel="Yes, leave"
          onConfirm={async () => {
            await leaveGroup(group.id);
            if (!useStore.getState().groups[group.id]) void navigate('/groups');
          }}
        />
      )}
      <FormError message={error} />
      {asking && <JoinRequestForm group={group} onDone={() => setAsking(false)} />}
    </div>
  );
}

/** The top of a group's page: name, privacy, description, who belongs, and joining or leaving. */
export function GroupHeader({ group }: { group: GroupDetailDto }) {
  return (
    <header className="group-header card">
      <div className="group-header-main">
        <span className="group-mark large" aria-hidden="true">
          {group.name.slice(0, 1).toUpperCase()}
        </span>
        <div className="group-header-text">
          {group.parent && (
            <div className="small muted">
              Subgroup of <Link to={groupPath(group.parent)}>{group.parent.name}</Link>
            </div>
          )}
          <h1>{group.name}</h1>
          <div className="row small muted">
            <span className="pill" title={PRIVACY[group.privacy].explain}>
              {PRIVACY[group.privacy].label} group
            </span>
            <span>
              {group.memberCount} {group.memberCount === 1 ? 'member' : 'members'}
            </span>
            {group.role === 'coordinator' && <span className="pill brand">You coordinate</span>}
            {group.role === 'member' && <span className="pill brand">You are a member</span>}
          </div>
        </div>
        <MembershipActions group={group} />
      </div>
      {group.description && <p className="group-description">{group.description}</p>}
    </header>
  );
}
