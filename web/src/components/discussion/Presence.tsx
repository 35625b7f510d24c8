import { useStore } from '../../store/index.js';
import { Avatar, displayName } from '../Avatar.js';

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Who is viewing now: participants by face and name, others (visitors) as a count only. */
export function Presence({ discussionId }: { discussionId: string }) {
  const presence = useStore((s) => s.presence[discussionId]);
  const meId = useStore((s) => s.me?.id ?? null);
  // Who is here is only known while connected: stale faces would mislead.
  const live = useStore((s) => s.connection === 'live');
  if (!presence || !live) return null;
  const viewers = [...presence.viewers].sort((a, b) =>
    a.id === meId ? -1 : b.id === meId ? 1 : 0,
  );
  const hidden = Math.max(0, presence.participants - viewers.length);
  const others = presence.visitors;
  if (viewers.length === 0 && hidden === 0 && others === 0) return null;
  const shown = viewers.slice(0, 8);
  const nameOf = (v: (typeof viewers)[number]) =>
    v.id === meId ? `${displayName(v)} (you)` : displayName(v);
  return (
    <div className="presence" data-testid="presence">
      <span className="presence-label">Viewing now</span>
      {shown.length > 0 && (
        <ul className="avatar-stack presence-faces" aria-label="People viewing now">
          {shown.map((v) => (
            <li key={v.id} title={nameOf(v)}>
              <Avatar user={v} size={28} />
              <span className="visually-hidden">{nameOf(v)}</span>
            </li>
          ))}
          {viewers.length > shown.length && (
            <li className="presence-more" aria-hidden="true">
              +{viewers.length - shown.length}
            </li>
          )}
        </ul>
      )}
      {(hidden > 0 || others > 0) && (
        <span className="muted small">
          {shown.length > 0 && '+ '}
          {[
            hidden > 0 ? plural(hidden, 'participant', 'participants') : null,
            others > 0 ? plural(others, 'visitor', 'visitors') : null,
          ]
            .filter(Boolean)
            .join(', ')}
        </span>
      )}
    </div>
  );
}

/** "Ada is typing…" for the others typing (never the viewer). */
export function TypingIndicator({ discussionId }: { discussionId: string }) {
  const typing = useStore((s) => s.typing[discussionId]);
  const meId = useStore((s) => s.me?.id ?? null);
  const users = (typing?.users ?? []).filter((u) => u.id !== meId);
  let text = '';
  if (users.length === 1) text = `${displayName(users[0])} is typing…`;
  else if (users.length === 2)
    text = `${displayName(users[0])} and ${displayName(users[1])} are typing…`;
  else if (users.length > 2) text = `${users.length} people are typing…`;
  return (
    <div className="typing muted small" data-testid="typing" aria-hidden={text === ''}>
      {text && (
        <>
          <span className="typing-dots" aria-hidden="true">
            <span />
            <span />
            <span />
          </span>
          {text}
        </>
      )}
    </div>
  );
}
