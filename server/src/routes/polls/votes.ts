/**
 * Votes under `/api/polls/:id`:
 * - `PUT /vote` casts or changes the viewer's vote (`canVote`), checked by the
 *   shared `validateChoices` (400 naming the field);
 * - `GET /votes` lists votes with their reasons (paginated), only to a viewer
 *   who may see the results (otherwise 403 `results_hidden`). In an anonymous
 *   poll the list carries no voter, no vote id and no time, for everyone, in a
 *   random but stable order, and while it takes votes only the ballots of its
 *   last published batch, as they were then; the viewer's own vote is marked
 *   `mine`.
 */
import { assertMayWrite } from '../../moderation/guard.js';
import { Router } from 'express';
import { Types } from 'mongoose';
import { validateChoices } from '../../../../shared/polls.js';
import { requireUser } from '../../auth/authenticate.js';
import type { Viewer } from '../../auth/viewer.js';
import { PollClosedError, castVote } from '../../commands/polls/cast-vote.js';
import { loadPeople } from '../../commands/discussions/people.js';
import { heldPoll, loadReadablePoll, ownVotes } from '../../commands/polls/load.js';
import {
  loadReadableHeldDiscussion,
  peopleToPresent,
} from '../../commands/discussions/load-held.js';
import { rulesOf } from '../../commands/polls/rules.js';
import { AuthorizationError, HttpError, ValidationError } from '../../errors.js';
import { parse } from '../../http/validate.js';
import { PollModel, type PollDocument } from '../../models/poll.js';
import { VoteModel, type Vote } from '../../models/vote.js';
import { canSeeResults, isEligibleVoter, isPollOpen, isTallyBatched } from '../../policies/poll.js';
import { presentOwnVote, presentVote } from '../../presenters/vote.js';
import { presentPollForVoter } from './present.js';
import { pageSchema, voteSchema } from './schema.js';

/** Results, and so votes, are hidden from this viewer for now. */
export const ResultsHiddenError = () =>
  new HttpError(
    'results_hidden',
    403,
    'The results of this poll are hidden until you vote or it closes',
  );

async function listVotes(
  viewer: Viewer,
  poll: PollDocument,
  page: { limit: number; cursor?: string },
) {
  const me = viewer.user ? String(viewer.user._id) : null;
  if (poll.anonymous) {
    // While it takes votes, the ballots as the last published batch has them.
    const batched = isTallyBatched(poll);
    const rows = await VoteModel.find({
      pollId: poll._id,
      ...(batched ? { published: { $ne: null } } : {}),
      ...(page.cursor ? { sortKey: { $gt: page.cursor } } : {}),
    })
      .sort({ sortKey: 1 })
      .limit(page.limit + 1)
      .lean();
    const shown = rows.slice(0, page.limit);
    const ballot = (v: Vote): Vote =>
      batched && v.published
        ? { ...v, choices: v.published.choices, reason: v.published.reason }
        : v;
    return {
      items: shown.map((v) =>
        presentVote(ballot(v), { anonymous: true, mine: String(v.userId) === me }),
      ),
      nextCursor: rows.length > page.limit ? shown[shown.length - 1].sortKey : null,
    };
  }
  const rows = await VoteModel.find({
    pollId: poll._id,
    ...(page.cursor ? { _id: { $lt: new Types.ObjectId(page.cursor) } } : {}),
  })
    .sort({ _id: -1 })
    .limit(page.limit + 1);
  const shown = rows.slice(0, page.limit);
  const people = await loadPeople(shown.map((v) => v.userId));
  return {
    items: shown.map((v) =>
      presentVote(v, { anonymous: false, mine: String(v.userId) === me, voter: people(v.userId) }),
    ),
    nextCursor: rows.length > page.limit ? String(shown[shown.length - 1]._id) : null,
  };
}

/** The vote routes (see the file comment). */
export function voteRoutes(): Router {
  const router = Router();

  router.get('/polls/:id/votes', async (req, res) => {
    const page = parse(pageSchema, req.query);
    const { poll } = await loadReadablePoll(req.viewer, req.params.id);
    const hasVoted = (await ownVotes(req.viewer, [poll._id])).has(String(poll._id));
    if (!canSeeResults(poll, hasVoted)) throw ResultsHiddenError();
    res.json(await listVotes(req.viewer, poll, page));
  });

  router.put('/polls/:id/vote', async (req, res) => {
    requireUser(req);
    const input = parse(voteSchema, req.body);
    const { poll, ...loaded } = await loadReadablePoll(
      req.viewer,
      req.params.id,
      loadReadableHeldDiscussion,
      heldPoll,
    );
    if (!isEligibleVoter(req.viewer, poll, loaded.discussion, loaded.group)) {
      throw AuthorizationError('You may not vote in this poll');
    }
    if (!isPollOpen(poll)) throw PollClosedError();
    await assertMayWrite(req.viewer, loaded.discussion.groupId);
    const problem = validateChoices(rulesOf(poll), input.choices);
    if (problem) throw ValidationError(problem.field, problem.message);
    if (poll.reasonRequired && input.reason.trim() === '') {
      throw ValidationError('reason', 'is required in this poll');
    }
    const {
      vote,
      created,
      poll: cast,
    } = await castVote({
      poll,
      voterId: req.viewer.user._id,
      choices: input.choices,
      reason: input.reason,
    });
    // The poll as the vote left it (as its transaction returned it; read if the vote changed nothing).
    const fresh = cast ?? (await PollModel.findById(poll._id)) ?? poll;
    res.status(created ? 201 : 200).json({
      poll: await presentPollForVoter(req.viewer, fresh, loaded, vote, peopleToPresent),
      vote: presentOwnVote(vote),
    });
  });

  return router;
}
