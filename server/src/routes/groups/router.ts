/**
 * Groups: create (the creator becomes coordinator; subgroups by the parent's
 * coordinators), list (the viewer's own, open ones for discovery, or a
 * group's subgroups), show (404 for a group the viewer may not see) and edit
 * (coordinators). The member, invitation and join-request routes under
 * `/api/groups/:id/...` are mounted here from their own folders.
 */
import { Router, type Request } from 'express';
import type { Types } from 'mongoose';
import { requireUser } from '../../auth/authenticate.js';
import type { Viewer } from '../../auth/viewer.js';
import { createGroup } from '../../commands/groups/create-group.js';
import { updateGroup } from '../../commands/groups/update-group.js';
import { AuthorizationError, ValidationError } from '../../errors.js';
import { toPage } from '../../http/pagination.js';
import { parse } from '../../http/validate.js';
import { GroupModel, type GroupDocument } from '../../models/group.js';
import { MembershipModel } from '../../models/membership.js';
import {
  canCreateSubgroup,
  canManageGroup,
  canSeeGroup,
  isCoordinator,
} from '../../policies/group.js';
import type { ApiDeps } from '../deps.js';
import { groupInvitationsRouter } from '../invitations/group-router.js';
import { groupJoinLinksRouter } from '../join-links/group-router.js';
import { groupJoinRequestsRouter } from '../join-requests/group-router.js';
import { membershipsRouter } from '../memberships/router.js';
import { afterCursor, loadVisibleGroup, withRole } from './load.js';
import { presentGroupDetailFor, presentGroupsFor } from './present.js';
import { createGroupSchema, listGroupsSchema, updateGroupSchema } from './schema.js';
import { assertMayWrite } from '../../moderation/guard.js';

type ListQuery = ReturnType<typeof listGroupsSchema.parse>;

/** The parent a new subgroup goes under, checked: 400 when unknown or invisible, 403 when not its coordinator. */
async function loadParentFor(viewer: Viewer, parentId: string): Promise<GroupDocument> {
  const parent = await GroupModel.findById(parentId);
  if (!parent || !canSeeGroup(viewer, parent)) throw ValidationError('parentId', 'No such group');
  if (!canCreateSubgroup(viewer, parent)) {
    if (isCoordinator(viewer, parent))
      throw ValidationError('parentId', 'A subgroup cannot have subgroups of its own');
    throw AuthorizationError('Only coordinators of the parent group may create subgroups');
  }
  return parent;
}

async function listMine(viewer: Viewer, userId: Types.ObjectId, query: ListQuery) {
  const memberships = await MembershipModel.find({
    userId,
    suspendedAt: null,
    ...afterCursor(query.cursor),
  })
    .sort({ _id: 1 })
    .limit(query.limit + 1);
  const page = toPage(
    memberships,
    query.limit,
    (m) => m.groupId,
    (m) => String(m._id),
  );
  const groups = await GroupModel.find({ _id: { $in: page.items } });
  const byId = new Map(groups.map((g) => [String(g._id), g]));
  const ordered = page.items.flatMap((id) => byId.get(String(id)) ?? []);
  return { items: await presentGroupsFor(viewer, ordered), nextCursor: page.nextCursor };
}

async function listOpen(viewer: Viewer, query: ListQuery) {
  const rows = await GroupModel.find({ privacy: 'open', ...afterCursor(query.cursor) })
    .sort({ _id: 1 })
    .limit(query.limit + 1);
  const page = toPage(
    rows,
    query.limit,
    (g) => g,
    (g) => String(g._id),
  );
  return { items: await presentGroupsFor(viewer, page.items), nextCursor: page.nextCursor };
}

/** Subgroups the viewer may see, by the same rule as `canSeeGroup`, expressed as a query so pages stay full. */
async function listSubgroups(viewer: Viewer, parent: GroupDocument, query: ListQuery) {
  const own = [...viewer.roles.keys()];
  const visible: object[] = [{ privacy: { $ne: 'secret' } }, { _id: { $in: own } }];
  if (viewer.roles.has(String(parent._id))) visible.push({ parentMembersCanSee: true });
  const rows = await GroupModel.find({
    parentId: parent._id,
    $or: visible,
    ...afterCursor(query.cursor),
  })
    .sort({ _id: 1 })
    .limit(query.limit + 1);
  const page = toPage(
    rows,
    query.limit,
    (g) => g,
    (g) => String(g._id),
  );
  const items = page.items.filter((g) => canSeeGroup(viewer, g));
  return { items: await presentGroupsFor(viewer, items), nextCursor: page.nextCursor };
}

export function groupsRouter(deps: ApiDeps): Router {
  const router = Router();

  router.get('/', async (req: Request, res) => {
    const query = parse(listGroupsSchema, req.query);
    if (query.parentId !== undefined) {
      res.json(
        await listSubgroups(req.viewer, await loadVisibleGroup(req.viewer, query.parentId), query),
      );
    } else if (query.public === '1' || query.public === 'true') {
      res.json(await listOpen(req.viewer, query));
    } else {
      requireUser(req);
      res.json(await listMine(req.viewer, req.viewer.user._id, query));
    }
  });

  router.post('/', async (req, res) => {
    requireUser(req);
    const input = parse(createGroupSchema, req.body);
    await assertMayWrite(req.viewer, null);
    const parent = input.parentId ? await loadParentFor(req.viewer, input.parentId) : null;
    const group = await createGroup({ ...input, creatorId: req.viewer.user._id, parent });
    const viewer = withRole(req.viewer, group._id, 'coordinator');
    res.status(201).json({ group: await presentGroupDetailFor(viewer, group) });
  });

  router.get('/:group', async (req, res) => {
    const group = await loadVisibleGroup(req.viewer, req.params.group);
    res.json({ group: await presentGroupDetailFor(req.viewer, group) });
  });

  router.patch('/:group', async (req, res) => {
    const group = await loadVisibleGroup(req.viewer, req.params.group);
    requireUser(req);
    const changes = parse(updateGroupSchema, req.body);
    if (!canManageGroup(req.viewer, group))
      throw AuthorizationError('Only coordinators may change the group');
    await updateGroup(group, changes);
    res.json({ group: await presentGroupDetailFor(req.viewer, group) });
  });

  router.use('/', membershipsRouter());
  router.use('/', groupInvitationsRouter(deps));
  router.use('/', groupJoinRequestsRouter());
  router.use('/', groupJoinLinksRouter(deps));
  return router;
}
