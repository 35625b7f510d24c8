/**
 * Support access with consent (P12). Under `/api/groups/:group/support-access`
 * a group's coordinators grant the site's administrators read access for
 * 1-168 hours, revoke it, and read the support audit: grants, revocations and
 * every read made under a grant. `/api/support/grants` tells administrators
 * which groups have granted access (names only; reading goes through the
 * ordinary routes, audited).
 */
import { Router } from 'express';
import type { Types } from 'mongoose';
import { requireUser } from '../../auth/authenticate.js';
import { recordAudit } from '../../commands/audit/record.js';
import { loadPeople } from '../../commands/discussions/people.js';
import { AuthorizationError } from '../../errors.js';
import { parse } from '../../http/validate.js';
import { AuditEntryModel } from '../../models/audit-entry.js';
import { GroupModel } from '../../models/group.js';
import { activeGrantFilter, SupportGrantModel } from '../../models/support-grant.js';
import { canManageGroup } from '../../policies/group.js';
import { loadVisibleGroup } from '../groups/load.js';
import { presentSupportAuditEntry, presentSupportGrant } from './present.js';
import { grantSupportSchema, noBodySchema } from './schema.js';

/** The audit actions that make up a group's support history. */
export const SUPPORT_ACTIONS = ['support_access_granted', 'support_access_revoked', 'support_read'];

/** How many audit entries the coordinators' view shows, newest first. */
const AUDIT_SHOWN = 200;

const onlyCoordinators = () =>
  AuthorizationError("Only the group's coordinators manage support access");

/** Ends every grant of the group in force now; returns whether there was one. */
async function revokeActive(
  groupId: Types.ObjectId,
  by: Types.ObjectId,
  now: Date,
): Promise<boolean> {
  const result = await SupportGrantModel.updateMany(
    { groupId, ...activeGrantFilter(now) },
    { $set: { revokedAt: now, revokedById: by } },
  );
  return result.modifiedCount > 0;
}

export function groupSupportRouter(): Router {
  const router = Router();

  /** The grant in force (or null) and the support audit, newest first. */
  router.get('/:group/support-access', async (req, res) => {
    const group = await loadVisibleGroup(req.viewer, req.params.group);
    requireUser(req);
    if (!canManageGroup(req.viewer, group)) throw onlyCoordinators();
    const [grant, audit] = await Promise.all([
      SupportGrantModel.findOne({ groupId: group._id, ...activeGrantFilter() })
        .sort({ expiresAt: -1 })
        .lean(),
      AuditEntryModel.find({ groupId: group._id, action: { $in: SUPPORT_ACTIONS } })
        .sort({ _id: -1 })
        .limit(AUDIT_SHOWN)
        .lean(),
    ]);
    const people = await loadPeople([
      ...(grant ? [grant.grantedById] : []),
      ...audit.map((entry) => entry.actorId),
    ]);
    res.json({
      grant: grant ? presentSupportGrant(grant, people) : null,
      audit: audit.map((entry) => presentSupportAuditEntry(entry, people)),
    });
  });

  /** Grant (or replace the current grant with) access for `hours` from now. */
  router.post('/:group/support-access', async (req, res) => {
    const group = await loadVisibleGroup(req.viewer, req.params.group);
    requireUser(req);
    if (!canManageGroup(req.viewer, group)) throw onlyCoordinators();
    const { hours } = parse(grantSupportSchema, req.body);
    const me = req.viewer.user;
    const now = new Date();
    await revokeActive(group._id, me._id, now);
    const grant = await SupportGrantModel.create({
      groupId: group._id,
      grantedById: me._id,
      expiresAt: new Date(now.getTime() + hours * 3600_000),
    });
    await recordAudit({
      actorId: me._id,
      action: 'support_access_granted',
      groupId: group._id,
      target: { kind: 'support_grant', id: grant._id },
      ip: req.ip,
      at: now,
    });
    res.status(201).json({ grant: presentSupportGrant(grant, await loadPeople([me._id])) });
  });

  /** Revoke the grant in force at once; 204 also when there was none. */
  router.delete('/:group/support-access', async (req, res) => {
    const group = await loadVisibleGroup(req.viewer, req.params.group);
    requireUser(req);
    if (!canManageGroup(req.viewer, group)) throw onlyCoordinators();
    parse(noBodySchema, req.body);
    const me = req.viewer.user;
    const now = new Date();
    if (await revokeActive(group._id, me._id, now)) {
      await recordAudit({
        actorId: me._id,
        action: 'support_access_revoked',
        groupId: group._id,
        ip: req.ip,
        at: now,
      });
    }
    res.status(204).end();
  });

  return router;
}

/** `/api/support`: what administrators may know about grants (which groups, until when). */
export function supportRouter(): Router {
  const router = Router();

  router.get('/grants', async (req, res) => {
    requireUser(req);
    if (!req.viewer.user.isAdmin)
      throw AuthorizationError('Only site administrators see support grants');
    const grants = await SupportGrantModel.find(activeGrantFilter()).sort({ expiresAt: 1 }).lean();
    const groups = await GroupModel.find(
      { _id: { $in: grants.map((g) => g.groupId) } },
      { name: 1, handle: 1 },
    ).lean();
    const byId = new Map(groups.map((g) => [String(g._id), g]));
    res.json({
      items: grants.flatMap((grant) => {
        const group = byId.get(String(grant.groupId));
        return group
          ? [
              {
                group: { id: String(group._id), name: group.name, handle: group.handle },
                expiresAt: grant.expiresAt.toISOString(),
              },
            ]
          : [];
      }),
    });
  });

  return router;
}
