/**
 * What a live meeting's broadcasts would otherwise reread from the database
 * every time (issue 13's benchmark: 300 hands meant 300 people and 300
 * memberships read per broadcast): people's summaries and who still takes
 * part, per meeting, kept between broadcasts on this process; and the last
 * load itself, of which a broadcast reads again only the parts a change
 * moved (a vote moves the poll, not the 300 hands: a tally broadcast read
 * the meeting, its hands, signals and poll, now the poll alone). Any change
 * of users or access clears it; a read that began before a clear never fills
 * the cache after it (a generation number), so a removed member drops out at
 * once as before.
 */
import { loadPeople, type People } from '../commands/discussions/people.js';
import type { LoadedDiscussion } from '../commands/discussions/load.js';
import type { GroupDocument } from '../models/group.js';
import { MeetingModel, type Meeting, type MeetingDocument } from '../models/meeting.js';
import type { MeetingHand } from '../models/meeting-hand.js';
import { PollModel, type Poll } from '../models/poll.js';
import { canSeeResults } from '../policies/poll.js';
import { presentUserSummary, type UserSummaryDto } from '../presenters/user.js';
import { stillTakingPart } from './queue-load.js';
import { loadMeeting } from './load.js';
import {
  loadMeetingParts,
  REUSABLE_PARTS,
  type HandChange,
  type MeetingParts,
  type PartsSources,
  type ReusablePart,
} from './state.js';

/** What a change can move: the meeting's own document (then everything is read again) or one part. */
export type MeetingPart = 'meeting' | ReusablePart;

interface Entry {
  people: Map<string, UserSummaryDto>;
  takingPart: Map<string, boolean>;
  /** The last load, and what changed since it began. */
  held: MeetingParts | null;
  moved: Set<MeetingPart>;
  /** Hands changed since the last load began (the feed's documents): applied, not read. */
  hands: HandChange[];
  /** The meeting as the feed last delivered it (at least as new as its change), if it moved. */
  fed: Meeting | null;
  /** The quick vote's poll as the feed last delivered it (at least as new as its change), if it moved. */
  fedPoll: Poll | null;
  /** The poll's count of voters as the change feed last told it (see `counted`). */
  voterCount: number | null;
  /** A load is running: what it will hold is not known yet. */
  loading: boolean;
  /** This process's hand writes the feed has not brought back yet (`writing`), by key. */
  own: Map<string, OwnWrite>;
  /** Presentations waiting for those writes (`landed`), called once none is on its way. */
  landing: Array<() => void>;
}

/** Where groups and discussions come from (the fan-out's records, kept true by the change feed). */
export interface MeetingRecords {
  group(id: unknown): Promise<GroupDocument | null>;
  meeting(id: unknown): Promise<MeetingDocument | null>;
  discussion(id: string): Promise<LoadedDiscussion | null>;
}

/**
 * How long a hand written here may take to come back through the feed: a
 * mark older than this (its write perhaps changed nothing, or the feed lost
 * its place) stops one call from using the held queue, then is forgotten.
 */
const OWN_WRITE_MS = 30_000;

/** One mark of a hand write on its way (`LiveMeetingCache.writing`). */
interface OwnWrite {
  /** Tells two marks of one key apart (a double click), so each takes back only its own. */
  id: number;
  until: number;
}

/**
 * Marks of hand writes: one hand (an insert with its id chosen before, or an
 * update of a known hand), or a person's waiting hands lowered (an update
 * of hands not read first), which only the change lowering one clears.
 */
export const handKey = (handId: unknown) => `h:${String(handId)}`;
export const loweredKey = (userId: unknown) => `l:${String(userId)}`;
let ownWrites = 0;

export class LiveMeetingCache {
  private readonly meetings = new Map<string, Entry>();
  private generation = 0;
  /** People who started watching a meeting in the last moment, looked up together (`warm`). */
  private readonly arriving = new Map<string, { meeting: Meeting; ids: Set<string> }>();

  /** Users or access changed: everything is read again. */
  clear(): void {
    this.generation++;
    this.meetings.clear();
  }

  /**
   * Someone watches the meeting: whether they take part and their summary are
   * looked up now, with whoever else arrived in the same moment, so their
   * raised hand is presented without a read (those who watch are those who raise).
   */
  warm(meetingId: string, meeting: Meeting, userId: string): void {
    let batch = this.arriving.get(meetingId);
    if (!batch) {
      const ids = new Set<string>();
      this.arriving.set(meetingId, (batch = { meeting, ids }));
      setTimeout(() => {
        this.arriving.delete(meetingId);
        this.sources(meetingId)
          .takingPart(meeting, [...ids])
          .catch(() => undefined); // a broadcast reads them again
      }, 20).unref();
    }
    batch.ids.add(userId);
  }

  /** Forgets a meeting no socket here watches any more. */
  drop(meetingId: string): void {
    this.meetings.delete(meetingId);
  }

  private entry(meetingId: string): Entry {
    let entry = this.meetings.get(meetingId);
    if (!entry)
      this.meetings.set(
        meetingId,
        (entry = {
          people: new Map(),
          takingPart: new Map(),
          held: null,
          moved: new Set(),
          hands: [],
          fed: null,
          fedPoll: null,
          voterCount: null,
          loading: false,
          own: new Map(),
          landing: [],
        }),
      );
    return entry;
  }

