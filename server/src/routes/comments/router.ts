/**
 * `/api/comments/:id`: edit (with a visible history), read the history,
 * delete (soft), and react. A comment exists for a viewer exactly when its
 * discussion does.
 */
import { Router } from 'express';
import { requireUser } from '../../auth/authenticate.js';
import { deleteComment, editComment } from '../../commands/comments/change.js';
import { loadReadableComment } from '../../commands/comments/load.js';
import { heldDiscussion } from '../../commands/discussions/load-held.js';
import { addReaction, removeReaction } from '../../commands/comments/react.js';
import { presentCommentFor } from '../../commands/comments/view.js';
import { AuthorizationError } from '../../errors.js';
import { toPage } from '../../http/pagination.js';
import { parse } from '../../http/validate.js';
import { canDeleteComment, canEditComment, canReact } from '../../policies/comment.js';
import { presentRevision } from '../../presenters/comment.js';
import { assertMayWrite } from '../../moderation/guard.js';
import { editCommentSchema, historyPageSchema, reactionParamsSchema } from './schema.js';

export function commentsRouter(): Router {
  const router = Router();

  router.patch('/:id', async (req, res) => {
    requireUser(req);
    const input = parse(editCommentSchema, req.body);
    const { comment, discussion, group } = await loadReadableComment(req.viewer, req.params.id);
    if (!canEditComment(req.viewer, comment, discussion, group))
      throw AuthorizationError('You may not edit this comment');
    await assertMayWrite(req.viewer, discussion.groupId);
    const edited = await editComment({ comment, discussion, group, body: input.body });
    res.json({ comment: await presentCommentFor(req.viewer, edited, { discussion, group }) });
  });

  /** Earlier texts, newest first; empty once the comment is deleted (deletion erases them). */
  router.get('/:id/history', async (req, res) => {
    const query = parse(historyPageSchema, req.query);
    const { comment } = await loadReadableComment(req.viewer, req.params.id);
    const offset = Number(query.cursor ?? 0);
    const revisions = comment.deletedAt === null ? [...comment.history].reverse() : [];
    const rows = revisions
      .slice(offset, offset + query.limit + 1)
      .map((revision, i) => ({ revision, index: offset + i }));
    res.json(
      toPage(
        rows,
        query.limit,
        (row) => presentRevision(row.revision),
        (row) => String(row.index + 1),
      ),
    );
  });

  router.delete('/:id', async (req, res) => {
    requireUser(req);
    const { comment, discussion, group } = await loadReadableComment(req.viewer, req.params.id);
    if (!canDeleteComment(req.viewer, comment, discussion, group))
      throw AuthorizationError('You may not delete this comment');
    const deleted = await deleteComment({ comment, actorId: req.viewer.user._id });
    res.json({ comment: await presentCommentFor(req.viewer, deleted, { discussion, group }) });
  });

  for (const method of ['put', 'delete'] as const) {
    router[method]('/:id/reactions/:emoji', async (req, res) => {
      requireUser(req);
      const { emoji } = parse(reactionParamsSchema, { emoji: req.params.emoji });
      const { comment, discussion, group } = await loadReadableComment(
        req.viewer,
        req.params.id,
        heldDiscussion,
      );
      if (!canReact(req.viewer, comment, discussion))
        throw AuthorizationError('You may not react to this comment');
      await assertMayWrite(req.viewer, discussion.groupId);
      const change = method === 'put' ? addReaction : removeReaction;
      await change({ comment, userId: req.viewer.user._id, emoji });
      res.json({ comment: await presentCommentFor(req.viewer, comment, { discussion, group }) });
    });
  }
  return router;
}
