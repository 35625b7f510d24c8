/**
 * Polls live: a poll change or a vote re-presents the poll once per view that
 * has sockets here (at most about once per window per poll: see
 * poll-publishing.ts) (results only where the view may see them; an anonymous
 * poll never names anyone), and the voter's own vote goes to the voter's room
 * alone. Where results open up once one has voted, each voter watching here
 * gets the poll presented for them. A vote moves nothing for a view that may
 * not see the results, so such a view gets nothing at all when one is cast:
 * even an unchanged payload would tell that, and when, someone voted. An
 * anonymous poll's tally moves only when a batch is published (a change of
 * the poll), never at a vote. Where every view may see a vote at once (it
 * goes on the timeline as it is cast), its tally rides on its timeline entry
 * instead, one message per vote rather than two (tallyForEntry).
 */
import type { Types } from 'mongoose';
import type { View } from '../../../shared/domain.js';
import type { LoadedDiscussion } from '../commands/discussions/load.js';
import { publishedBallots } from '../commands/polls/load.js';
import type { PollDocument } from '../models/poll.js';
import { VoteModel, type Vote } from '../models/vote.js';
import { canReadDiscussion } from '../policies/discussion.js';
import {
  canSeeResults,
  isTallyBatched,
  pollAbilities,
  votesGoOnTimelineAtOnce,
} from '../policies/poll.js';
import { presentOwnVote } from '../presenters/vote.js';
import type { PollDto } from '../presenters/poll.js';
import { pollPeople, presentPollsFrom, type PollExtras } from '../routes/polls/present.js';
import type { FanoutContext } from './fanout-context.js';
import type { PollCause, PollPublishing } from './poll-publishing.js';
import type { QuorumServer, QuorumSocket } from './io.js';
import { discussionRoom, userRoom, viewerOfView, DISCUSSION_VIEWS } from './rooms.js';
import { EVERY_DOCUMENT } from '../db/read-all.js';

/** A view that has sockets on this process, and its room. */
export interface ViewRoom {
  view: View;
  room: string;
}

function localViewRooms(io: QuorumServer, discussionId: string): ViewRoom[] {
  const rooms = io.of('/').adapter.rooms;
  return DISCUSSION_VIEWS.map((view) => ({
    view,
    room: discussionRoom(discussionId, view),
  })).filter(({ room }) => rooms.has(room));
}

/**
 * What each view room was last sent of each poll, per server: a vote's
 * publish that would send a room exactly what it has (votes stored together
 * show in the first publish; the next finds nothing new) sends nothing.
 */
const lastSent = new WeakMap<QuorumServer, Map<string, string>>();
const LAST_SENT_KEPT = 2000;

/** Whether `payload` (for `room`, sockets `except` left out) is news there; remembers it if so. */
function isNews(io: QuorumServer, room: string, payload: unknown, except: string[]): boolean {
  let sent = lastSent.get(io);
  if (!sent) lastSent.set(io, (sent = new Map<string, string>()));
  const text = `${except.join()}|${JSON.stringify(payload)}`;
  if (sent.get(room) === text) return false;
  sent.delete(room);
  sent.set(room, text);
  if (sent.size > LAST_SENT_KEPT) sent.delete(sent.keys().next().value!);
  return true;
}

/** A person watching here who has voted in the poll: their sockets and their vote. */
interface Voter {
  sockets: QuorumSocket[];
  vote: PollExtras['mine'] extends Map<string, infer V> ? V : never;
}

/**
 * Emits the poll to every view room, and personally to voters whose own vote
 * opens the results. Those voters' sockets are left out of the room broadcast,
 * so the view's hidden version never overwrites the results they may see.
 * The poll, its ballots and its people are read once; every view and voter is
 * presented from them in memory.
 */
export async function fanOutPoll(
  ctx: FanoutContext,
  pollId: Types.ObjectId,
  /** A vote (only those who may see the results hear of it) or any other change of the poll. */
  cause: PollCause = 'poll',
): Promise<void> {
  const io = ctx.io;
  const poll = await ctx.poll(pollId);
  if (!poll) return;
  const now = new Date();
  if (cause === 'vote' && isTallyBatched(poll, now)) return;
  const loaded = await ctx.discussion(poll.discussionId);
  if (!loaded) return;
  const rooms = localViewRooms(io, String(poll.discussionId));
  if (rooms.length === 0) return;
  const voters =
    poll.hideResults === 'until_voted' && poll.closedAt === null
      ? await votersWatching(
          io,
          poll,
          rooms.map(({ room }) => room),
        )
      : [];
  // Whether views see results does not depend on the role: a view has not voted.
  const views = cause === 'poll' || canSeeResults(poll, false, now) ? rooms : [];
  if (views.length === 0 && voters.length === 0) return;
  const extras = await pollExtras(ctx, poll, loaded, views, voters.length > 0, now);
  const personal = voters.flatMap(({ sockets }) => sockets.map((socket) => socket.id));
  for (const { view, room } of views) {
    const dto = presentForView(view, poll, loaded, extras, now);
    // Any change of the poll itself goes out whatever was sent before.
    if (!isNews(io, pollKey(room, poll), dto, personal) && cause === 'vote') continue;
    io.local.to(room).except(personal).emit('poll:upserted', dto);
  }
  for (const { sockets, vote } of voters) {
    const mine = new Map([[String(poll._id), vote]]);
    const [dto] = presentPollsFrom(
      sockets[0].data.viewer,
      [poll],
      loaded,
      { ...extras, mine },
      now,
    );
    for (const socket of sockets) socket.emit('poll:upserted', { ...dto, myVote: null });
  }
}

