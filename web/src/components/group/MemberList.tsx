import { useState } from 'react';
import type { GroupDetailDto, MemberDto } from '../../../../shared/dto.js';
import { messageOf } from '../../api/client.js';
import { changeRole, loadMembers, removeMember } from '../../data/groups.js';
import { useLoad } from '../../lib/use-load.js';
import { useStore } from '../../store/index.js';
import { Avatar, displayName } from '../Avatar.js';
import { FormError } from '../Form.js';
import { LoadGate } from '../Loading.js';
import { RelativeTime } from '../RelativeTime.js';
import { ConfirmButton } from './ConfirmButton.js';
import { ReportButton } from '../discussion/ReportButton.js';
import { setModerator } from '../../data/moderation.js';
import './group.css';

const NO_MEMBERS: MemberDto[] = [];

/** Coordinators first, then by name. */
function byRoleThenName(a: MemberDto, b: MemberDto): number {
  if (a.role !== b.role) return a.role === 'coordinator' ? -1 : 1;
  return displayName(a).localeCompare(displayName(b));
}

function MemberRow({ group, member }: { group: GroupDetailDto; member: MemberDto }) {
  const me = useStore((s) => s.me);
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const isMe = me?.id === member.id;
  const name = displayName(member);
  // Role changes and removal are the group's coordinators' (the group's `canManage`); one leaves oneself.
  const manage = group.abilities.canManage && !isMe;

  function setRole(role: MemberDto['role'] | 'moderator' | 'not_moderator') {
    setBusy(true);
    setError(undefined);
    const change =
      role === 'moderator' || role === 'not_moderator'
        ? setModerator(group.id, member.id, role === 'moderator')
        : changeRole(group.id, member.id, role);
    change.then(
      () => setBusy(false),
      (e: unknown) => {
        setError(messageOf(e));
        setBusy(false);
      },
    );
  }

  return (
    <li className="member-row" data-testid="member-row">
      <Avatar user={member} size={36} />
      <div className="member-who">
        <div className="member-name">
          {name}
          {isMe && <span className="muted"> (you)</span>}{' '}
          <span className={member.role === 'coordinator' ? 'pill brand' : 'pill'}>
            {member.role === 'coordinator' ? 'Coordinator' : 'Member'}
          </span>
          {member.moderator && <span className="pill">Moderator</span>}
        </div>
        {'email' in member && <div className="member-email small muted">{member.email}</div>}
        <div className="small muted">
          joined <RelativeTime iso={member.joinedAt} />
        </div>
      </div>
      {manage && (
        <div className="member-actions">
          {member.role === 'member' && (
            <button
              type="button"
              className="secondary small"
              disabled={busy}
              aria-label={`Make ${name} a coordinator`}
              onClick={() => setRole('coordinator')}
            >
              Make coordinator
            </button>
          )}
          {member.role === 'member' && (
            <button
              type="button"
              className="secondary small"
              disabled={busy}
              aria-pressed={member.moderator === true}
              aria-label={`Moderator rights for ${name}`}
              onClick={() => setRole(member.moderator ? 'not_moderator' : 'moderator')}
            >
              Moderator
            </button>
          )}
          {member.role === 'coordinator' && (
            <button
              type="button"
              className="secondary small"
              disabled={busy}
              aria-label={`Make ${name} a member`}
              onClick={() => setRole('member')}
            >
              Make member
            </button>
          )}
          <ConfirmButton
            label="Remove"
            ariaLabel={`Remove ${name}`}
            question={`Remove ${name} from ${group.name}?`}
            confirmLabel="Yes, remove"
            onConfirm={() => removeMember(group.id, member.id)}
          />
        </div>
      )}
      {!isMe && me && group.role !== null && (
        <div className="member-report">
          <ReportButton
            target={{ kind: 'person', id: member.id }}
            label={name}
            groupId={group.id}
          />
        </div>
      )}
      {error && (
        <div className="member-error">
          <FormError message={error} />
        </div>
      )}
    </li>
  );
}

/** The group's members, live; addresses only where the server sends them (coordinators' view). */
export function MemberList({ group }: { group: GroupDetailDto }) {
  const status = useStore((s) => s.sessionStatus);
  const state = useLoad(`${group.id}:${status}:${group.role ?? ''}`, () => loadMembers(group.id));
  const members = useStore((s) => s.members[group.id] ?? NO_MEMBERS);
  const sorted = [...members].sort(byRoleThenName);
  return (
    <section className="card" aria-labelledby="members-title">
      <h2 id="members-title">
        Members <span className="muted count">{group.memberCount}</span>
      </h2>
      <LoadGate state={state} what="members" />
      {state.status === 'ready' &&
        (sorted.length === 0 ? (
          <p className="empty">No members.</p>
        ) : (
          <ul className="list" aria-label={`Members of ${group.name}`} data-testid="member-list">
            {sorted.map((m) => (
              <MemberRow key={m.id} group={group} member={m} />
            ))}
          </ul>
        ))}
    </section>
  );
}