  /** A change moved this part of the meeting: the next load reads it again. */
  moved(meetingId: string, part: MeetingPart): void {
    this.meetings.get(meetingId)?.moved.add(part);
  }

  /** The meeting changed, and the feed delivered it as it is now: the next load takes it so. */
  meetingChanged(meetingId: string, meeting: Meeting | null): void {
    const entry = this.meetings.get(meetingId);
    if (!entry) return;
    entry.moved.add('meeting');
    entry.fed = meeting;
  }

  /**
   * The quick vote's poll changed (opened, closed, revealed), as the feed
   * delivered it: the next load takes it so rather than reading it (a reveal
   * is one read sooner on every screen).
   */
  pollChanged(meetingId: string, poll: Poll | null): void {
    const entry = this.meetings.get(meetingId);
    if (!entry) return;
    entry.moved.add('poll');
    entry.fedPoll = poll;
  }

  /**
   * A hand was raised or changed (its document, from the change feed): the
   * next load applies it to the hands it holds instead of reading every hand
   * again (a meeting of 300 raising hands read 300 hands per broadcast).
   */
  handChanged(meetingId: string, change: HandChange): void {
    const entry = this.meetings.get(meetingId);
    if (!entry) return;
    entry.hands.push(change);
    entry.own.delete(handKey(change.hand._id));
    if (change.hand.state === 'lowered') entry.own.delete(loweredKey(change.hand.userId));
    settle(entry);
  }

  /**
   * This process is about to write hands of the meeting (keys: `handKey`,
   * `loweredKey`): until the feed brings that very change back, `head` does
   * not answer, so a call made after the write returned sees it. The returned
   * function takes the marks back when the write changed nothing.
   */
  writing(meetingId: string, keys: string[]): () => void {
    const entry = this.meetings.get(meetingId);
    if (!entry) return () => undefined;
    const mark: OwnWrite = { id: ++ownWrites, until: Date.now() + OWN_WRITE_MS };
    for (const key of keys) entry.own.set(key, mark);
    return () => {
      for (const key of keys) if (entry.own.get(key)?.id === mark.id) entry.own.delete(key);
      settle(entry);
    };
  }

