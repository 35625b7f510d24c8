import { useEffect, useRef, useState } from 'react';
import type { CommentDto, DiscussionDto } from '../../../../shared/dto.js';
import { messageOf } from '../../api/client.js';
import { removeMember } from '../../data/groups.js';
import { displayName } from '../Avatar.js';
import { useRemovableMember } from './use-group-moderation.js';
import './moderation.css';

/**
 * "Remove from group" among a comment's actions, for whoever the server says
 * manages the discussion's group (`abilities.canManage`), on comments by its
 * other members. It asks first, naming the person and the group; the removed
 * member's open pages lose the discussion live (the server revokes their access).
 */
export function RemoveFromGroup({
  comment,
  discussion,
}: {
  comment: CommentDto;
  discussion: DiscussionDto;
}) {
  const target = useRemovableMember(discussion, comment.author.id);
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [removed, setRemoved] = useState<string | null>(null);
  const openRef = useRef<HTMLButtonElement>(null);
  const wasAsking = useRef(false);

  useEffect(() => {
    if (!asking && wasAsking.current) openRef.current?.focus();
    wasAsking.current = asking;
  }, [asking]);

  if (removed)
    return (
      <span className="small muted" role="status">
        {removed}
      </span>
    );
  if (!target) return null;

  const name = displayName(target.member);
  const groupName = target.group.name;
  const remove = () => {
    setBusy(true);
    setError(null);
    removeMember(target.group.id, target.member.id).then(
      () => setRemoved(`${name} was removed from ${groupName}.`),
      (e: unknown) => {
        setBusy(false);
        setError(messageOf(e));
      },
    );
  };

  return (
    <>
      {asking ? (
        <span
          className="confirm"
          role="group"
          aria-label={`Confirm removing ${name}`}
          onKeyDown={(e) => {
            if (e.key === 'Escape') setAsking(false);
          }}
        >
          <span className="small">
            Remove {name} from {groupName}? They will lose access to its discussions; their comments
            stay.
          </span>
          <button type="button" className="danger small" disabled={busy} onClick={remove} autoFocus>
            {busy ? 'Removing…' : 'Remove from group'}
          </button>
          <button type="button" className="secondary small" onClick={() => setAsking(false)}>
            Cancel
          </button>
        </span>
      ) : (
        <button
          ref={openRef}
          type="button"
          className="link small danger-link"
          onClick={() => {
            setError(null);
            setAsking(true);
          }}
        >
          Remove<span className="visually-hidden"> {name}</span> from group
        </button>
      )}
      {error && (
        <span className="inline-error remove-error" role="alert">
          {error}
        </span>
      )}
    </>
  );
}
