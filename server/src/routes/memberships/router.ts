/**
 * A group's people, under `/api/groups/:group/...`: the member list (readable
 * by whoever may read the group's content; email addresses for the group's
 * coordinators only, P5), promote and demote, remove, leave, and joining an
 * open group directly. A group always keeps an active coordinator.
 */
import { Router, type Request, type Response } from 'express';
import type { GroupRole } from '../../../../shared/domain.js';
import { requireUser } from '../../auth/authenticate.js';
import { changeMemberRole, joinGroup, removeMembership } from '../../commands/groups/roster.js';
import {
  AuthenticationError,
  AuthorizationError,
  ConflictError,
  NotFoundError,
} from '../../errors.js';
import { toPage } from '../../http/pagination.js';
import { parse } from '../../http/validate.js';
import { MembershipModel } from '../../models/membership.js';
import { UserModel } from '../../models/user.js';
import {
  canJoinDirectly,
  canManageMembers,
  canSeeMemberEmails,
  canSeeMembers,
  isMember,
} from '../../policies/group.js';
import { presentMember } from '../../presenters/membership.js';
import {
  afterCursor,
  loadVisibleGroup,
  objectIdParam,
  PERSON_FIELDS,
  withRole,
} from '../groups/load.js';
import { presentGroupDetailFor } from '../groups/present.js';
import { listMembersSchema, noBodySchema } from './schema.js';

const memberNotFound = () => NotFoundError('Member not found');

function changeRole(role: GroupRole) {
  return async (req: Request, res: Response) => {
    const group = await loadVisibleGroup(req.viewer, req.params.group as string);
    requireUser(req);
    parse(noBodySchema, req.body);
    if (!canManageMembers(req.viewer, group))
      throw AuthorizationError('Only coordinators may change roles');
    const userId = objectIdParam(req.params.userId as string);
    if (!userId) throw memberNotFound();
    const membership = await changeMemberRole({ groupId: group._id, userId, role });
    const user = await UserModel.findById(userId, PERSON_FIELDS);
    res.json({
      member: presentMember(membership, user, {
        includeEmail: canSeeMemberEmails(req.viewer, group),
      }),
    });
  };
}

export function membershipsRouter(): Router {
  const router = Router();

  router.get('/:group/members', async (req, res) => {
    const group = await loadVisibleGroup(req.viewer, req.params.group);
    const query = parse(listMembersSchema, req.query);
    if (!canSeeMembers(req.viewer, group)) {
      throw req.viewer.user
        ? AuthorizationError('Only members may see who belongs to this group')
        : AuthenticationError();
    }
    const rows = await MembershipModel.find({ groupId: group._id, ...afterCursor(query.cursor) })
      .sort({ _id: 1 })
      .limit(query.limit + 1);
    const users = await UserModel.find({ _id: { $in: rows.map((m) => m.userId) } }, PERSON_FIELDS);
    const byId = new Map(users.map((u) => [String(u._id), u]));
    const includeEmail = canSeeMemberEmails(req.viewer, group);
    res.json(
      toPage(
        rows,
        query.limit,
        (m) => presentMember(m, byId.get(String(m.userId)), { includeEmail }),
        (m) => String(m._id),
      ),
    );
  });

  router.post('/:group/members/:userId/promote', changeRole('coordinator'));
  router.post('/:group/members/:userId/demote', changeRole('member'));

  router.delete('/:group/members/:userId', async (req, res) => {
    const group = await loadVisibleGroup(req.viewer, req.params.group);
    requireUser(req);
    if (!canManageMembers(req.viewer, group))
      throw AuthorizationError('Only coordinators may remove members');
    const userId = objectIdParam(req.params.userId);
    if (!userId) throw memberNotFound();
    await removeMembership({
      groupId: group._id,
      userId,
      leaving: userId.equals(req.viewer.user._id),
    });
    res.status(204).end();
  });

  router.post('/:group/leave', async (req, res) => {
    const group = await loadVisibleGroup(req.viewer, req.params.group);
    requireUser(req);
    parse(noBodySchema, req.body);
    if (!isMember(req.viewer, group)) throw NotFoundError('You are not a member of this group');
    await removeMembership({ groupId: group._id, userId: req.viewer.user._id, leaving: true });
    res.status(204).end();
  });

  router.post('/:group/join', async (req, res) => {
    const group = await loadVisibleGroup(req.viewer, req.params.group);
    requireUser(req);
    parse(noBodySchema, req.body);
    if (isMember(req.viewer, group)) throw ConflictError('You are already a member of this group');
    if (!canJoinDirectly(req.viewer, group))
      throw AuthorizationError('This group does not let people join directly');
    await joinGroup({ groupId: group._id, userId: req.viewer.user._id });
    const viewer = withRole(req.viewer, group._id, 'member');
    res.status(201).json({ group: await presentGroupDetailFor(viewer, group) });
  });

  return router;
}
