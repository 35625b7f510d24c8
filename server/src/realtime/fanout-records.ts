/**
 * The records fan-outs present from, kept on this process from one change to
 * the next: discussions, groups, meetings, people's summaries, and polls for
 * their rules (who may see their votes) and for voting (who may vote, on what);
 * never for their counts, which every vote moves and which stay as first read.
 * Every comment, vote and timeline entry of a live discussion needs the same
 * discussion, group and people; reading them again for each change was most
 * of the database work of a live write (issue 11).
 *
 * Kept true by the change feed itself: it hands every change to `forget`
 * before anything else sees it (even changes it then drops as unobservable),
 * and the fan-out handles changes one after another in the feed's order. So
 * when a change is fanned out, every earlier change to a discussion, group or
 * person has already dropped the copy held here, and what is held is never
 * older than the change being presented (a copy read later may be newer,
 * exactly as a fresh read would be). A load still in flight when its record
 * changes is dropped with it, so nobody asks for it afterwards. Only the
 * bookkeeping every comment writes on its discussion (`lastSequence`,
 * `lastActivityAt`, `updatedAt`) leaves a held discussion in place: nothing
 * presented from here shows them except `discussion:upserted`, which follows a
 * visible change of the discussion and so a fresh read. The last sequence is
 * kept apart, as the feed has seen it (`fedSequence`), for watches. When the
 * feed loses its place (paused, history lost) everything is dropped.
 *
 * Bounded: the least recently used records go first.
 */
import { objectIdOrNotFound, type LoadedDiscussion } from '../commands/discussions/load.js';
import { DiscussionModel } from '../models/discussion.js';
import { GroupModel, type GroupDocument } from '../models/group.js';
import { MeetingModel, type MeetingDocument } from '../models/meeting.js';
import { PollModel, type Poll, type PollDocument } from '../models/poll.js';
import { UserModel } from '../models/user.js';
import type { CommentDocument } from '../models/comment.js';
import { SUMMARY_FIELDS } from '../commands/discussions/people.js';
import { presentUserSummary, type UserSummaryDto } from '../presenters/user.js';
import type { FeedChange } from './change-feed.js';
import { heldViewers } from '../auth/viewers-held.js';
import { EVERY_DOCUMENT } from '../db/read-all.js';

/** Fields of a discussion that only its timeline's appends write (see the module comment). */
const DISCUSSION_BOOKKEEPING = new Set(['lastSequence', 'lastActivityAt', 'updatedAt']);
/** Fields of a poll that only votes write: its counts, which are never held here. */
const POLL_COUNTS = new Set(['voterCount', 'unpublishedVotes']);

/** What decides who may see a poll's votes and results (not its counts). */
export type PollRules = Pick<
  Poll,
  '_id' | 'discussionId' | 'anonymous' | 'hideResults' | 'closedAt' | 'closesAt' | 'revealedAt'
>;

export interface FanoutRecordLimits {
  discussions: number;
  groups: number;
  meetings: number;
  people: number;
  polls: number;
  /** Polls kept as the feed last brought them, counts included (`fedPoll`). */
  fedPolls: number;
  /** Discussions whose last sequence is kept (`fedSequence`). */
  sequences: number;
}

const DEFAULT_LIMITS: FanoutRecordLimits = {
  discussions: 1000,
  groups: 1000,
  meetings: 200,
  people: 10_000,
  polls: 1000,
  fedPolls: 200,
  sequences: 10_000,
};

/** A map that forgets its least recently used entries beyond `limit`. */
class Recent<V> {
  private readonly entries = new Map<string, V>();

  constructor(private readonly limit: number) {}

  get(key: string): V | undefined {
    const value = this.entries.get(key);
    if (value === undefined) return undefined;
    this.entries.delete(key);
    this.entries.set(key, value);
    return value;
  }

  set(key: string, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.limit) this.entries.delete(this.entries.keys().next().value!);
  }

  /** Drops `key` if it still holds `value` (or anything, without `value`). */
  delete(key: string, value?: V): void {
    if (value === undefined || this.entries.get(key) === value) this.entries.delete(key);
  }

  /** Every entry, without touching their order. */
  all(): Array<[string, V]> {
    return [...this.entries];
  }

  clear(): void {
    this.entries.clear();
  }
}

/** What a held discussion is filed under, and which group it depends on. */
interface HeldDiscussion {
  loaded: Promise<LoadedDiscussion | null>;
  /** Its group's id once known (null: none, or not loaded yet). */
  groupId: string | null;
}

