/**
 * `/api/notifications`: the signed-in person's own notifications, newest
 * first, and marking them read. A notification names its discussion only
 * while its recipient may still read it.
 */
import { Router } from 'express';
import { requireUser } from '../../auth/authenticate.js';
import { decodeCursor, encodeCursor, olderThan } from '../../commands/discussions/list.js';
import { loadPeople } from '../../commands/discussions/people.js';
import { toPage } from '../../http/pagination.js';
import { parse } from '../../http/validate.js';
import { DiscussionModel } from '../../models/discussion.js';
import { GroupModel } from '../../models/group.js';
import { NotificationModel, type Notification } from '../../models/notification.js';
import { canReadDiscussion } from '../../policies/discussion.js';
import { presentNotification } from '../../presenters/notification.js';
import { markNotificationsReadSchema, notificationsPageSchema } from './schema.js';

export function notificationsRouter(): Router {
  const router = Router();

  router.get('/', async (req, res) => {
    requireUser(req);
    const query = parse(notificationsPageSchema, req.query);
    const userId = req.viewer.user._id;
    const rows = await NotificationModel.find({
      $and: [{ userId }, olderThan<Notification>('createdAt', decodeCursor(query.cursor))],
    })
      .sort({ createdAt: -1, _id: -1 })
      .limit(query.limit + 1)
      .lean();
    const discussionIds = [
      ...new Set(
        rows
          .map((row) => row.discussionId)
          .filter((id) => id !== null)
          .map(String),
      ),
    ];
    const discussions =
      discussionIds.length > 0
        ? await DiscussionModel.find({ _id: { $in: discussionIds } }).lean()
        : [];
    const groupIds = [
      ...new Set(
        discussions
          .map((d) => d.groupId)
          .filter((id) => id !== null)
          .map(String),
      ),
    ];
    const groups = new Map(
      (groupIds.length > 0 ? await GroupModel.find({ _id: { $in: groupIds } }).lean() : []).map(
        (g) => [String(g._id), g],
      ),
    );
    const readable = new Map(
      discussions
        .filter((d) =>
          canReadDiscussion(
            req.viewer,
            d,
            d.groupId ? (groups.get(String(d.groupId)) ?? null) : null,
          ),
        )
        .map((d) => [String(d._id), d]),
    );
    const people = await loadPeople(rows.map((row) => row.actorId));
    const page = toPage(
      rows,
      query.limit,
      (row) => {
        const discussion = row.discussionId
          ? (readable.get(String(row.discussionId)) ?? null)
          : null;
        // About a discussion the person may no longer read: neither it nor who acted in it is named.
        const hidden = row.discussionId !== null && discussion === null;
        return presentNotification(row, {
          actor: row.actorId && !hidden ? people(row.actorId) : null,
          discussion,
        });
      },
      (row) => encodeCursor({ at: row.createdAt, id: row._id }),
    );
    const unreadCount = await NotificationModel.countDocuments({ userId, readAt: null });
    res.json({ ...page, unreadCount });
  });

  router.post('/read', async (req, res) => {
    requireUser(req);
    const input = parse(markNotificationsReadSchema, req.body);
    const result = await NotificationModel.updateMany(
      {
        userId: req.viewer.user._id,
        readAt: null,
        ...('ids' in input ? { _id: { $in: input.ids } } : {}),
      },
      { $set: { readAt: new Date() } },
    );
    res.json({ updated: result.modifiedCount });
  });
  return router;
}
