/**
 * `/api/groups/:group/moderation/...` and `/api/groups/:group/moderators`: a
 * group's review queue and the actions on it, its restrictions in force, its
 * hold-first-posts setting, and naming moderators. Moderators and
 * coordinators only (a group one may not see is 404, as everywhere).
 */
import { Router, type Request } from 'express';
import { requireUser } from '../../auth/authenticate.js';
import { AuthorizationError } from '../../errors.js';
import { parse } from '../../http/validate.js';
import { inForce, RestrictionModel } from '../../models/restriction.js';
import { loadPeople } from '../../commands/discussions/people.js';
import { moderate } from '../../moderation/actions.js';
import { groupQueue } from '../../moderation/queue.js';
import { liftRestriction, setHoldPosts, setModerator } from '../../moderation/settings.js';
import { canModerateGroup, canNameModerators } from '../../policies/moderation.js';
import { loadVisibleGroup, objectIdParam } from '../groups/load.js';
import { actionSchema, holdPostsSchema, noBodySchema, reasonSchema } from './schema.js';
import { NotFoundError } from '../../errors.js';
import type { RestrictionListItemDto } from '../../../../shared/moderation.js';

async function loadModeratedGroup(req: Request) {
  const group = await loadVisibleGroup(req.viewer, req.params.group as string);
  requireUser(req);
  if (!canModerateGroup(req.viewer, group))
    throw AuthorizationError("Only the group's moderators may do this");
  return group;
}

export function groupModerationRouter(): Router {
  const router = Router();

  /** Open items, oldest first: reports grouped by target, held posts, the authors' history. */
  router.get('/:group/moderation/queue', async (req, res) => {
    const group = await loadModeratedGroup(req);
    res.json({ groupId: String(group._id), items: await groupQueue(group._id) });
  });

  /** One action on a target (reported or not); the queue and everyone affected update live. */
  router.post('/:group/moderation/actions', async (req, res) => {
    const group = await loadModeratedGroup(req);
    requireUser(req);
    const input = parse(actionSchema, req.body);
    await moderate({ viewer: req.viewer, group, ...input, ip: req.ip });
    res.status(204).end();
  });

  /** Mutes and bans in force in the group. */
  router.get('/:group/moderation/restrictions', async (req, res) => {
    const group = await loadModeratedGroup(req);
    const rows = await RestrictionModel.find({ groupId: group._id, ...inForce() })
      .sort({ createdAt: -1 })
      .lean();
    const people = await loadPeople(rows.map((r) => r.userId));
    const items: RestrictionListItemDto[] = rows.map((r) => ({
      id: String(r._id),
      kind: r.kind,
      person: people(r.userId),
      until: r.until?.toISOString() ?? null,
      reason: r.reason,
      createdAt: r.createdAt.toISOString(),
    }));
    res.json({ items });
  });

  /** Lifts a mute or a ban now (with a reason, told to the person). */
  router.delete('/:group/moderation/restrictions/:id', async (req, res) => {
    const group = await loadModeratedGroup(req);
    requireUser(req);
    const { reason } = parse(reasonSchema, req.body);
    const id = objectIdParam(req.params.id);
    if (!id) throw NotFoundError('Restriction not found');
    await liftRestriction({
      group,
      restrictionId: String(id),
      actorId: req.viewer.user._id,
      reason,
      ip: req.ip,
    });
    res.status(204).end();
  });

  /** Hold first posts: `off`, `first` (until one is approved) or `recent` (members of less than `holdDays`). */
  router.put('/:group/moderation/settings', async (req, res) => {
    const group = await loadModeratedGroup(req);
    requireUser(req);
    const input = parse(holdPostsSchema, req.body);
    const changed = await setHoldPosts({
      group,
      ...input,
      actorId: req.viewer.user._id,
      ip: req.ip,
    });
    res.json({ moderation: changed.moderation });
  });

  for (const [method, moderator] of [
    ['put', true],
    ['delete', false],
  ] as const) {
    /** Names (PUT) or un-names (DELETE) a member moderator; coordinators only. */
    router[method]('/:group/moderators/:user', async (req, res) => {
      const group = await loadVisibleGroup(req.viewer, req.params.group);
      requireUser(req);
      parse(noBodySchema, req.body);
      if (!canNameModerators(req.viewer, group))
        throw AuthorizationError('Only coordinators may name moderators');
      const userId = objectIdParam(req.params.user);
      if (!userId) throw NotFoundError('Member not found');
      await setModerator({
        group,
        userId,
        moderator,
        actorId: req.viewer.user._id,
        reason: moderator ? 'named moderator' : 'no longer moderator',
        ip: req.ip,
      });
      res.status(204).end();
    });
  }
  return router;
}
