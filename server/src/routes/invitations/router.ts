/**
 * Invitations by their token or id, under `/api/invitations`:
 * - `GET /:token`: what the link is about (group or discussion, inviter), for
 *   anyone holding it, signed in or not; never an email address, but whether
 *   the signed-in account is the invited one.
 * - `POST /:token/accept`: signed in with the invited address (403
 *   `invitation_wrong_account` otherwise); single use (410 `invitation_used`),
 *   410 `invitation_expired` / `invitation_revoked` otherwise.
 * - `POST /:token/signup`: signed out, no account at the invited address:
 *   creates one with that address (confirmed by the link), accepts, signs in.
 * - `DELETE /:id`: withdraw; the group's coordinators (for a guest invitation,
 *   the discussion's moderators and the inviter). To anyone else an
 *   invitation does not exist (404).
 * - `POST /`: invite guests to one discussion (`discussionId`), by those who
 *   may invite guests to it; accepting makes the person a guest of it only.
 */
import { Router } from 'express';
import { requireUser } from '../../auth/authenticate.js';
import { loadViewer, type Viewer } from '../../auth/viewer.js';
import { consume } from '../../auth/rate-limit.js';
import { signUpInvited } from '../../commands/accounts/sign-up-invited.js';
import { isInvitedAddress, maskEmail } from '../../commands/groups/invitation-address.js';
import {
  acceptInvitation,
  findUsableInvitation,
  revokeInvitation,
  sendInvitations,
} from '../../commands/groups/invitations.js';
import { AuthorizationError, NotFoundError, ValidationError } from '../../errors.js';
import { parse } from '../../http/validate.js';
import { DiscussionModel } from '../../models/discussion.js';
import { GroupModel } from '../../models/group.js';
import { InvitationModel, type InvitationDocument } from '../../models/invitation.js';
import { UserModel } from '../../models/user.js';
import { canInviteGuests, canModerate, canReadDiscussion } from '../../policies/discussion.js';
import { canManageMembers } from '../../policies/group.js';
import { presentInvitation, presentInvitationPreview } from '../../presenters/invitation.js';
import { respondSignedIn, signUpLimits } from '../auth/respond.js';
import type { ApiDeps } from '../deps.js';
import { objectIdParam, PERSON_FIELDS } from '../groups/load.js';
import { presentGroupDetailFor } from '../groups/present.js';
import { createGuestInvitationsSchema, noBodySchema, signUpInvitedSchema } from './schema.js';
import { assertMayWrite } from '../../moderation/guard.js';

const invitationNotFound = () => NotFoundError('Invitation not found');

/** Whether the viewer may withdraw (and so know of) an invitation. */
async function mayRevoke(viewer: Viewer, invitation: InvitationDocument): Promise<boolean> {
  if (invitation.groupId) {
    const group = await GroupModel.findById(invitation.groupId);
    return group !== null && canManageMembers(viewer, group);
  }
  if (viewer.user && invitation.invitedById.equals(viewer.user._id)) return true;
  const discussion = invitation.discussionId
    ? await DiscussionModel.findById(invitation.discussionId)
    : null;
  if (!discussion) return false;
  const group = discussion.groupId ? await GroupModel.findById(discussion.groupId) : null;
  return canModerate(viewer, discussion, group);
}

export function invitationsRouter(deps: ApiDeps): Router {
  const router = Router();

  router.post('/', async (req, res) => {
    requireUser(req);
    const input = parse(createGuestInvitationsSchema, req.body);
    const discussion = await DiscussionModel.findById(input.discussionId);
    const group = discussion?.groupId ? await GroupModel.findById(discussion.groupId) : null;
    if (!discussion || !canReadDiscussion(req.viewer, discussion, group)) {
      throw ValidationError('discussionId', 'No such discussion');
    }
    if (!canInviteGuests(req.viewer, discussion, group))
      throw AuthorizationError('You may not invite guests to this discussion');
    await assertMayWrite(req.viewer, discussion.groupId);
    const inviter = req.viewer.user;
    const invitations = await sendInvitations({
      target: { kind: 'discussion', discussion },
      inviter,
      emails: input.emails,
      role: 'member',
      message: input.message,
      mailer: deps.mailer,
      publicUrl: deps.config.publicUrl,
    });
    res.status(201).json({
      invitations: invitations.map((inv) => presentInvitation(inv, { invitedBy: inviter })),
    });
  });

  router.get('/:token', async (req, res) => {
    const invitation = await findUsableInvitation(req.params.token);
    const [invitedBy, group, discussion] = await Promise.all([
      UserModel.findById(invitation.invitedById, PERSON_FIELDS),
      invitation.groupId ? GroupModel.findById(invitation.groupId) : Promise.resolve(null),
      invitation.discussionId
        ? DiscussionModel.findById(invitation.discussionId)
        : Promise.resolve(null),
    ]);
    if (!group && !discussion) throw invitationNotFound();
    const me = req.viewer.user;
    const addressedToViewer = me ? isInvitedAddress(invitation.email, me.email) : null;
    res.json({
      invitation: presentInvitationPreview(invitation, {
        invitedBy,
        group,
        discussion,
        addressedToViewer,
        // What the refusal to accept would tell this account anyway, so the page can say it first.
        emailHint: addressedToViewer === false ? maskEmail(invitation.email) : null,
      }),
    });
  });

  router.post('/:token/accept', async (req, res) => {
    requireUser(req);
    parse(noBodySchema, req.body);
    const invitation = await acceptInvitation(req.params.token, req.viewer.user);
    const viewer = await loadViewer(req.viewer.user);
    const group = invitation.groupId ? await GroupModel.findById(invitation.groupId) : null;
    const discussion = invitation.discussionId
      ? await DiscussionModel.findById(invitation.discussionId)
      : null;
    res.json({
      group: group ? await presentGroupDetailFor(viewer, group) : null,
      discussion: discussion ? { id: String(discussion._id), title: discussion.title } : null,
    });
  });

  router.post('/:token/signup', async (req, res) => {
    const input = parse(signUpInvitedSchema, req.body);
    await consume(signUpLimits(deps, req.ip));
    const signedIn = await signUpInvited({ ...input, token: req.params.token, ip: req.ip }, deps);
    respondSignedIn(res, signedIn, deps, 201);
  });

  router.delete('/:id', async (req, res) => {
    requireUser(req);
    const id = objectIdParam(req.params.id);
    const invitation = id ? await InvitationModel.findById(id) : null;
    if (!invitation || !(await mayRevoke(req.viewer, invitation))) throw invitationNotFound();
    await revokeInvitation(invitation);
    res.status(204).end();
  });

  return router;
}