export class FanoutRecords {
  private readonly discussions: Recent<HeldDiscussion>;
  private readonly groups: Recent<Promise<GroupDocument | null>>;
  private readonly meetings: Recent<Promise<MeetingDocument | null>>;
  private readonly summaries: Recent<Promise<UserSummaryDto>>;
  private readonly polls: Recent<Promise<PollDocument | null>>;
  /** Polls as their last change brought them (see `fedPoll`). */
  private readonly fedPolls: Recent<Record<string, unknown>>;
  /** Comments this process has just posted, until their timeline entry is fanned out. */
  private readonly posted = new Recent<CommentDocument>(200);
  /** Per discussion, the highest `lastSequence` its changes have shown this feed. */
  private readonly sequences: Recent<number>;

  constructor(limits: FanoutRecordLimits = DEFAULT_LIMITS) {
    this.discussions = new Recent(limits.discussions);
    this.groups = new Recent(limits.groups);
    this.meetings = new Recent(limits.meetings);
    this.summaries = new Recent(limits.people);
    this.polls = new Recent(limits.polls);
    this.fedPolls = new Recent(limits.fedPolls);
    this.sequences = new Recent(limits.sequences);
  }

  /**
   * The discussion's last sequence as far as this feed has seen its changes
   * (undefined: none seen since the feed began, or forgotten). Each append
   * moves the discussion before it inserts its entry, in one transaction, so
   * every entry already fanned out is at most this: a socket that joins the
   * room and then reads it gets every later entry live. It may be behind the
   * database by the changes still on their way, which arrive live as well.
   */
  fedSequence(id: unknown): number | undefined {
    return this.sequences.get(String(id));
  }

  /**
   * A comment this process has just posted (its transaction committed), so
   * fanning out its `comment_posted` entry does not read it back. Taken once
   * (`takePosted`); dropped by any later change of the comment.
   */
  justPosted(comment: CommentDocument): void {
    this.posted.set(String(comment._id), comment);
  }

  /** The comment as just posted here, once, if this process posted it and nothing changed it since. */
  takePosted(id: unknown): CommentDocument | null {
    const key = String(id);
    const comment = this.posted.get(key) ?? null;
    this.posted.delete(key);
    return comment;
  }

  /** The discussion with its group (as `loadDiscussion`), read once until either changes. */
  discussion(id: unknown): Promise<LoadedDiscussion | null> {
    const key = String(id);
    const held = this.discussions.get(key);
    if (held) return held.loaded;
    const entry: HeldDiscussion = { loaded: this.loadDiscussion(key), groupId: null };
    this.discussions.set(key, entry);
    entry.loaded.then(
      (loaded) => (entry.groupId = loaded?.group ? String(loaded.group._id) : null),
      () => this.discussions.delete(key, entry),
    );
    return entry.loaded;
  }

  private async loadDiscussion(id: string): Promise<LoadedDiscussion | null> {
    const discussion = await DiscussionModel.findById(objectIdOrNotFound(id, 'Discussion'));
    if (!discussion) return null;
    const group = discussion.groupId ? await this.group(discussion.groupId) : null;
    return { discussion, group };
  }

  /** A group, read once until it changes. */
  group(id: unknown): Promise<GroupDocument | null> {
    const key = String(id);
    return this.hold(this.groups, key, () => GroupModel.findById(key).exec());
  }

  /** A meeting, read once until it changes (callers never change it). */
  meeting(id: unknown): Promise<MeetingDocument | null> {
    const key = String(id);
    return this.hold(this.meetings, key, () => MeetingModel.findById(key).exec());
  }

  /** This process changed the meeting: the next ask reads it (others hear of it from their feeds). */
  meetingWritten(id: unknown): void {
    this.meetings.delete(String(id));
  }

  /** A poll's rules (who may see its votes), read once until they change. */
  pollRules(id: unknown): Promise<PollRules | null> {
    return this.poll(id);
  }

  /**
   * A poll, read once until anything but its counts changes: what a vote
   * checks (who may vote, on what, until when) and casts with. Its counts
   * are as first read; the vote's own transaction returns them, and checks
   * again that the poll is open.
   */
  poll(id: unknown): Promise<PollDocument | null> {
    const key = String(id);
    return this.hold(this.polls, key, () => PollModel.findById(key).exec());
  }

  /**
   * The poll as the feed last brought it, counts included: never older than
   * the change being fanned out (its changes reach `forget` first), but
   * perhaps older than the database, where later changes are still on their
   * way. Undefined when no change of it came since the feed began or it was
   * forgotten. Callers must not change it.
   */
  fedPoll(id: unknown): Record<string, unknown> | undefined {
    return this.fedPolls.get(String(id));
  }

  /** The held promise under `key`, or a new read held there (dropped if it fails). */
  private hold<V>(map: Recent<Promise<V>>, key: string, read: () => Promise<V>): Promise<V> {
    const held = map.get(key);
    if (held) return held;
    const reading = read();
    map.set(key, reading);
    reading.catch(() => map.delete(key, reading));
    return reading;
  }

