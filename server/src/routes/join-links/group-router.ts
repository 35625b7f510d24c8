/**
 * A group's shareable join links, under `/api/groups/:group/join-links`, for
 * its coordinators: create one (expiry and use limit; the answer carries the
 * link, shown this once), list them newest first, and withdraw one. Others who
 * may see the group get 403; a group they may not see is 404.
 */
import { Router } from 'express';
import { appUrl, joinLinkPath } from '../../../../shared/routes.js';
import { requireUser } from '../../auth/authenticate.js';
import { createJoinLink, revokeJoinLink } from '../../commands/groups/join-links.js';
import { AuthorizationError, NotFoundError } from '../../errors.js';
import { toPage } from '../../http/pagination.js';
import { parse } from '../../http/validate.js';
import { JoinLinkModel } from '../../models/join-link.js';
import { UserModel } from '../../models/user.js';
import { canManageJoinLinks } from '../../policies/group.js';
import { presentJoinLink } from '../../presenters/join-link.js';
import type { ApiDeps } from '../deps.js';
import { afterCursor, loadVisibleGroup, objectIdParam, PERSON_FIELDS } from '../groups/load.js';
import { createJoinLinkSchema, listJoinLinksSchema, noBodySchema } from './schema.js';

const onlyCoordinators = () => AuthorizationError('Only coordinators may manage join links');

/** The address a join link's token is shared as. */
export const joinLinkUrl = (publicUrl: string, token: string) =>
  appUrl(publicUrl, joinLinkPath(token));

export function groupJoinLinksRouter(deps: ApiDeps): Router {
  const router = Router();

  router.post('/:group/join-links', async (req, res) => {
    const group = await loadVisibleGroup(req.viewer, req.params.group);
    requireUser(req);
    const input = parse(createJoinLinkSchema, req.body);
    if (!canManageJoinLinks(req.viewer, group)) throw onlyCoordinators();
    const creator = req.viewer.user;
    const { link, token } = await createJoinLink({ ...input, group, creator, ip: req.ip });
    res.status(201).json({
      joinLink: presentJoinLink(link, creator),
      token,
      url: joinLinkUrl(deps.config.publicUrl, token),
    });
  });

  router.get('/:group/join-links', async (req, res) => {
    const group = await loadVisibleGroup(req.viewer, req.params.group);
    requireUser(req);
    const query = parse(listJoinLinksSchema, req.query);
    if (!canManageJoinLinks(req.viewer, group)) throw onlyCoordinators();
    const rows = await JoinLinkModel.find({ groupId: group._id, ...afterCursor(query.cursor, -1) })
      .sort({ _id: -1 })
      .limit(query.limit + 1);
    const people = new Map(
      (await UserModel.find({ _id: { $in: rows.map((l) => l.createdById) } }, PERSON_FIELDS)).map(
        (u) => [String(u._id), u],
      ),
    );
    res.json(
      toPage(
        rows,
        query.limit,
        (link) => presentJoinLink(link, people.get(String(link.createdById))),
        (link) => String(link._id),
      ),
    );
  });

  router.delete('/:group/join-links/:id', async (req, res) => {
    const group = await loadVisibleGroup(req.viewer, req.params.group);
    requireUser(req);
    parse(noBodySchema, req.body);
    if (!canManageJoinLinks(req.viewer, group)) throw onlyCoordinators();
    const id = objectIdParam(req.params.id);
    const link = id ? await JoinLinkModel.findOne({ _id: id, groupId: group._id }) : null;
    if (!link) throw NotFoundError('Join link not found');
    const revoked = await revokeJoinLink(link, req.viewer.user, req.ip);
    const creator = await UserModel.findById(revoked.createdById, PERSON_FIELDS);
    res.json({ joinLink: presentJoinLink(revoked, creator) });
  });

  return router;
}
