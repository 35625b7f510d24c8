/**
 * `/api/moderation`: filing reports and following one's own, one's own
 * restrictions and the notices moderation sent one, and slow mode on a
 * discussion. The site administrators' queue is in site-router.ts.
 */
import { Router } from 'express';
import { Types } from 'mongoose';
import { requireUser } from '../../auth/authenticate.js';
import { loadReadableDiscussion } from '../../commands/discussions/load.js';
import { presentDiscussionFor } from '../../commands/discussions/view.js';
import { AuthorizationError } from '../../errors.js';
import { parse } from '../../http/validate.js';
import { ModerationNoticeModel } from '../../models/moderation-notice.js';
import { ReportModel } from '../../models/report.js';
import { presentNotice } from '../../moderation/present.js';
import { fileReport, presentOwnReport } from '../../moderation/reports.js';
import { ownRestrictions, presentRestriction } from '../../moderation/restrictions.js';
import { setSlowMode } from '../../moderation/settings.js';
import { canModerateGroup } from '../../policies/moderation.js';
import { reportSchema, slowModeSchema } from './schema.js';

export function moderationRouter(): Router {
  const router = Router();

  /** 201 with the report as its reporter sees it (200 with the open one when repeated). */
  router.post('/reports', async (req, res) => {
    requireUser(req);
    const input = parse(reportSchema, req.body);
    const { report, created } = await fileReport({
      viewer: req.viewer,
      targetKind: input.target.kind,
      targetId: input.target.id,
      groupId: input.groupId ? new Types.ObjectId(input.groupId) : undefined,
      reason: input.reason,
      note: input.note,
    });
    res.status(created ? 201 : 200).json({ report: presentOwnReport(report) });
  });

  /** One's own reports, newest first: received or handled, never what was done or by whom. */
  router.get('/reports/mine', async (req, res) => {
    requireUser(req);
    const rows = await ReportModel.find({ reporterId: req.viewer.user._id })
      .sort({ createdAt: -1 })
      .limit(100)
      .lean();
    res.json({ items: rows.map(presentOwnReport) });
  });

  /** One's own mutes and suspension in force, and the latest notices of what moderation did. */
  router.get('/me', async (req, res) => {
    requireUser(req);
    const [restrictions, notices] = await Promise.all([
      ownRestrictions(req.viewer.user._id),
      ModerationNoticeModel.find({ userId: req.viewer.user._id })
        .sort({ createdAt: -1 })
        .limit(50)
        .lean(),
    ]);
    res.json({
      restrictions: restrictions.map(presentRestriction),
      notices: notices.map(presentNotice),
    });
  });

  /** Slow mode on a discussion (0 turns it off); its moderators only. */
  router.put('/discussions/:id/slow-mode', async (req, res) => {
    requireUser(req);
    const input = parse(slowModeSchema, req.body);
    const { discussion, group } = await loadReadableDiscussion(req.viewer, req.params.id);
    if (!canModerateGroup(req.viewer, group))
      throw AuthorizationError("Only the group's moderators may set slow mode");
    const changed = await setSlowMode({
      discussion,
      seconds: input.seconds,
      reason: input.reason,
      actorId: req.viewer.user._id,
      ip: req.ip,
    });
    res.json({
      discussion: await presentDiscussionFor(req.viewer, { discussion: changed, group }),
    });
  });
  return router;
}
