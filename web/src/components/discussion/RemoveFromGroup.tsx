import { useState } from 'react';
import type { GroupDto, MemberDto } from '../../../../shared/dto.js';
import { messageOf } from '../../api/client.js';
import { removeMember } from '../../data/groups.js';
import { displayName } from '../Avatar.js';
import './moderation.css';

/**
 * Removing a comment's author from the group, from the comment's menu, for
 * whoever the server says manages the discussion's group (see
 * useRemovableMember): it asks first, naming the person and the group.
 * Escape or Cancel steps back (`onClose`); the removed member's open pages
 * lose the discussion live (the server revokes their access).
 */
export function RemoveConfirm({
  target,
  onClose,
  onRemoved,
}: {
  target: { group: GroupDto; member: MemberDto };
  onClose: () => void;
  /** Told what happened, in a sentence to show. */
  onRemoved: (said: string) => void;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const name = displayName(target.member);
  const groupName = target.group.name;
  const remove = () => {
    setBusy(true);
    setError(null);
    removeMember(target.group.id, target.member.id).then(
      () => onRemoved(`${name} was removed from ${groupName}.`),
      (e: unknown) => {
        setBusy(false);
        setError(messageOf(e));
      },
    );
  };
  return (
    <div
      className="confirm comment-confirm"
      role="group"
      aria-label={`Confirm removing ${name}`}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          onClose();
        }
      }}
    >
      <p className="small">
        Remove {name} from {groupName}? They will lose access to its discussions; their comments
        stay.
      </p>
      <div className="row">
        <button type="button" className="danger small" disabled={busy} onClick={remove} autoFocus>
          {busy ? 'Removing…' : 'Remove from group'}
        </button>
        <button type="button" className="secondary small" onClick={onClose}>
          Cancel
        </button>
      </div>
      {error && (
        <p className="inline-error remove-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
