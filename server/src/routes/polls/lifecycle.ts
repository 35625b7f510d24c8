/**
 * A poll's life after it starts, under `/api/polls/:id`, for its author and the
 * discussion's coordinators:
 * - `POST /close` closes it now (`poll_closed`);
 * - `POST /reopen` {closesAt?} reopens a closed poll (`poll_reopened`), never
 *   an anonymous one (409 `anonymous_poll`);
 * - `POST /outcome` {statement} publishes the outcome of a closed poll
 *   (`outcome_published`), notifying its voters.
 */
import { Router } from 'express';
import { requireUser } from '../../auth/authenticate.js';
import { closePoll } from '../../commands/polls/close-poll.js';
import { loadReadablePoll, type LoadedPoll } from '../../commands/polls/load.js';
import { publishOutcome } from '../../commands/polls/publish-outcome.js';
import { reopenPoll } from '../../commands/polls/reopen-poll.js';
import type { Viewer } from '../../auth/viewer.js';
import { AuthorizationError, ConflictError, HttpError, ValidationError } from '../../errors.js';
import { parse } from '../../http/validate.js';
import { assertMayAct } from '../../moderation/restrictions.js';
import { canManagePoll } from '../../policies/poll.js';
import { presentPollFor } from './present.js';
import { outcomeSchema, reopenSchema } from './schema.js';

/** Reopening an anonymous poll would let votes be changed after the ballot was promised closed. */
const AnonymousReopenError = () =>
  new HttpError('anonymous_poll', 409, 'An anonymous poll cannot be reopened');

/**
 * Loads the poll and checks the viewer runs it: 404 if unreadable, 403 if not
 * theirs to run, 403 `muted` or `suspended` while they may not write there.
 */
async function loadManagedPoll(viewer: Viewer, id: unknown): Promise<LoadedPoll> {
  const loaded = await loadReadablePoll(viewer, id);
  if (!canManagePoll(viewer, loaded.poll, loaded)) {
    throw AuthorizationError('Only the poll’s author and coordinators may do that');
  }
  if (viewer.user) await assertMayAct(viewer.user._id, loaded.discussion.groupId);
  return loaded;
}

async function respondWithPoll(
  viewer: Viewer,
  id: unknown,
): Promise<{ poll: Awaited<ReturnType<typeof presentPollFor>> }> {
  const { poll, ...loaded } = await loadReadablePoll(viewer, id);
  return { poll: await presentPollFor(viewer, poll, loaded) };
}

/** The close, reopen and outcome routes (see the file comment). */
export function lifecycleRoutes(): Router {
  const router = Router();

  router.post('/polls/:id/close', async (req, res) => {
    requireUser(req);
    const { poll } = await loadManagedPoll(req.viewer, req.params.id);
    const won = poll.closedAt === null && (await closePoll({ poll, actorId: req.viewer.user._id }));
    if (!won) throw ConflictError('This poll is already closed');
    res.json(await respondWithPoll(req.viewer, req.params.id));
  });

  router.post('/polls/:id/reopen', async (req, res) => {
    requireUser(req);
    const input = parse(reopenSchema, req.body);
    const { poll } = await loadManagedPoll(req.viewer, req.params.id);
    if (poll.anonymous) throw AnonymousReopenError();
    if (poll.closedAt === null) throw ConflictError('This poll is open');
    let closesAt = input.closesAt;
    if (closesAt === undefined) {
      // Keep the previous closing time when it is still ahead.
      closesAt =
        poll.closesAt !== null && poll.closesAt.getTime() > Date.now() ? poll.closesAt : null;
    }
    if (closesAt === null && poll.kind !== 'proposal') {
      throw ValidationError('closesAt', 'is required: give the reopened poll a new closing time');
    }
    await reopenPoll({ poll, actorId: req.viewer.user._id, closesAt });
    res.json(await respondWithPoll(req.viewer, req.params.id));
  });

  router.post('/polls/:id/outcome', async (req, res) => {
    requireUser(req);
    const input = parse(outcomeSchema, req.body);
    const { poll } = await loadManagedPoll(req.viewer, req.params.id);
    if (poll.closedAt === null) throw ConflictError('Close the poll before publishing its outcome');
    await publishOutcome({ poll, authorId: req.viewer.user._id, statement: input.statement });
    res.json(await respondWithPoll(req.viewer, req.params.id));
  });

  return router;
}
