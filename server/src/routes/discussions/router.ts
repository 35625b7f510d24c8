/**
 * `/api/discussions`: start, list (per group), read and edit discussions. The
 * moderation, comment and timeline routes of a discussion are registered from
 * their own files onto the same router.
 */
import { assertMayPost, assertMayWrite } from '../../moderation/guard.js';
import { Router } from 'express';
import { requireUser } from '../../auth/authenticate.js';
import { loadReadableDiscussion } from '../../commands/discussions/load.js';
import { editDiscussion } from '../../commands/discussions/change.js';
import { listGroupDiscussions } from '../../commands/discussions/list.js';
import { startDiscussion } from '../../commands/discussions/start.js';
import { presentDiscussionFor, presentDiscussionsFor } from '../../commands/discussions/view.js';
import { AuthorizationError, NotFoundError } from '../../errors.js';
import { parse } from '../../http/validate.js';
import { GroupModel } from '../../models/group.js';
import { canEditDiscussion } from '../../policies/discussion.js';
import { canSeeGroup, canStartDiscussion } from '../../policies/group.js';
import { registerCommentRoutes } from './comments.js';
import { registerModerationRoutes } from './moderation.js';
import { createDiscussionSchema, listDiscussionsSchema, updateDiscussionSchema } from './schema.js';
import { registerTimelineRoutes } from './timeline.js';

export function discussionsRouter(): Router {
  const router = Router();

  /**
   * Start a discussion in a group (privacy derived from the group's), or, without
   * a groupId, a private discussion among guests the author then invites.
   */
  router.post('/', async (req, res) => {
    requireUser(req);
    const input = parse(createDiscussionSchema, req.body);
    const group = input.groupId === undefined ? null : await GroupModel.findById(input.groupId);
    if (input.groupId !== undefined) {
      if (!group || !canSeeGroup(req.viewer, group)) throw NotFoundError('Group not found');
      if (!canStartDiscussion(req.viewer, group))
        throw AuthorizationError('You may not start discussions in this group');
    }
    await assertMayPost(req.viewer, { groupId: group?._id ?? null });
    const discussion = await startDiscussion({ group, author: req.viewer.user, ...input });
    res
      .status(201)
      .json({ discussion: await presentDiscussionFor(req.viewer, { discussion, group }) });
  });

  /** A group's discussions the viewer may read: pinned first, then newest activity first. */
  router.get('/', async (req, res) => {
    const query = parse(listDiscussionsSchema, req.query);
    const group = await GroupModel.findById(query.groupId);
    if (!group || !canSeeGroup(req.viewer, group)) throw NotFoundError('Group not found');
    const { rows, nextCursor } = await listGroupDiscussions(req.viewer, group, query);
    res.json({ items: await presentDiscussionsFor(req.viewer, rows), nextCursor });
  });

  router.get('/:id', async (req, res) => {
    const loaded = await loadReadableDiscussion(req.viewer, req.params.id);
    res.json({ discussion: await presentDiscussionFor(req.viewer, loaded) });
  });

  /** Edit the title and/or the context. */
  router.patch('/:id', async (req, res) => {
    requireUser(req);
    const input = parse(updateDiscussionSchema, req.body);
    const { discussion, group } = await loadReadableDiscussion(req.viewer, req.params.id);
    if (!canEditDiscussion(req.viewer, discussion, group))
      throw AuthorizationError('You may not edit this discussion');
    await assertMayWrite(req.viewer, discussion.groupId);
    const edited = await editDiscussion({ discussion, actorId: req.viewer.user._id, ...input });
    res.json({ discussion: await presentDiscussionFor(req.viewer, { discussion: edited, group }) });
  });

  registerModerationRoutes(router);
  registerCommentRoutes(router);
  registerTimelineRoutes(router);
  return router;
}
