/**
 * Moderation of a discussion: close and reopen (its editors), pin and unpin
 * (the group's coordinators), move to another group (coordinators of both).
 * Each answers with the discussion as it now is.
 */
import type { Router } from 'express';
import { requireUser } from '../../auth/authenticate.js';
import { setDiscussionClosed, setDiscussionPinned } from '../../commands/discussions/change.js';
import { loadReadableDiscussion } from '../../commands/discussions/load.js';
import { moveDiscussion } from '../../commands/discussions/move.js';
import { presentDiscussionFor } from '../../commands/discussions/view.js';
import { AuthorizationError, NotFoundError, ValidationError } from '../../errors.js';
import { parse } from '../../http/validate.js';
import { GroupModel } from '../../models/group.js';
import {
  canCloseDiscussion,
  canMoveDiscussion,
  canPinDiscussion,
} from '../../policies/discussion.js';
import { canSeeGroup } from '../../policies/group.js';
import { moveDiscussionSchema } from './schema.js';

export function registerModerationRoutes(router: Router): void {
  for (const [action, closed] of [
    ['close', true],
    ['reopen', false],
  ] as const) {
    router.post(`/:id/${action}`, async (req, res) => {
      requireUser(req);
      const { discussion, group } = await loadReadableDiscussion(req.viewer, req.params.id);
      if (!canCloseDiscussion(req.viewer, discussion, group))
        throw AuthorizationError(`You may not ${action} this discussion`);
      const changed = await setDiscussionClosed({
        discussion,
        actorId: req.viewer.user._id,
        closed,
      });
      res.json({
        discussion: await presentDiscussionFor(req.viewer, { discussion: changed, group }),
      });
    });
  }

  for (const [action, pinned] of [
    ['pin', true],
    ['unpin', false],
  ] as const) {
    router.post(`/:id/${action}`, async (req, res) => {
      requireUser(req);
      const { discussion, group } = await loadReadableDiscussion(req.viewer, req.params.id);
      if (!canPinDiscussion(req.viewer, group))
        throw AuthorizationError(`Only coordinators may ${action} discussions`);
      const changed = await setDiscussionPinned({ discussion, pinned });
      res.json({
        discussion: await presentDiscussionFor(req.viewer, { discussion: changed, group }),
      });
    });
  }

  router.post('/:id/move', async (req, res) => {
    requireUser(req);
    const input = parse(moveDiscussionSchema, req.body);
    const { discussion, group } = await loadReadableDiscussion(req.viewer, req.params.id);
    if (!canMoveDiscussion(req.viewer, group))
      throw AuthorizationError('Only coordinators may move discussions');
    const target = await GroupModel.findById(input.groupId);
    if (!target || !canSeeGroup(req.viewer, target)) throw NotFoundError('Group not found');
    if (target._id.equals(discussion.groupId))
      throw ValidationError('groupId', 'The discussion is already in this group');
    if (!canMoveDiscussion(req.viewer, group, target))
      throw AuthorizationError('You must coordinate the target group too');
    const moved = await moveDiscussion({ discussion, to: target, actorId: req.viewer.user._id });
    res.json({
      discussion: await presentDiscussionFor(req.viewer, { discussion: moved, group: target }),
    });
  });
}
