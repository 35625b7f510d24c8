/**
 * What one change's fan-out reads, read once. Presenting a record for every
 * view (and for the author or the voters) needs the same discussion, group,
 * poll and people each time; this context hands out the same objects to
 * every view, so the database work of a change does not grow with the number
 * of views or sockets. Polls are read once per change (every vote changes
 * its poll); discussions, groups and people come from the process's records
 * (fanout-records.ts), which the feed keeps true from one change to the next.
 */
import { presentUserSummary, type UserSummaryDto } from '../presenters/user.js';
import type { LoadedDiscussion } from '../commands/discussions/load.js';
import type { People } from '../commands/discussions/people.js';
import type { Choice } from '../../../shared/polls.js';
import { countedBallots, countedRead } from '../commands/polls/counted-ballots.js';
import { ballots } from '../commands/polls/load.js';
import { PollModel, type Poll, type PollDocument } from '../models/poll.js';
import type { FanoutRecords, PollRules } from './fanout-records.js';
import type { QuorumServer, QuorumSocket } from './io.js';
import { userRoom } from './rooms.js';

/** Per-change memo of the records a fan-out presents from; see the module comment. */
export class FanoutContext {
  private readonly polls = new Map<string, Promise<PollDocument | null>>();
  /** Ballots read with a poll taken as the feed brought it (see tallyPoll). */
  private readonly counted = new Map<string, Map<string, Choice[][]>>();
  private readonly summaries = new Map<string, UserSummaryDto>();

  constructor(
    readonly io: QuorumServer,
    readonly records: FanoutRecords,
  ) {}

  /** The discussion with its group (as `loadDiscussion`). */
  discussion(id: unknown): Promise<LoadedDiscussion | null> {
    return this.records.discussion(id);
  }

  /** Who may see a poll's votes (its rules, held between changes; not its counts). */
  pollRules(id: unknown): Promise<PollRules | null> {
    return this.records.pollRules(id);
  }

  /**
   * The poll to present a vote's tally with: as the feed last brought it,
   * where a vote's reply has already read the ballots for exactly its counts
   * and every ballot in that read was announced as it was cast (that read then
   * shows the poll as that vote left it, as a read of both now would, and
   * serves here too); otherwise read now, as `poll`. A read holding a ballot
   * cast since under other rules (the poll turned anonymous) is never paired
   * with the poll from before: the poll is read again, and shows what its
   * rules now allow. The tally then counts the ballots of that very read
   * (`ballotsFor`).
   */
  async tallyPoll(id: unknown): Promise<PollDocument | null> {
    const key = String(id);
    const fed = this.records.fedPoll(key);
    const counted = fed && !this.polls.has(key) ? countedRead(fed as unknown as Poll) : undefined;
    const read = counted ? await counted.catch(() => null) : null;
    if (fed && read?.allAnnounced && !this.polls.has(key)) {
      this.polls.set(key, Promise.resolve(PollModel.hydrate(fed)));
      this.counted.set(key, read.ballots);
    }
    return this.poll(key);
  }

  /** Where a poll's ballots come from: the read its poll was taken with (`tallyPoll`), else as `countedBallots`. */
  ballotsFor(poll: PollDocument): typeof ballots {
    const taken = this.counted.get(String(poll._id));
    if (!taken) return countedBallots(poll);
    return (pollIds) =>
      pollIds.length === 1 && String(pollIds[0]) === String(poll._id)
        ? Promise.resolve(taken)
        : ballots(pollIds);
  }

  /** The poll, loaded once per change. */
  poll(id: unknown): Promise<PollDocument | null> {
    const key = String(id);
    let poll = this.polls.get(key);
    if (!poll) this.polls.set(key, (poll = PollModel.findById(key).exec()));
    return poll;
  }

  /**
   * Summaries of these people (as `loadPeople`): those the process does not
   * hold are read in one query. The lookup answers for everyone loaded so far
   * in this change; unknown ids read as deleted accounts.
   */
  people = async (ids: Iterable<unknown>): Promise<People> => {
    const wanted = [...ids].filter((id) => id !== null && id !== undefined).map(String);
    const missing = wanted.filter((id) => !this.summaries.has(id));
    if (missing.length > 0)
      for (const [id, summary] of await this.records.people(missing))
        this.summaries.set(id, summary);
    return (id) => this.summaries.get(String(id)) ?? presentUserSummary(null, String(id));
  };

  /**
   * The sockets on this process of one person. Their viewer is kept current
   * by the access tracker (which handles every membership, guest and user
   * change before the fan-out sees a later one), so it stands in for loading
   * the person and their rights again.
   */
  async socketsOf(userId: unknown): Promise<QuorumSocket[]> {
    const room = userRoom(String(userId));
    if (!this.io.of('/').adapter.rooms.has(room)) return [];
    return (await this.io.local.in(room).fetchSockets()) as unknown as QuorumSocket[];
  }
}