  /**
   * Summaries of these people, keyed by id: those not held are read in one
   * query. Unknown ids read as deleted accounts.
   */
  async people(ids: Iterable<unknown>): Promise<Map<string, UserSummaryDto>> {
    const wanted = [
      ...new Set([...ids].filter((id) => id !== null && id !== undefined).map(String)),
    ];
    const missing: string[] = [];
    for (const id of wanted) {
      if (this.summaries.get(id) !== undefined) continue;
      // Someone who has just written through this process is held by authentication already.
      const user = heldViewers.loadedUser(id);
      if (user) this.summaries.set(id, Promise.resolve(presentUserSummary(user, id)));
      else missing.push(id);
    }
    if (missing.length > 0) {
      const read = UserModel.find({ _id: { $in: missing } }, SUMMARY_FIELDS, EVERY_DOCUMENT)
        .lean()
        .then((users) => new Map(users.map((user) => [String(user._id), user])));
      for (const id of missing) {
        const summary = read.then((users) => presentUserSummary(users.get(id) ?? null, id));
        this.summaries.set(id, summary);
        summary.catch(() => this.summaries.delete(id, summary));
      }
    }
    const found = await Promise.all(
      wanted.map((id) => this.summaries.get(id) ?? Promise.resolve(presentUserSummary(null, id))),
    );
    return new Map(wanted.map((id, i) => [id, found[i]]));
  }

  /** Drops what a change makes stale; the feed calls it for every change, first. */
  forget(change: FeedChange): void {
    const id = String(change.documentKey);
    if (change.collection === 'users') this.summaries.delete(id);
    else if (change.collection === 'discussions') {
      if (!isDiscussionBookkeeping(change)) this.discussions.delete(id);
      this.followSequence(id, change);
    } else if (change.collection === 'groups') {
      this.groups.delete(id);
      // A discussion whose group is not known yet may be of this one: dropped too.
      for (const [key, held] of this.discussions.all())
        if (held.groupId === id || held.groupId === null) this.discussions.delete(key);
    } else if (change.collection === 'meetings') {
      this.meetings.delete(id);
    } else if (change.collection === 'polls') {
      if (!onlyTouches(change, POLL_COUNTS)) this.polls.delete(id);
      if (change.fullDocument) this.fedPolls.set(id, change.fullDocument);
      else this.fedPolls.delete(id);
    } else if (change.collection === 'comments' && change.operationType !== 'insert') {
      this.posted.delete(id);
    }
  }

  /**
   * Notes the sequence a discussion change carries: an update's own value,
   * never the looked-up document, which may already show appends whose
   * entries are still on their way (an insert's or replacement's document is
   * the change itself).
   */
  private followSequence(id: string, change: FeedChange): void {
    if (change.operationType === 'delete') return this.sequences.delete(id);
    const carried =
      change.operationType === 'update'
        ? change.updatedFields?.lastSequence
        : change.fullDocument?.lastSequence;
    if (typeof carried !== 'number') return;
    this.sequences.set(id, Math.max(carried, this.sequences.get(id) ?? 0));
  }

  /** Drops everything (the feed lost its place, so changes may have gone unseen). */
  clear(): void {
    this.discussions.clear();
    this.groups.clear();
    this.meetings.clear();
    this.summaries.clear();
    this.polls.clear();
    this.fedPolls.clear();
    this.posted.clear();
    this.sequences.clear();
  }
}

/** Whether an update touched nothing but these (top-level) fields. */
function onlyTouches(change: FeedChange, fields: Set<string>): boolean {
  if (change.operationType !== 'update') return false;
  const touched = [...Object.keys(change.updatedFields ?? {}), ...(change.removedFields ?? [])];
  return touched.every((field) => fields.has(field.split('.')[0]));
}

/** Whether a discussion change only moved its timeline's bookkeeping (nobody sees anything new). */
export function isDiscussionBookkeeping(change: FeedChange): boolean {
  return onlyTouches(change, DISCUSSION_BOOKKEEPING);
}

/**
 * This process's records: the fan-out presents from them, and REST writes
 * read their discussion and group from them while a change feed keeps them
 * true (`heldRecords`).
 */
export const processRecords = new FanoutRecords();
let feeds = 0;

/** A change feed started that keeps `processRecords` true (until the returned function is called). */
export function attachRecords(): () => void {
  feeds++;
  let attached = true;
  return () => {
    if (!attached) return;
    attached = false;
    feeds--;
    processRecords.clear();
  };
}

/** This process's records while a change feed keeps them true; null otherwise (read the database). */
export function heldRecords(): FanoutRecords | null {
  return feeds > 0 ? processRecords : null;
}
