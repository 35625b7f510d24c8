/**
 * Join links by their token, under `/api/join-links`:
 * - `GET /:token`: the group the link leads to, for anyone holding it, signed
 *   in or not (a secret group included: its coordinators shared the link);
 *   404 when unknown, 410 `join_link_expired` / `join_link_revoked` /
 *   `join_link_used_up` when spent.
 * - `POST /:token/join`: signed in; become a member, counting one use (none
 *   for someone already in the group).
 */
import { Router } from 'express';
import { requireUser } from '../../auth/authenticate.js';
import { loadViewer } from '../../auth/viewer.js';
import { findUsableJoinLink, joinThroughLink } from '../../commands/groups/join-links.js';
import { NotFoundError } from '../../errors.js';
import { parse } from '../../http/validate.js';
import { GroupModel } from '../../models/group.js';
import { isMember } from '../../policies/group.js';
import { presentJoinLinkPreview } from '../../presenters/join-link.js';
import { presentGroupDetailFor } from '../groups/present.js';
import { noBodySchema } from './schema.js';

export function joinLinksRouter(): Router {
  const router = Router();

  router.get('/:token', async (req, res) => {
    const link = await findUsableJoinLink(req.params.token);
    const group = await GroupModel.findById(link.groupId);
    if (!group) throw NotFoundError('Join link not found');
    const alreadyMember = req.viewer.user ? isMember(req.viewer, group) : null;
    res.json({ joinLink: presentJoinLinkPreview(link, group, alreadyMember) });
  });

  router.post('/:token/join', async (req, res) => {
    requireUser(req);
    parse(noBodySchema, req.body);
    const { groupId, joined } = await joinThroughLink(req.params.token, req.viewer.user, req.ip);
    const group = await GroupModel.findById(groupId);
    if (!group) throw NotFoundError('Join link not found');
    const viewer = await loadViewer(req.viewer.user);
    res
      .status(joined ? 201 : 200)
      .json({ group: await presentGroupDetailFor(viewer, group), joined });
  });

  return router;
}
