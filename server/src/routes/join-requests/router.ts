/**
 * Deciding requests to join, under `/api/join-requests/:id`: a coordinator of
 * the group approves (the requester becomes a member) or declines, once (409
 * when already decided). The requester may know their request exists (403);
 * to anyone else it does not (404).
 */
import { Router, type Request, type Response } from 'express';
import { requireUser } from '../../auth/authenticate.js';
import { decideJoinRequest } from '../../commands/groups/join-requests.js';
import { AuthorizationError, ConflictError, NotFoundError } from '../../errors.js';
import { parse } from '../../http/validate.js';
import { GroupModel } from '../../models/group.js';
import { JoinRequestModel } from '../../models/join-request.js';
import { UserModel } from '../../models/user.js';
import { canManageMembers } from '../../policies/group.js';
import { presentJoinRequest } from '../../presenters/join-request.js';
import { objectIdParam, PERSON_FIELDS } from '../groups/load.js';
import { noBodySchema } from './schema.js';

function decide(decision: 'approved' | 'declined') {
  return async (req: Request, res: Response) => {
    requireUser(req);
    parse(noBodySchema, req.body);
    const id = objectIdParam(req.params.id as string);
    const pending = id ? await JoinRequestModel.findById(id) : null;
    const group = pending ? await GroupModel.findById(pending.groupId) : null;
    if (!pending || !group) throw NotFoundError('Join request not found');
    if (!canManageMembers(req.viewer, group)) {
      if (pending.userId.equals(req.viewer.user._id))
        throw AuthorizationError('Only coordinators decide requests to join');
      throw NotFoundError('Join request not found');
    }
    if (pending.status !== 'pending') throw ConflictError('This request has already been decided');
    const request = await decideJoinRequest({
      requestId: pending._id,
      deciderId: req.viewer.user._id,
      decision,
    });
    const requester = await UserModel.findById(request.userId, PERSON_FIELDS);
    res.json({
      joinRequest: presentJoinRequest(
        request,
        { requester, decidedBy: req.viewer.user },
        // Coordinators see a member's email in the member list once approved; a request never carries it (P5).
        { includeEmail: false },
      ),
    });
  };
}

export function joinRequestsRouter(): Router {
  const router = Router();
  router.post('/:id/approve', decide('approved'));
  router.post('/:id/decline', decide('declined'));
  return router;
}
