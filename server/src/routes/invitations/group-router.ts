/**
 * A group's invitations, under `/api/groups/:group/invitations`: sending them
 * (whoever may add members; only coordinators may invite coordinators) and
 * listing them (coordinators, who may see the invited addresses).
 */
import { Router } from 'express';
import { requireUser } from '../../auth/authenticate.js';
import { sendInvitations } from '../../commands/groups/invitations.js';
import { AuthorizationError } from '../../errors.js';
import { toPage } from '../../http/pagination.js';
import { parse } from '../../http/validate.js';
import { InvitationModel, type InvitationStatus } from '../../models/invitation.js';
import { UserModel } from '../../models/user.js';
import { canAddMembers, canInviteCoordinators, canManageMembers } from '../../policies/group.js';
import { presentInvitation } from '../../presenters/invitation.js';
import type { ApiDeps } from '../deps.js';
import { afterCursor, loadVisibleGroup, PERSON_FIELDS } from '../groups/load.js';
import { createGroupInvitationsSchema, listInvitationsSchema } from './schema.js';
import { assertMayWrite } from '../../moderation/guard.js';

/** The stored-field condition for an invitation status at `now`. */
function statusFilter(status: InvitationStatus | undefined, now: Date) {
  switch (status) {
    case 'pending':
      return { acceptedAt: null, revokedAt: null, expiresAt: { $gt: now } };
    case 'accepted':
      return { acceptedAt: { $ne: null } };
    case 'revoked':
      return { acceptedAt: null, revokedAt: { $ne: null } };
    case 'expired':
      return { acceptedAt: null, revokedAt: null, expiresAt: { $lte: now } };
    default:
      return {};
  }
}

export function groupInvitationsRouter(deps: ApiDeps): Router {
  const router = Router();

  router.post('/:group/invitations', async (req, res) => {
    const group = await loadVisibleGroup(req.viewer, req.params.group);
    requireUser(req);
    const input = parse(createGroupInvitationsSchema, req.body);
    if (!canAddMembers(req.viewer, group))
      throw AuthorizationError('You may not invite people to this group');
    if (input.role === 'coordinator' && !canInviteCoordinators(req.viewer, group)) {
      throw AuthorizationError('Only coordinators may invite coordinators');
    }
    await assertMayWrite(req.viewer, group._id);
    const inviter = req.viewer.user;
    const invitations = await sendInvitations({
      target: { kind: 'group', group },
      inviter,
      emails: input.emails,
      role: input.role,
      message: input.message,
      mailer: deps.mailer,
      publicUrl: deps.config.publicUrl,
    });
    res.status(201).json({
      invitations: invitations.map((inv) => presentInvitation(inv, { invitedBy: inviter })),
    });
  });

  router.get('/:group/invitations', async (req, res) => {
    const group = await loadVisibleGroup(req.viewer, req.params.group);
    requireUser(req);
    const query = parse(listInvitationsSchema, req.query);
    if (!canManageMembers(req.viewer, group))
      throw AuthorizationError('Only coordinators may see invitations');
    const rows = await InvitationModel.find({
      groupId: group._id,
      ...statusFilter(query.status, new Date()),
      ...afterCursor(query.cursor, -1),
    })
      .sort({ _id: -1 })
      .limit(query.limit + 1);
    const ids = rows.flatMap((inv) =>
      inv.acceptedById ? [inv.invitedById, inv.acceptedById] : [inv.invitedById],
    );
    const people = new Map(
      (await UserModel.find({ _id: { $in: ids } }, PERSON_FIELDS)).map((u) => [String(u._id), u]),
    );
    res.json(
      toPage(
        rows,
        query.limit,
        (inv) =>
          presentInvitation(inv, {
            invitedBy: people.get(String(inv.invitedById)),
            acceptedBy: inv.acceptedById ? people.get(String(inv.acceptedById)) : null,
          }),
        (inv) => String(inv._id),
      ),
    );
  });

  return router;
}
