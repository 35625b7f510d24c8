/**
 * A discussion's comments: post one (idempotent with a client id) and list
 * them in timeline order. Threads are built by the client from `parentId`;
 * deleted comments keep their place with an empty body.
 */
import type { Router } from 'express';
import { requireUser } from '../../auth/authenticate.js';
import { postComment } from '../../commands/comments/post.js';
import {
  presentCommentFor,
  presentCommentsFor,
  presentPostedComment,
  receivableComments,
} from '../../commands/comments/view.js';
import { loadReadableDiscussion } from '../../commands/discussions/load.js';
import { loadReadableHeldDiscussion } from '../../commands/discussions/load-held.js';
import { heldRecords } from '../../realtime/fanout-records.js';
import { AuthorizationError } from '../../errors.js';
import { toPage } from '../../http/pagination.js';
import { parse } from '../../http/validate.js';
import { CommentModel } from '../../models/comment.js';
import { canComment } from '../../policies/discussion.js';
import { assertMayPost } from '../../moderation/guard.js';
import { holdForApproval, mustHold } from '../../moderation/hold.js';
import { pageStart, postCommentSchema, timelinePageSchema } from './schema.js';

export function registerCommentRoutes(router: Router): void {
  /** 201 with the new comment; 200 with the earlier one when a retry repeats its clientId. */
  router.post('/:id/comments', async (req, res) => {
    requireUser(req);
    const input = parse(postCommentSchema, req.body);
    const { discussion, group } = await loadReadableHeldDiscussion(req.viewer, req.params.id);
    if (!canComment(req.viewer, discussion)) {
      throw AuthorizationError(
        discussion.closedAt ? 'The discussion is closed' : 'Only participants may comment',
      );
    }
    await assertMayPost(req.viewer, { groupId: discussion.groupId, discussion, group });
    const { comment, created } = await postComment({
      discussion,
      group,
      authorId: req.viewer.user._id,
      held: await mustHold(req.viewer, group),
      ...input,
    });
    // Its timeline entry's fan-out here presents it without reading it back.
    if (created) heldRecords()?.justPosted(comment);
    if (created && comment.heldAt) await holdForApproval(comment, group);
    res.status(created ? 201 : 200).json({
      comment: created
        ? presentPostedComment(req.viewer, comment, { discussion, group })
        : await presentCommentFor(req.viewer, comment, { discussion, group }),
    });
  });

  /** Comments after `?after=<sequence>`, ascending. */
  router.get('/:id/comments', async (req, res) => {
    const query = parse(timelinePageSchema, req.query);
    const loaded = await loadReadableDiscussion(req.viewer, req.params.id);
    const rows = await CommentModel.find({
      discussionId: loaded.discussion._id,
      sequence: { $gt: pageStart(query) },
    })
      .sort({ sequence: 1 })
      .limit(query.limit + 1);
    const page = toPage(
      rows,
      query.limit,
      (row) => row,
      (row) => String(row.sequence),
    );
    res.json({
      items: await presentCommentsFor(
        req.viewer,
        receivableComments(req.viewer, page.items, loaded.group),
        loaded,
      ),
      nextCursor: page.nextCursor,
    });
  });
}