/** The poll as a view sees it (whose stand-in viewer has voted in nothing). */
const presentForView = (
  view: View,
  poll: PollDocument,
  loaded: LoadedDiscussion,
  extras: PollExtras,
  now: Date,
): PollDto =>
  presentPollsFrom(viewerOfView(view, loaded.discussion), [poll], loaded, extras, now)[0];

const pollKey = (room: string, poll: PollDocument) => `${room}:${String(poll._id)}`;

/**
 * The poll's ballots and people, read once for every view and voter: the
 * ballots only if one of them may see the results (`voters`: people whose own
 * vote opens them).
 */
async function pollExtras(
  ctx: FanoutContext,
  poll: PollDocument,
  loaded: LoadedDiscussion,
  views: ViewRoom[],
  voters: boolean,
  now: Date,
): Promise<PollExtras> {
  const seen = ({ view }: ViewRoom) =>
    pollAbilities(viewerOfView(view, loaded.discussion), poll, { ...loaded, hasVoted: false, now })
      .canSeeResults;
  const results = voters || views.some(seen);
  const batched = isTallyBatched(poll, now);
  const [live, published, people] = await Promise.all([
    // Shared with the voter's own answer where it read the poll as this vote left it.
    ctx.ballotsFor(poll)(results && !batched ? [poll._id] : []),
    publishedBallots(results && batched ? [poll._id] : []),
    ctx.people(pollPeople([poll])),
  ]);
  return { mine: new Map(), live, published, people };
}

/**
 * The tally a vote's timeline entry carries to each of its rooms (see
 * fanOutEvent): a poll whose votes go on the timeline as they are cast is
 * one every view may see the results of, so its entry and its tally travel
 * as one message rather than two. Per room, the poll as that view sees it,
 * or null where the room was last sent exactly that (votes stored together
 * show on the first of their entries).
 */
export async function tallyForEntry(
  ctx: FanoutContext,
  pollId: Types.ObjectId,
  loaded: LoadedDiscussion,
  rooms: ViewRoom[],
): Promise<Map<string, PollDto | null>> {
  const tallies = new Map<string, PollDto | null>();
  // Entries written at a closing (hidden results) bring nothing: the poll's own change shows it.
  const rules = await ctx.pollRules(pollId);
  if (!rules || !votesGoOnTimelineAtOnce(rules)) return tallies;
  const poll = await ctx.tallyPoll(pollId);
  if (!poll) return tallies;
  const now = new Date();
  const extras = await pollExtras(ctx, poll, loaded, rooms, false, now);
  for (const { view, room } of rooms) {
    const dto = presentForView(view, poll, loaded, extras, now);
    tallies.set(room, isNews(ctx.io, pollKey(room, poll), dto, []) ? dto : null);
  }
  return tallies;
}

/** The sockets here of people who have voted in the poll, grouped by person, with their votes (one query). */
async function votersWatching(
  io: QuorumServer,
  poll: PollDocument,
  rooms: string[],
): Promise<Voter[]> {
  const sockets = (await io.local.in(rooms).fetchSockets()) as unknown as QuorumSocket[];
  const byUser = new Map<string, QuorumSocket[]>();
  for (const socket of sockets) {
    const id = socket.data.viewer.user ? String(socket.data.viewer.user._id) : null;
    if (!id) continue;
    const own = byUser.get(id);
    if (own) own.push(socket);
    else byUser.set(id, [socket]);
  }
  if (byUser.size === 0) return [];
  const voted = await VoteModel.find(
    { pollId: poll._id, userId: { $in: [...byUser.keys()] } },
    null,
    EVERY_DOCUMENT,
  ).lean();
  return voted
    .map((vote) => ({ sockets: byUser.get(String(vote.userId)) ?? [], vote }))
    .filter(({ sockets: own }) => own.length > 0);
}

/**
 * A vote changed: the voter gets it back on their own sockets at once, and
 * the poll's tally moves for everyone who may see it: on the vote's timeline
 * entry when it went on the timeline as it was cast (`announcedAt`, see
 * tallyForEntry), else published with the poll's other votes of the moment.
 */
export async function fanOutVote(
  ctx: FanoutContext,
  publishing: PollPublishing,
  vote: Vote | null,
  pollId: Types.ObjectId | null,
): Promise<void> {
  if (vote) {
    const sockets = await ctx.socketsOf(vote.userId);
    const loaded = sockets.length > 0 ? await ctx.discussion(vote.discussionId) : null;
    if (loaded && canReadDiscussion(sockets[0].data.viewer, loaded.discussion, loaded.group)) {
      ctx.io.local
        .to(userRoom(String(vote.userId)))
        .emit('vote:mine', { pollId: String(vote.pollId), vote: presentOwnVote(vote) });
    }
  }
  if (pollId && !vote?.announcedAt) await publishing.vote(pollId);
}
