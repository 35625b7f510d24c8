/**
 * The version history of collaborative texts, over REST:
 * - `GET /discussions/:id/context/versions`
 * - `GET /polls/:id/details/versions`
 *
 * Compaction keeps each settled version (persistence.ts); here readers of
 * the record see them, newest first, with who took part named through the
 * people presenter, so a deactivated or deleted account shows as such (P8,
 * P9). Signed-in readers only: a history of who wrote what is for those
 * taking part, not for passing visitors of a public discussion.
 */
import { Router, type Request } from 'express';
import { Types } from 'mongoose';
import { z } from 'zod';
import { requireUser } from '../auth/authenticate.js';
import { loadPeople } from '../commands/discussions/people.js';
import { loadReadableDiscussion } from '../commands/discussions/load.js';
import { loadReadablePoll } from '../commands/polls/load.js';
import { parse } from '../http/validate.js';
import { DocVersionModel } from '../models/doc-version.js';
import type { DocVersionDto } from '../../../shared/dto.js';

/** `limit` versions (default 20) older than the `before` version id, if given. */
export const versionsQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  before: z
    .string()
    .regex(/^[0-9a-f]{24}$/, 'Must be a version id')
    .optional(),
});

async function versionsOf(req: Request, key: string) {
  const query = parse(versionsQuerySchema, req.query);
  const rows = await DocVersionModel.find({
    doc: key,
    ...(query.before ? { _id: { $lt: new Types.ObjectId(query.before) } } : {}),
  })
    .sort({ _id: -1 })
    .limit(query.limit + 1)
    .lean();
  const shown = rows.slice(0, query.limit);
  const people = await loadPeople(shown.flatMap((row) => row.editorIds));
  const items: DocVersionDto[] = shown.map((row) => ({
    id: String(row._id),
    createdAt: row.createdAt.toISOString(),
    text: row.text,
    editors: row.editorIds.map((id) => people(id)),
  }));
  return { items, nextCursor: rows.length > query.limit ? items[items.length - 1].id : null };
}

/** The history routes, with full paths: mount at the `/api` router's root. */
export function versionRoutes(): Router {
  const router = Router();

  /** The settled versions of a discussion's context, newest first. */
  router.get('/discussions/:id/context/versions', async (req, res) => {
    // Whether the record exists is told to those who may read it only (404 before 401, P6).
    const { discussion } = await loadReadableDiscussion(req.viewer, req.params.id);
    requireUser(req);
    res.json(await versionsOf(req, `discussion:${String(discussion._id)}:context`));
  });

  /** The settled versions of a poll's details, newest first. */
  router.get('/polls/:id/details/versions', async (req, res) => {
    const { poll } = await loadReadablePoll(req.viewer, req.params.id);
    requireUser(req);
    res.json(await versionsOf(req, `poll:${String(poll._id)}:details`));
  });
  return router;
}
