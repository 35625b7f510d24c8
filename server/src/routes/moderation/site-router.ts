/**
 * `/api/moderation/site`: the site administrators' queue. It holds reports of
 * illegal content and reports a group's moderators escalated, and shows only
 * what was reported, never the rest of a private group (support access with
 * consent still governs that, P12). Actions: dismiss, remove the content, and
 * suspend an account across the site with a reason the person is told.
 */
import { Router, type Request } from 'express';
import { requireUser } from '../../auth/authenticate.js';
import { deleteComment } from '../../commands/comments/change.js';
import { AuthorizationError, NotFoundError, ValidationError } from '../../errors.js';
import { parse } from '../../http/validate.js';
import { CommentModel } from '../../models/comment.js';
import { ReportModel } from '../../models/report.js';
import { inForce, RestrictionModel } from '../../models/restriction.js';
import { UserModel } from '../../models/user.js';
import { loadPeople } from '../../commands/discussions/people.js';
import { siteQueueItems } from '../../moderation/queue.js';
import { recordModeration } from '../../moderation/record.js';
import { canReviewSiteReports } from '../../policies/moderation.js';
import { objectIdParam } from '../groups/load.js';
import { reasonSchema, siteActionSchema, suspendSchema } from './schema.js';
import type { RestrictionListItemDto } from '../../../../shared/moderation.js';

const SITE_QUEUE = {
  handledAt: null,
  $or: [{ reason: 'illegal' as const }, { escalated: true }],
};

function requireAdmin(req: Request): asserts req is Request & {
  viewer: { user: NonNullable<Request['viewer']['user']> };
} {
  requireUser(req);
  if (!canReviewSiteReports(req.viewer))
    throw AuthorizationError('Only site administrators may do this');
}

export function siteModerationRouter(): Router {
  const router = Router();

  router.get('/site/reports', async (req, res) => {
    requireAdmin(req);
    const reports = await ReportModel.find(SITE_QUEUE).sort({ createdAt: 1 }).limit(200).lean();
    res.json({ items: await siteQueueItems(reports) });
  });

  /** Dismiss the reports of a target, or remove the content (comments) for everyone. */
  router.post('/site/actions', async (req, res) => {
    requireAdmin(req);
    const input = parse(siteActionSchema, req.body);
    const report = await ReportModel.findOne({ ...SITE_QUEUE, targetId: input.target.id });
    if (!report) throw NotFoundError('Nothing reported to the site about this');
    let commentId = null;
    if (input.action === 'remove_content') {
      if (input.target.kind !== 'comment')
        throw ValidationError('target', 'Only comments can be removed from the site queue');
      const comment = await CommentModel.findById(input.target.id);
      if (!comment) throw NotFoundError('Comment not found');
      await deleteComment({ comment, actorId: req.viewer.user._id });
      commentId = comment._id;
    }
    await ReportModel.updateMany(
      { targetId: report.targetId, handledAt: null },
      {
        $set: { handledAt: new Date(), handledById: req.viewer.user._id, resolution: input.action },
      },
    );
    await recordModeration({
      actorId: req.viewer.user._id,
      action: input.action === 'dismiss' ? 'site_dismiss' : 'site_remove',
      reason: input.reason,
      groupId: report.groupId,
      subjectUserId: report.targetUserId,
      target: { kind: report.targetKind, id: report.targetId },
      discussionId: report.discussionId,
      commentId,
      ip: req.ip,
      tell: input.action === 'remove_content',
    });
    res.status(204).end();
  });

  /** Suspends an account across the site (for `minutes`, or until lifted); the person is told why. */
  router.post('/site/users/:id/suspension', async (req, res) => {
    requireAdmin(req);
    const input = parse(suspendSchema, req.body);
    const id = objectIdParam(req.params.id);
    const user = id ? await UserModel.findById(id, { _id: 1 }) : null;
    if (!user) throw NotFoundError('User not found');
    const until = input.minutes ? new Date(Date.now() + input.minutes * 60_000) : null;
    await RestrictionModel.updateMany(
      { userId: user._id, kind: 'suspension', liftedAt: null },
      { $set: { liftedAt: new Date() } },
    );
    await RestrictionModel.create({
      kind: 'suspension',
      userId: user._id,
      until,
      reason: input.reason,
      byId: req.viewer.user._id,
    });
    await recordModeration({
      actorId: req.viewer.user._id,
      action: 'suspend',
      reason: input.reason,
      groupId: null,
      subjectUserId: user._id,
      target: { kind: 'person', id: user._id },
      until,
      ip: req.ip,
      tell: true,
    });
    res.status(204).end();
  });

  /** Suspensions in force, newest first, with whom each concerns (so they can be lifted early). */
  router.get('/site/suspensions', async (req, res) => {
    requireAdmin(req);
    const rows = await RestrictionModel.find({ kind: 'suspension', ...inForce() })
      .sort({ createdAt: -1 })
      .limit(200)
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

  /** Lifts a suspension now. */
  router.delete('/site/users/:id/suspension', async (req, res) => {
    requireAdmin(req);
    const { reason } = parse(reasonSchema, req.body);
    const id = objectIdParam(req.params.id);
    const lifted = id
      ? await RestrictionModel.updateMany(
          { userId: id, kind: 'suspension', ...inForce() },
          { $set: { liftedAt: new Date() } },
        )
      : null;
    if (!id || !lifted?.modifiedCount) throw NotFoundError('No suspension in force');
    await recordModeration({
      actorId: req.viewer.user._id,
      action: 'unsuspend',
      reason,
      groupId: null,
      subjectUserId: id,
      target: { kind: 'person', id },
      ip: req.ip,
      tell: true,
    });
    res.status(204).end();
  });
  return router;
}