  /**
   * Resolves once no hand written here is on its way back through the feed
   * (`writing`), or after `ms`, whichever comes first; true if it waited. A
   * presentation that waits for them shows a burst of raises (a "who wants
   * to speak?") in one broadcast where it would make one per raise, each
   * behind the last. A mark whose change never comes back keeps each
   * presentation waiting `ms` until the mark is stale (OWN_WRITE_MS).
   */
  landed(meetingId: string, ms: number): Promise<boolean> {
    const entry = this.meetings.get(meetingId);
    if (entry) dropStale(entry);
    if (!entry || entry.own.size === 0) return Promise.resolve(false);
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        entry.landing = entry.landing.filter((waiter) => waiter !== done);
        resolve(true);
      }, ms);
      timer.unref();
      entry.landing.push(done);
    });
  }

  /**
   * The first in the speakers' queue as this process holds it, when that is
   * the queue as stored: the last load holds every hand change the feed
   * brought, of the meeting as it is now (same revision), no hand written
   * here is still on its way, and none of the people ahead stopped taking
   * part (access changes clear the cache). Null when unknown (read the
   * queue). Hands written elsewhere in the last moment, not yet fed, are
   * not seen: as if raised a moment later.
   */
  head(meeting: Meeting): { first: MeetingHand | null } | null {
    const entry = this.meetings.get(String(meeting._id));
    const held = entry?.held;
    if (!entry || !held || entry.loading || entry.moved.size > 0 || entry.hands.length > 0)
      return null;
    if (held.meeting.revision !== meeting.revision) return null;
    if (entry.own.size > 0) {
      dropStale(entry);
      return null;
    }
    return { first: held.queue[0] ?? null };
  }

  /**
   * Votes moved the count of voters of the meeting's poll, and nothing else
   * of it (the change says the new count): where no view sees the results,
   * the count is all a presentation shows of votes, so the next load takes
   * it instead of reading the poll. Counts only grow (commands/polls/cast-vote.ts),
   * so a count older than what was read is never shown. False when the poll
   * must be taken anew (another poll, results shown, nothing held), and
   * while a change of the poll is waiting for the next load (`pollChanged`):
   * its document may be older than this count, this change's is not.
   */
  counted(meetingId: string, pollId: string, voterCount: number, now = new Date()): boolean {
    const entry = this.meetings.get(meetingId);
    const poll = entry?.held?.poll;
    if (!entry || !poll || String(poll._id) !== pollId || canSeeResults(poll, false, now))
      return false;
    if (entry.moved.has('poll')) return false;
    entry.voterCount = Math.max(entry.voterCount ?? 0, voterCount);
    return true;
  }

  /**
   * The meeting's parts as stored now: the parts no change has moved since
   * the last load are taken from it, the others read. Loads of one meeting
   * run one after another (MeetingsLive's line); a change during a load
   * marks its part again for the next one.
   */
  async parts(meetingId: string, records: MeetingRecords): Promise<MeetingParts | null> {
    const generation = this.generation;
    const entry = this.entry(meetingId);
    const { held, moved, voterCount, hands, fed, fedPoll } = entry;
    entry.loading = true;
    entry.moved = new Set();
    entry.voterCount = null;
    entry.hands = [];
    entry.fed = null;
    entry.fedPoll = null;
    const keep = (parts: MeetingParts | null) => {
      if (generation === this.generation) this.entry(meetingId).held = parts;
      return parts;
    };
    const sources = {
      ...this.sources(meetingId),
      discussion: (id: string) => records.discussion(id),
      poll: (id: unknown) =>
        fedPoll && String(fedPoll._id) === String(id)
          ? Promise.resolve(PollModel.hydrate(fedPoll))
          : PollModel.findById(id).exec(),
    };
    try {
      if (!held) {
        const loaded = await loadMeeting(meetingId, (id) => records.group(id));
        if (!loaded) return keep(null);
        return keep(await loadMeetingParts(loaded.meeting, loaded.group, sources));
      }
      // A changed meeting as the feed delivered it (else read); its parts may still hold.
      const meeting = !moved.has('meeting')
        ? held.meeting
        : fed
          ? MeetingModel.hydrate(fed)
          : await records.meeting(meetingId);
      const group = meeting && (await records.group(meeting.groupId));
      if (!meeting || !group) return keep(null);
      const poll = held.poll;
      if (poll && voterCount !== null && !moved.has('poll') && voterCount > poll.voterCount)
        poll.voterCount = voterCount;
      const parts = new Set(REUSABLE_PARTS.filter((p) => !moved.has(p)));
      return keep(await loadMeetingParts(meeting, group, sources, { from: held, parts, hands }));
    } catch (error) {
      keep(null);
      throw error;
    } finally {
      entry.loading = false;
    }
  }

  /** Sources for `loadMeetingParts` that read only what this cache lacks. */
  private sources(meetingId: string): Required<Omit<PartsSources, 'discussion' | 'poll'>> {
    const generation = this.generation;
    const fresh = () => generation === this.generation;
    const people = async (ids: Iterable<unknown>): Promise<People> => {
      const entry = this.entry(meetingId);
      const wanted = [...ids].filter((id) => id !== null && id !== undefined).map(String);
      const missing = wanted.filter((id) => !entry.people.has(id));
      const known = new Map(
        wanted.flatMap((id) => {
          const hit = entry.people.get(id);
          return hit ? [[id, hit] as const] : [];
        }),
      );
      if (missing.length > 0) {
        const loaded = await loadPeople(missing);
        for (const id of missing) {
          const summary = loaded(id);
          known.set(id, summary);
          if (fresh()) this.entry(meetingId).people.set(id, summary);
        }
      }
      return (id) => known.get(String(id)) ?? presentUserSummary(null, String(id));
    };
    const takingPart = async (meeting: Meeting, ids: string[]): Promise<Set<string>> => {
      const entry = this.entry(meetingId);
      const missing = ids.filter((id) => !entry.takingPart.has(id));
      const active = new Set(ids.filter((id) => entry.takingPart.get(id) === true));
      if (missing.length > 0) {
        // Whoever is new here is new to both: their summaries are read alongside, not after.
        const [found] = await Promise.all([stillTakingPart(meeting, missing), people(missing)]);
        for (const id of missing) {
          if (found.has(id)) active.add(id);
          if (fresh()) this.entry(meetingId).takingPart.set(id, found.has(id));
        }
      }
      return active;
    };
    return { people, takingPart };
  }
}

/** Forgets marks of writes that should have come back long ago (see OWN_WRITE_MS). */
function dropStale(entry: Entry): void {
  const now = Date.now();
  for (const [key, { until }] of entry.own) if (until <= now) entry.own.delete(key);
}

/** Wakes the presentations waiting for hand writes, once none is on its way. */
function settle(entry: Entry): void {
  if (entry.own.size > 0 || entry.landing.length === 0) return;
  const waiting = entry.landing;
  entry.landing = [];
  for (const wake of waiting) wake();
}

/** The caches of the servers running in this process, for the speakers' commands. */
const attached = new Set<LiveMeetingCache>();

/**
 * What the speakers' commands ask of the live meetings this process holds:
 * the first in line without reading the queue, and marks of their own hand
 * writes (see `LiveMeetingCache.head` and `writing`).
 */
export const liveQueues = {
  /** A running server's cache answers until the returned function is called. */
  attach(cache: LiveMeetingCache): () => void {
    attached.add(cache);
    return () => void attached.delete(cache);
  },
  head(meeting: Meeting): { first: MeetingHand | null } | null {
    for (const cache of attached) {
      const known = cache.head(meeting);
      if (known) return known;
    }
    return null;
  },
  writing(meetingId: unknown, keys: string[]): () => void {
    const undo = [...attached].map((cache) => cache.writing(String(meetingId), keys));
    return () => undo.forEach((f) => f());
  },
};
