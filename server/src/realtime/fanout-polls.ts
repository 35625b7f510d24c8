/**
 * Polls live: a poll change or a vote re-presents the poll once per view that
 * has sockets here (results only where the view may see them; an anonymous
 * poll never names anyone), and the voter's own vote goes to the voter's room
 * alone. Where results open up once one has voted, each voter watching here
 * gets the poll presented for them. A vote moves nothing for a view that may
 * not see the results, so such a view gets nothing at all when one is cast:
 * even an unchanged payload would tell that, and when, someone voted. An
 * anonymous poll's tally moves only when a batch is published (a change of
 * the poll), never at a vote.
 */
import type { Types } from 'mongoose';
import { loadViewer } from '../auth/viewer.js';
import { loadDiscussion } from '../commands/discussions/load.js';
import { ballots } from '../commands/polls/load.js';
import { PollModel, type PollDocument } from '../models/poll.js';
import { UserModel } from '../models/user.js';
import { VoteModel, type Vote } from '../models/vote.js';
import { canReadDiscussion } from '../policies/discussion.js';
import { canSeeResults, isTallyBatched } from '../policies/poll.js';
import { presentOwnVote } from '../presenters/vote.js';
import { presentPollFor } from '../routes/polls/present.js';
import type { QuorumServer, QuorumSocket } from './io.js';
import { discussionRoom, userRoom, viewerOfView, DISCUSSION_VIEWS } from './rooms.js';

function localViewRooms(io: QuorumServer, discussionId: string) {
  const rooms = io.of('/').adapter.rooms;
  return DISCUSSION_VIEWS.map((view) => ({
    view,
    room: discussionRoom(discussionId, view),
  })).filter(({ room }) => rooms.has(room));
}

/**
 * Emits the poll to every view room, and personally to voters whose own vote
 * opens the results. Those voters' sockets are left out of the room broadcast,
 * so the view's hidden version never overwrites the results they may see.
 */
export async function fanOutPoll(
  io: QuorumServer,
  pollId: Types.ObjectId,
  /** A vote (only those who may see the results hear of it) or any other change of the poll. */
  cause: 'vote' | 'poll' = 'poll',
): Promise<void> {
  const poll = await PollModel.findById(pollId);
  if (!poll) return;
  if (cause === 'vote' && isTallyBatched(poll)) return;
  const loaded = await loadDiscussion(String(poll.discussionId));
  if (!loaded) return;
  const rooms = localViewRooms(io, String(poll.discussionId));
  if (rooms.length === 0) return;
  // This poll's ballots are read at most once for all the views of this change.
  let shared: ReturnType<typeof ballots> | null = null;
  const loadBallots: typeof ballots = (ids) =>
    ids.length === 0 ? ballots(ids) : (shared ??= ballots([poll._id]));
  const voters =
    poll.hideResults === 'until_voted' && poll.closedAt === null
      ? await votersWatching(
          io,
          poll,
          rooms.map(({ room }) => room),
        )
      : [];
  const personal = voters.flatMap((sockets) => sockets.map((socket) => socket.id));
  // Whether views see results does not depend on the role: a view has not voted.
  const toViews = cause === 'poll' || canSeeResults(poll, false);
  for (const { view, room } of toViews ? rooms : []) {
    const dto = await presentPollFor(
      viewerOfView(view, loaded.discussion),
      poll,
      loaded,
      loadBallots,
    );
    io.local.to(room).except(personal).emit('poll:upserted', dto);
  }
  for (const own of voters) {
    const dto = await presentPollFor(own[0].data.viewer, poll, loaded, loadBallots);
    for (const socket of own) socket.emit('poll:upserted', { ...dto, myVote: null });
  }
}

/** The sockets here of people who have voted in the poll, grouped by person. */
async function votersWatching(
  io: QuorumServer,
  poll: PollDocument,
  rooms: string[],
): Promise<QuorumSocket[][]> {
  const sockets = (await io.local.in(rooms).fetchSockets()) as unknown as QuorumSocket[];
  const byUser = new Map<string, QuorumSocket[]>();
  for (const socket of sockets) {
    const id = socket.data.viewer.user ? String(socket.data.viewer.user._id) : null;
    if (id) byUser.set(id, [...(byUser.get(id) ?? []), socket]);
  }
  if (byUser.size === 0) return [];
  const voted = await VoteModel.find(
    { pollId: poll._id, userId: { $in: [...byUser.keys()] } },
    { userId: 1 },
  ).lean();
  return voted.map((vote) => byUser.get(String(vote.userId)) ?? []).filter((own) => own.length);
}

/** A vote changed: the voter gets it back on their own sockets, and the poll's tally moves for everyone. */
export async function fanOutVote(
  io: QuorumServer,
  vote: Vote | null,
  pollId: Types.ObjectId | null,
): Promise<void> {
  if (vote) {
    const room = userRoom(String(vote.userId));
    if (io.of('/').adapter.rooms.has(room)) {
      const user = await UserModel.findById(vote.userId);
      const loaded = await loadDiscussion(String(vote.discussionId));
      if (
        user &&
        loaded &&
        canReadDiscussion(await loadViewer(user), loaded.discussion, loaded.group)
      ) {
        io.local
          .to(room)
          .emit('vote:mine', { pollId: String(vote.pollId), vote: presentOwnVote(vote) });
      }
    }
  }
  if (pollId) await fanOutPoll(io, pollId, 'vote');
}
