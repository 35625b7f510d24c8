/**
 * Asking to join a group, under `/api/groups/:group/join-requests`: a
 * signed-in non-member asks (when the group takes requests; one pending
 * request per person), and coordinators list the requests, with the
 * requesters' email addresses.
 */
import { Router } from 'express';
import { requireUser } from '../../auth/authenticate.js';
import { createJoinRequest } from '../../commands/groups/join-requests.js';
import { AuthorizationError, ConflictError } from '../../errors.js';
import { toPage } from '../../http/pagination.js';
import { parse } from '../../http/validate.js';
import { JoinRequestModel } from '../../models/join-request.js';
import { UserModel } from '../../models/user.js';
import { canManageMembers, canRequestToJoin, isMember } from '../../policies/group.js';
import { presentJoinRequest } from '../../presenters/join-request.js';
import { afterCursor, loadVisibleGroup, PERSON_FIELDS } from '../groups/load.js';
import { createJoinRequestSchema, listJoinRequestsSchema } from './schema.js';
import { assertMayWrite } from '../../moderation/guard.js';

export function groupJoinRequestsRouter(): Router {
  const router = Router();

  router.post('/:group/join-requests', async (req, res) => {
    const group = await loadVisibleGroup(req.viewer, req.params.group);
    requireUser(req);
    const input = parse(createJoinRequestSchema, req.body);
    if (isMember(req.viewer, group)) throw ConflictError('You are already a member of this group');
    if (!canRequestToJoin(req.viewer, group))
      throw AuthorizationError('This group does not take requests to join');
    await assertMayWrite(req.viewer, null);
    const request = await createJoinRequest({
      groupId: group._id,
      userId: req.viewer.user._id,
      introduction: input.introduction,
    });
    // The requester sees their own request, with their own address.
    res.status(201).json({
      joinRequest: presentJoinRequest(
        request,
        { requester: req.viewer.user },
        { includeEmail: true },
      ),
    });
  });

  router.get('/:group/join-requests', async (req, res) => {
    const group = await loadVisibleGroup(req.viewer, req.params.group);
    requireUser(req);
    const query = parse(listJoinRequestsSchema, req.query);
    if (!canManageMembers(req.viewer, group))
      throw AuthorizationError('Only coordinators may see requests to join');
    const rows = await JoinRequestModel.find({
      groupId: group._id,
      status: query.status,
      ...afterCursor(query.cursor),
    })
      .sort({ _id: 1 })
      .limit(query.limit + 1);
    const ids = rows.flatMap((r) => (r.decidedById ? [r.userId, r.decidedById] : [r.userId]));
    const people = new Map(
      (await UserModel.find({ _id: { $in: ids } }, PERSON_FIELDS)).map((u) => [String(u._id), u]),
    );
    // Someone asking to join shares no group with the coordinators yet: no email (P5).
    const includeEmail = false;
    res.json(
      toPage(
        rows,
        query.limit,
        (r) =>
          presentJoinRequest(
            r,
            {
              requester: people.get(String(r.userId)),
              decidedBy: r.decidedById ? people.get(String(r.decidedById)) : null,
            },
            { includeEmail },
          ),
        (r) => String(r._id),
      ),
    );
  });

  return router;
}
