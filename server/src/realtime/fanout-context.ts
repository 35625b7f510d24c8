/**
 * What one change's fan-out reads, read once. Presenting a record for every
 * view (and for the author or the voters) needs the same discussion, group,
 * poll and people each time; this context loads each of them at most once
 * per change and hands out the same objects, so the database work of a change
 * does not grow with the number of views or sockets. It lives for one change
 * only: the next change reads afresh, so nothing here can go stale.
 */
import { presentUserSummary, type UserSummaryDto } from '../presenters/user.js';
import { loadDiscussion, type LoadedDiscussion } from '../commands/discussions/load.js';
import type { People } from '../commands/discussions/people.js';
import { PollModel, type PollDocument } from '../models/poll.js';
import { UserModel } from '../models/user.js';
import type { QuorumServer, QuorumSocket } from './io.js';
import { userRoom } from './rooms.js';

const SUMMARY_FIELDS = {
  name: 1,
  handle: 1,
  avatarId: 1,
  deactivatedAt: 1,
  deletedAt: 1,
} as const;

/** Per-change memo of the records a fan-out presents from; see the module comment. */
export class FanoutContext {
  private readonly discussions = new Map<string, Promise<LoadedDiscussion | null>>();
  private readonly polls = new Map<string, Promise<PollDocument | null>>();
  private readonly summaries = new Map<string, UserSummaryDto>();

  constructor(readonly io: QuorumServer) {}

  /** The discussion with its group (as `loadDiscussion`), loaded once per change. */
  discussion(id: unknown): Promise<LoadedDiscussion | null> {
    const key = String(id);
    let loaded = this.discussions.get(key);
    if (!loaded) this.discussions.set(key, (loaded = loadDiscussion(key)));
    return loaded;
  }

  /** The poll, loaded once per change. */
  poll(id: unknown): Promise<PollDocument | null> {
    const key = String(id);
    let poll = this.polls.get(key);
    if (!poll) this.polls.set(key, (poll = PollModel.findById(key).exec()));
    return poll;
  }

  /**
   * Summaries of these people (as `loadPeople`): only those not yet loaded in
   * this change are read, in one query. The lookup answers for everyone
   * loaded so far; unknown ids read as deleted accounts.
   */
  people = async (ids: Iterable<unknown>): Promise<People> => {
    const wanted = [...ids].filter((id) => id !== null && id !== undefined).map(String);
    const missing = new Set(wanted.filter((id) => !this.summaries.has(id)));
    if (missing.size > 0) {
      const users = await UserModel.find({ _id: { $in: [...missing] } }, SUMMARY_FIELDS).lean();
      for (const user of users) this.summaries.set(String(user._id), presentUserSummary(user));
      // Remembered as missing too, so a deleted account is not looked up again.
      for (const id of missing)
        if (!this.summaries.has(id)) this.summaries.set(id, presentUserSummary(null, id));
    }
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
