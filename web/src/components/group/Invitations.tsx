import { useState, type FormEvent } from 'react';
import type { GroupRole } from '../../../../shared/domain.js';
import type { GroupDetailDto, InvitationDto } from '../../../../shared/dto.js';
import { ApiError } from '../../api/client.js';
import { inviteByEmail, loadPendingInvitations, revokeInvitation } from '../../data/groups.js';
import { useLoad } from '../../lib/use-load.js';
import { displayName } from '../Avatar.js';
import { FormError, TextAreaField, formError } from '../Form.js';
import { LoadGate } from '../Loading.js';
import { RelativeTime } from '../RelativeTime.js';
import { ConfirmButton } from './ConfirmButton.js';
import './group.css';
import { useAction } from '../../lib/use-action.js';

/** Addresses as people paste them: separated by commas, semicolons, spaces or new lines. */
export function splitEmails(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[\s,;]+/)
        .map((e) => e.trim())
        .filter(Boolean),
    ),
  ];
}

/** The server names a bad address by its index (`emails.2`): say which one. */
function emailsError(error: unknown, emails: string[]): string | undefined {
  if (!(error instanceof ApiError) || !error.field?.startsWith('emails')) return undefined;
  const index = Number(error.field.split('.')[1]);
  const which = Number.isInteger(index) ? emails[index] : undefined;
  return which ? `${which}: ${error.message}` : error.message;
}

function InviteForm({ group, onInvited }: { group: GroupDetailDto; onInvited: () => void }) {
  const [text, setText] = useState('');
  const [role, setRole] = useState<GroupRole>('member');
  const { busy, error, run } = useAction();
  const [sent, setSent] = useState<string | null>(null);
  const emails = splitEmails(text);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setSent(null);
    await run(async () => {
      const invitations = await inviteByEmail(group.id, { emails, role });
      setText('');
      setSent(
        invitations.length === 1
          ? `Invitation sent to ${invitations[0].email}.`
          : `${invitations.length} invitations sent.`,
      );
      onInvited();
    });
  }

  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      <FormError message={formError(error, ['emails', 'role'])} />
      <TextAreaField
        label="Email addresses"
        hint="One or more, separated by commas or new lines. Each gets a link to join."
        rows={3}
        value={text}
        onChange={(e) => setText(e.target.value)}
        error={emailsError(error, emails)}
      />
      {group.abilities.canInviteCoordinators && (
        <div className="field">
          <label htmlFor={`invite-role-${group.id}`}>Invite as</label>
          <select
            id={`invite-role-${group.id}`}
            value={role}
            onChange={(e) => setRole(e.target.value as GroupRole)}
          >
            <option value="member">Member</option>
            <option value="coordinator">Coordinator</option>
          </select>
        </div>
      )}
      <div className="row">
        <button type="submit" disabled={busy || emails.length === 0}>
          {busy
            ? 'Sending…'
            : emails.length > 1
              ? `Send ${emails.length} invitations`
              : 'Send invitation'}
        </button>
        <span role="status" className="small ok-text">
          {sent}
        </span>
      </div>
    </form>
  );
}

function PendingInvitations({ group, round }: { group: GroupDetailDto; round: number }) {
  const [items, setItems] = useState<InvitationDto[]>([]);
  const state = useLoad(`${group.id}:${round}`, async () =>
    setItems(await loadPendingInvitations(group.id)),
  );
  return (
    <div className="pending-invitations">
      <h3>Pending invitations</h3>
      <LoadGate state={state} what="invitations" />
      {state.status === 'ready' &&
        (items.length === 0 ? (
          <p className="small muted">No invitations waiting for an answer.</p>
        ) : (
          <ul className="list" aria-label="Pending invitations">
            {items.map((inv) => (
              <li key={inv.id} className="invitation-row" data-testid="invitation-row">
                <div className="member-who">
                  <div className="member-name">{inv.email}</div>
                  <div className="small muted">
                    {inv.role === 'coordinator' ? 'as coordinator · ' : ''}invited by{' '}
                    {displayName(inv.invitedBy)} <RelativeTime iso={inv.createdAt} /> · expires{' '}
                    <RelativeTime iso={inv.expiresAt} />
                  </div>
                </div>
                <ConfirmButton
                  label="Revoke"
                  ariaLabel={`Revoke the invitation to ${inv.email}`}
                  question={`Revoke the invitation to ${inv.email}?`}
                  confirmLabel="Yes, revoke"
                  onConfirm={async () => {
                    await revokeInvitation(inv.id);
                    setItems((held) => held.filter((i) => i.id !== inv.id));
                  }}
                />
              </li>
            ))}
          </ul>
        ))}
    </div>
  );
}

/** Inviting people by email (whoever may add members); the pending list for coordinators. */
export function Invitations({ group }: { group: GroupDetailDto }) {
  const [round, setRound] = useState(0);
  return (
    <section className="card" aria-labelledby="invite-title">
      <h2 id="invite-title">Invite people</h2>
      <InviteForm group={group} onInvited={() => setRound((r) => r + 1)} />
      {group.abilities.canManage && <PendingInvitations group={group} round={round} />}
    </section>
  );
}
