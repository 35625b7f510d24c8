/**
 * `GET /api/groups/:group/audit`: the audit entries that concern a group,
 * for its coordinators (P9, P12). They learn that something happened (a
 * member's content was redacted by the Data Protection Officer, how many
 * records, when), never what the content was nor the reason given.
 */
import { Router } from 'express';
import { requireUser } from '../../auth/authenticate.js';
import { loadPeople } from '../../commands/discussions/people.js';
import { AuthorizationError } from '../../errors.js';
import { paginationSchema, toPage } from '../../http/pagination.js';
import { parse } from '../../http/validate.js';
import { AuditEntryModel } from '../../models/audit-entry.js';
import { canManageMembers } from '../../policies/group.js';
import { presentGroupAuditEntry } from '../../presenters/audit-entry.js';
import { afterCursor, loadVisibleGroup } from '../groups/load.js';

export function groupAuditRouter(): Router {
  const router = Router();
  router.get('/:group/audit', async (req, res) => {
    const group = await loadVisibleGroup(req.viewer, req.params.group);
    requireUser(req);
    const query = parse(paginationSchema, req.query);
    if (!canManageMembers(req.viewer, group))
      throw AuthorizationError("Only coordinators may see the group's audit log");
    const rows = await AuditEntryModel.find({
      groupId: group._id,
      ...afterCursor(query.cursor, -1),
    })
      .sort({ _id: -1 })
      .limit(query.limit + 1)
      .lean();
    const people = await loadPeople(rows.flatMap((e) => [e.actorId, e.subjectUserId]));
    res.json(
      toPage(
        rows,
        query.limit,
        (e) => presentGroupAuditEntry(e, people),
        (e) => String(e._id),
      ),
    );
  });
  return router;
}
