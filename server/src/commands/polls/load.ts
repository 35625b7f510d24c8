/**
 * Loading polls for a viewer. A poll is as visible as its discussion: one in a
 * discussion the viewer may not read does not exist for them (404, not 403).
 * Also loads what presenting a poll needs: the viewer's own votes and the
 * ballots of polls whose results they may see.
 */
import type { Types } from 'mongoose';
import type { Viewer } from '../../auth/viewer.js';
import { NotFoundError, isHttpError } from '../../errors.js';
import { PollModel, type PollDocument } from '../../models/poll.js';
import { VoteModel, type VoteDocument } from '../../models/vote.js';
import {
  loadReadableDiscussion,
  objectIdOrNotFound,
  type LoadedDiscussion,
} from '../discussions/load.js';
import type { Choice } from '../../../../shared/polls.js';
import { choicesOf } from './rules.js';
import { heldRecords } from '../../realtime/fanout-records.js';
import { EVERY_DOCUMENT } from '../../db/read-all.js';

export interface LoadedPoll extends LoadedDiscussion {
  poll: PollDocument;
}

/**
 * The poll `id` with its discussion and group, if the viewer may read it; else
 * NotFoundError. `discussionOf` and `pollOf` are how the discussion and the
 * poll are loaded (a vote passes the held ones: commands/discussions/load-held.ts,
 * `heldPoll`).
 */
export async function loadReadablePoll(
  viewer: Viewer,
  id: unknown,
  discussionOf: typeof loadReadableDiscussion = loadReadableDiscussion,
  pollOf: (id: Types.ObjectId) => Promise<PollDocument | null> = (id) => PollModel.findById(id),
): Promise<LoadedPoll> {
  const poll = await pollOf(objectIdOrNotFound(id, 'Poll'));
  if (!poll) throw NotFoundError('Poll not found');
  try {
    return { poll, ...(await discussionOf(viewer, String(poll.discussionId))) };
  } catch (error) {
    // The same answer whether the poll or its discussion is out of reach.
    if (isHttpError(error) && error.status === 404) throw NotFoundError('Poll not found');
    throw error;
  }
}

/**
 * The poll as this process holds it while its change feed keeps it true
 * (realtime/fanout-records.ts), or read now: for votes, which check it and
 * read its counts from their own transaction. Shared: never changed.
 */
export function heldPoll(id: Types.ObjectId): Promise<PollDocument | null> {
  return heldRecords()?.poll(id) ?? PollModel.findById(id).exec();
}

/** The viewer's own vote in each of the polls, by poll id (none for visitors). */
export async function ownVotes(
  viewer: Viewer,
  pollIds: Types.ObjectId[],
): Promise<Map<string, VoteDocument>> {
  if (!viewer.user || pollIds.length === 0) return new Map();
  const votes = await VoteModel.find({ pollId: { $in: pollIds }, userId: viewer.user._id });
  return new Map(votes.map((v) => [String(v.pollId), v]));
}

/** Every ballot of each poll, by poll id, for tallying; choices only, no voters. */
export async function ballots(pollIds: Types.ObjectId[]): Promise<Map<string, Choice[][]>> {
  const byPoll = new Map<string, Choice[][]>(pollIds.map((id) => [String(id), []]));
  if (pollIds.length === 0) return byPoll;
  const rows = await VoteModel.find(
    { pollId: { $in: pollIds } },
    { pollId: 1, choices: 1 },
    EVERY_DOCUMENT,
  ).lean();
  for (const row of rows) byPoll.get(String(row.pollId))?.push(choicesOf(row.choices));
  return byPoll;
}

/**
 * Every ballot of one poll (as `ballots`), and whether each was announced as
 * it was cast (`announcedAt`): false once any was cast or changed after the
 * poll stopped putting votes on the timeline at once (it turned anonymous).
 */
export async function announcedBallots(
  pollId: Types.ObjectId,
): Promise<{ ballots: Map<string, Choice[][]>; allAnnounced: boolean }> {
  const rows = await VoteModel.find(
    { pollId },
    { choices: 1, announcedAt: 1 },
    EVERY_DOCUMENT,
  ).lean();
  return {
    ballots: new Map([[String(pollId), rows.map((row) => choicesOf(row.choices))]]),
    allAnnounced: rows.every((row) => row.announcedAt !== null && row.announcedAt !== undefined),
  };
}

/**
 * Every ballot of each poll as its last published batch counts it (anonymous
 * polls while open; see publish-tallies.ts): ballots not yet in a batch are
 * left out, a changed one counts as it was.
 */
export async function publishedBallots(
  pollIds: Types.ObjectId[],
): Promise<Map<string, Choice[][]>> {
  const byPoll = new Map<string, Choice[][]>(pollIds.map((id) => [String(id), []]));
  if (pollIds.length === 0) return byPoll;
  const rows = await VoteModel.find(
    { pollId: { $in: pollIds }, published: { $ne: null } },
    { pollId: 1, published: 1 },
    EVERY_DOCUMENT,
  ).lean();
  for (const row of rows)
    if (row.published) byPoll.get(String(row.pollId))?.push(choicesOf(row.published.choices));
  return byPoll;
}
