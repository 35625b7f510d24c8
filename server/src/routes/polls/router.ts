/**
 * Polls and proposals under `/api`:
 * - `GET  /discussions/:id/polls` the discussion's polls, newest first (paginated)
 * - `POST /discussions/:id/polls` start a poll (`canStartPoll` on the discussion)
 * - `GET  /polls/:id`, `PATCH /polls/:id` (title, details, closesAt, anonymous on)
 * - votes (votes.ts) and closing, reopening, outcome (lifecycle.ts).
 * A poll is as visible as its discussion: otherwise 404. Results, voter counts
 * and votes reach a viewer only when the poll policy says they may see them.
 */
import { assertMayPost, assertMayWrite } from '../../moderation/guard.js';
import { Router } from 'express';
import { Types } from 'mongoose';
import { requireUser } from '../../auth/authenticate.js';
import { loadReadableDiscussion } from '../../commands/discussions/load.js';
import { createPoll } from '../../commands/polls/create-poll.js';
import { loadReadablePoll } from '../../commands/polls/load.js';
import { AnonymityIrreversibleError, updatePoll } from '../../commands/polls/update-poll.js';
import { AuthorizationError, ConflictError, ValidationError } from '../../errors.js';
import { parse } from '../../http/validate.js';
import { PollModel } from '../../models/poll.js';
import { discussionAbilities } from '../../policies/discussion.js';
import { canManagePoll, isPollOpen } from '../../policies/poll.js';
import { closingTimeFromInput, rulesFromInput, votersFromInput } from './create.js';
import { lifecycleRoutes } from './lifecycle.js';
import { presentPollFor, presentPollsFor } from './present.js';
import { createPollSchema, pageSchema, updatePollSchema } from './schema.js';
import { voteRoutes } from './votes.js';

/** The poll routes, with full paths: mount at the `/api` router's root. */
export function pollRoutes(): Router {
  const router = Router();

  router.get('/discussions/:id/polls', async (req, res) => {
    const page = parse(pageSchema, req.query);
    const loaded = await loadReadableDiscussion(req.viewer, req.params.id);
    const filter = {
      discussionId: loaded.discussion._id,
      ...(page.cursor ? { _id: { $lt: new Types.ObjectId(page.cursor) } } : {}),
    };
    const rows = await PollModel.find(filter)
      .sort({ _id: -1 })
      .limit(page.limit + 1);
    const shown = rows.slice(0, page.limit);
    res.json({
      items: await presentPollsFor(req.viewer, shown, loaded),
      nextCursor: rows.length > page.limit ? String(shown[shown.length - 1]._id) : null,
    });
  });

  router.post('/discussions/:id/polls', async (req, res) => {
    requireUser(req);
    const input = parse(createPollSchema, req.body);
    const loaded = await loadReadableDiscussion(req.viewer, req.params.id);
    if (!discussionAbilities(req.viewer, loaded.discussion, loaded.group).canStartPoll) {
      throw AuthorizationError('You may not start a poll in this discussion');
    }
    await assertMayPost(req.viewer, { groupId: loaded.discussion.groupId });
    const rules = rulesFromInput(input);
    const closesAt = closingTimeFromInput(input);
    const voterIds = await votersFromInput(input, loaded);
    const poll = await createPoll({
      discussion: loaded.discussion,
      authorId: req.viewer.user._id,
      rules,
      title: input.title,
      details: input.details,
      closesAt,
      anonymous: input.anonymous,
      hideResults: input.hideResults,
      voterIds,
      reasonRequired: input.reasonRequired,
    });
    res.status(201).json({ poll: await presentPollFor(req.viewer, poll, loaded) });
  });

  router.get('/polls/:id', async (req, res) => {
    const { poll, ...loaded } = await loadReadablePoll(req.viewer, req.params.id);
    res.json({ poll: await presentPollFor(req.viewer, poll, loaded) });
  });

  router.patch('/polls/:id', async (req, res) => {
    requireUser(req);
    const input = parse(updatePollSchema, req.body);
    const { poll, ...loaded } = await loadReadablePoll(req.viewer, req.params.id);
    if (!canManagePoll(req.viewer, poll, loaded))
      throw AuthorizationError('Only the poll’s author and coordinators may edit it');
    await assertMayWrite(req.viewer, loaded.discussion.groupId);
    if (input.anonymous === false && poll.anonymous) throw AnonymityIrreversibleError();
    if (!isPollOpen(poll)) throw ConflictError('A closed poll cannot be edited; reopen it first');
    if (input.closesAt === null && poll.kind !== 'proposal') {
      throw ValidationError('closesAt', 'is required for this kind of poll');
    }
    const updated = await updatePoll({ poll, ...input, actorId: req.viewer.user._id });
    res.json({ poll: await presentPollFor(req.viewer, updated, loaded) });
  });

  router.use(voteRoutes());
  router.use(lifecycleRoutes());
  return router;
}
