import { useRef, useState, type KeyboardEvent } from 'react';
import type { CommentDto, DiscussionDto } from '../../../../shared/dto.js';
import { commentAnchor } from '../../../../shared/routes.js';
import { messageOf } from '../../api/client.js';
import { deleteComment } from '../../data/comments.js';
import { useStore } from '../../store/index.js';
import { ActionMenu, type MenuItem } from '../ActionMenu.js';
import { displayName } from '../Avatar.js';
import { commentTarget } from './comment-words.js';
import { ModerateComment } from './ModerateComment.js';
import { ReactionPicker } from './Reactions.js';
import { RemoveConfirm } from './RemoveFromGroup.js';
import { ReportForm, ReportStatus, useReportStatus } from './ReportButton.js';
import { useRemovableMember } from './use-group-moderation.js';
import './moderation.css';

type Panel = 'none' | 'delete' | 'report' | 'hide' | 'restore' | 'remove';

/**
 * What one may do with a comment: Reply and React in plain sight, the rest
 * (edit, delete, report, and for moderators hide or restore it and remove its
 * author from the group) in the comment's menu, each as its abilities allow.
 * Destructive actions ask first, naming the comment ("Delete Ada Lovelace’s
 * comment “The roof leaks…”?"); closing a question puts focus back on the menu.
 */
export function CommentActions({
  comment,
  discussion,
  replying,
  onReply,
  onEdit,
}: {
  comment: CommentDto;
  discussion: DiscussionDto;
  replying: boolean;
  onReply: () => void;
  onEdit: () => void;
}) {
  const [panel, setPanel] = useState<Panel>('none');
  const [said, setSaid] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const menuButton = useRef<HTMLButtonElement>(null);
  const meId = useStore((s) => s.me?.id ?? null);
  const groupId = discussion.group?.id ?? null;
  const canModerate = useStore((s) =>
    groupId ? s.groups[groupId]?.abilities.canModerate === true : false,
  );
  const removable = useRemovableMember(discussion, comment.author.id);
  const reportStatus = useReportStatus({ kind: 'comment', id: comment.id });
  const { abilities } = comment;
  const mine = meId !== null && meId === comment.author.id;
  const name = displayName(comment.author);
  const target = commentTarget(name, mine, comment.body);
  const live = !comment.deleted;

  /** Back to the menu (or, once it offers nothing, the comment itself). */
  const close = () => {
    setPanel('none');
    requestAnimationFrame(() => {
      const menu = menuButton.current;
      (menu?.isConnected ? menu : document.getElementById(commentAnchor(comment.id)))?.focus();
    });
  };

  const items: MenuItem[] = [];
  if (abilities.canEdit && live)
    items.push({ key: 'edit', label: 'Edit', name: `Edit comment by ${name}`, onSelect: onEdit });
  if (abilities.canDelete && live)
    items.push({
      key: 'delete',
      label: 'Delete',
      name: `Delete comment by ${name}`,
      danger: true,
      onSelect: () => setPanel('delete'),
    });
  if (
    discussion.abilities.canReport &&
    live &&
    meId !== null &&
    !mine &&
    comment.moderation === undefined &&
    !reportStatus
  )
    items.push({
      key: 'report',
      label: 'Report',
      name: `Report comment by ${name}`,
      onSelect: () => setPanel('report'),
    });
  if (canModerate && groupId && live && !mine && comment.moderation === undefined)
    items.push({
      key: 'hide',
      label: 'Hide pending review',
      name: `Hide comment by ${name}`,
      danger: true,
      onSelect: () => setPanel('hide'),
    });
  if (canModerate && groupId && live && comment.moderation === 'hidden')
    items.push({
      key: 'restore',
      label: 'Restore',
      name: `Restore comment by ${name}`,
      onSelect: () => setPanel('restore'),
    });
  if (removable && !said)
    items.push({
      key: 'remove',
      label: `Remove ${name} from group`,
      danger: true,
      onSelect: () => setPanel('remove'),
    });

  const remove = () => {
    setBusy(true);
    setError(null);
    deleteComment(comment.id).then(
      () => {
        setBusy(false);
        close();
      },
      (e: unknown) => {
        setBusy(false);
        setError(messageOf(e));
      },
    );
  };

  const onEscape = (e: KeyboardEvent) => {
    if (e.key !== 'Escape') return;
    e.preventDefault();
    close();
  };

  return (
    <>
      <div className="comment-actions">
        {abilities.canReply && !replying && (
          <button type="button" className="link small" onClick={onReply}>
            Reply<span className="visually-hidden"> to {name}</span>
          </button>
        )}
        {abilities.canReact && live && (
          <ReactionPicker comment={comment} label={`React to comment by ${name}`} />
        )}
        <ActionMenu
          label={`More actions for comment by ${name}`}
          items={items}
          buttonRef={menuButton}
        />
        {reportStatus && <ReportStatus status={reportStatus} />}
        {said && (
          <span className="small muted" role="status">
            {said}
          </span>
        )}
      </div>
      {panel === 'delete' && (
        <div
          className="confirm comment-confirm"
          role="group"
          aria-label="Confirm deletion"
          onKeyDown={onEscape}
        >
          <p className="small">
            Delete {target}? It is removed for everyone; its place in the thread stays.
          </p>
          <div className="row">
            <button
              type="button"
              className="danger small"
              disabled={busy}
              onClick={remove}
              autoFocus
            >
              Delete comment
            </button>
            <button type="button" className="secondary small" onClick={close}>
              Keep it
            </button>
          </div>
        </div>
      )}
      {panel === 'report' && !reportStatus && (
        <ReportForm
          target={{ kind: 'comment', id: comment.id }}
          label={`comment by ${name}`}
          onClose={close}
        />
      )}
      {(panel === 'hide' || panel === 'restore') && groupId && (
        <ModerateComment
          groupId={groupId}
          commentId={comment.id}
          action={panel}
          target={target}
          onClose={close}
        />
      )}
      {panel === 'remove' && removable && (
        <RemoveConfirm
          target={removable}
          onClose={close}
          onRemoved={(text) => {
            setSaid(text);
            close();
          }}
        />
      )}
      {error && (
        <div className="inline-error" role="alert">
          {error}
        </div>
      )}
    </>
  );
}
