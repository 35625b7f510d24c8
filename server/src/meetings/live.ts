/**
 * Meetings live, on one process: changes of meetings, hands, signals and
 * quick-vote polls come from the change feed; each re-presents the meeting
 * once per view that has sockets here and emits it to that view's room.
 * Each view's presentation is diffed against the one before and only the
 * change goes out (`meeting:patch`, numbered per view; see
 * shared/meeting-patch.ts), and people and participation come from a cache
 * (live-cache.ts), so 300 raised hands cost small messages, not 300 whole
 * states read and sent to 300 sockets.
 * Presentations of one meeting run one after another, and a burst of changes
 * (300 hands in a second) collapses into as many presentations as there is
 * time for, each showing everything stored before it began: latency stays one
 * presentation, not a queue of them. A (re)connecting socket's reply goes
 * through the same line, so it never arrives after an older broadcast.
 * Access changes (a member removed, a group turned private) move or drop this
 * process's meeting sockets at once. The same changes feed the minutes
 * (decisions, attendance: minutes-blocks.ts), and the rooms themselves the
 * attendance (attendance.ts).
 */
import type { Types } from 'mongoose';
import { diffMeeting } from '../../../shared/meeting-patch.js';
import {
  MEETING_VIEWS,
  type HandDto,
  type MeetingDto,
  type MeetingView,
} from '../../../shared/meetings.js';
import { VISITOR } from '../auth/viewer.js';
import { ballots } from '../commands/polls/load.js';
import type { Logger } from '../logger.js';
import { MeetingModel, type Meeting } from '../models/meeting.js';
import type { MeetingHand } from '../models/meeting-hand.js';
import type { Poll } from '../models/poll.js';
import { canReadGroupContent } from '../policies/group.js';
import { meetingViewOf } from '../policies/meeting.js';
import { presentMeetingSummary } from '../presenters/meeting.js';
import type { FeedChange } from '../realtime/change-feed.js';
import type { QuorumServer, QuorumSocket } from '../realtime/io.js';
import { KeyedQueue } from '../realtime/keyed-queue.js';
import { groupRoom } from '../realtime/rooms.js';
import { emitInTurns } from '../realtime/room-turns.js';
import { loadMeeting, loadReadableMeeting } from './load.js';
import { PollTimers } from './poll-timers.js';
import { AttendanceTracker } from './attendance.js';
import { MinutesScribe } from './minutes-blocks.js';
import { LiveMeetingCache, liveQueues } from './live-cache.js';
import type { FanoutRecords } from '../realtime/fanout-records.js';
import { ownSignal, presentMeetingFor } from './state.js';

export const meetingRoom = (meetingId: string, view: MeetingView) => `meeting:${meetingId}:${view}`;
const MEETING_ROOM = /^meeting:([0-9a-f]{24}):/;

/**
 * The collections whose changes move meetings (besides access, handled
 * through `ACCESS`). Not votes: a ballot is never written without its poll in
 * the same transaction (its count, its batch, its closing: commands/polls/),
 * and the poll's change re-presents the meeting.
 */
export const MEETING_COLLECTIONS = ['meetings', 'meeting_hands', 'meeting_signals', 'polls'];
const ACCESS = ['memberships', 'guests', 'users', 'groups'];

/** Fields of a meeting its summary shows (meetings lists, banners). */
const SUMMARY_FIELDS = ['state', 'title', 'scheduledAt', 'expectedMinutes'];
const summaryChanged = (change: FeedChange) =>
  SUMMARY_FIELDS.some((field) => field in (change.updatedFields ?? {})) ||
  change.operationType === 'replace';

/** Fields of a poll that only votes write (commands/polls/cast-vote.ts). */
const VOTE_COUNTS = new Set(['voterCount', 'unpublishedVotes']);

/** The poll's new count of voters, when votes moved that and nothing else of the poll. */
function countedVoters(change: FeedChange): number | null {
  if (change.operationType !== 'update' || (change.removedFields ?? []).length > 0) return null;
  const fields = change.updatedFields ?? {};
  const counts = Object.keys(fields).every((field) => VOTE_COUNTS.has(field));
  return counts && typeof fields.voterCount === 'number' ? fields.voterCount : null;
}

/** Every field of a hand (the compiler checks none is missed). */
const HAND_FIELDS = Object.keys({
  id: 0,
  kind: 0,
  user: 0,
  raisedAt: 0,
  spokeOnItem: 0,
} satisfies Record<keyof HandDto, 0>) as Array<keyof HandDto>;

/**
 * `next` with each hand that reads exactly as in `last` replaced by last's
 * object, whose comparison the diff has already worked out (shared/meeting-patch.ts):
 * a raise among 300 hands re-presents 300, of which one is new.
 */
function sameHands(last: readonly HandDto[], next: HandDto[]): HandDto[] {
  const before = new Map(last.map((hand) => [hand.id, hand]));
  const same = (a: HandDto, b: HandDto) =>
    HAND_FIELDS.every((field) =>
      field === 'user'
        ? a.user === b.user || JSON.stringify(a.user) === JSON.stringify(b.user)
        : a[field] === b[field],
    );
  return next.map((hand) => {
    const old = before.get(hand.id);
    return old && same(old, hand) ? old : hand;
  });
}

export class MeetingsLive {
  private readonly line: KeyedQueue;
  /** Per meeting and view, the last presentation sent here (with its version). */
  private readonly shown = new Map<string, Map<MeetingView, MeetingDto>>();
  private readonly cache = new LiveMeetingCache();
  /** Per loaded queue (see LiveMeetingCache), each view's presentation of it. */
  private readonly presentedQueues = new WeakMap<MeetingHand[], Map<MeetingView, HandDto[]>>();
  /** Per view, each hand as last presented (the presenter takes it again while it reads the same). */
  private readonly presentedHands = new Map<MeetingView, WeakMap<MeetingHand, HandDto>>();
  /** Meetings with a presentation queued (not yet begun): another change needs no second one. */
  private readonly queued = new Set<string>();
  /** Quick-vote polls -> their meeting (a poll never changes meeting). */
  private readonly pollMeetings = new Map<string, string>();
  readonly pollTimers: PollTimers;
  /** Who is present in which meeting, for the minutes' attendance. */
  readonly attendance: AttendanceTracker;
  /** The blocks the server writes into minutes. */
  readonly minutes: MinutesScribe;
  /**
   * How long a presentation waits at most for hands this process is writing
   * (LiveMeetingCache.landed): about a write's round trip through the feed.
   */
  gatherMs = 10;

  constructor(
    private readonly io: QuorumServer,
    private readonly logger: Logger,
    /** The fan-out's discussions and groups, kept true by the change feed. */
    private readonly records: FanoutRecords,
  ) {
    this.line = new KeyedQueue((error) =>
      logger.error('meetings live: presentation failed', error),
    );
    this.pollTimers = new PollTimers(logger);
    this.attendance = new AttendanceTracker(io, logger);
    this.minutes = new MinutesScribe(logger);
  }

  /**
   * While the change feed keeps this process's cache true (realtime/index.ts),
   * the speakers' commands may take the first in line from it; released, and
   * when the feed could not resume, everything it holds is read again.
   */
  holdQueues(): () => void {
    // What was held before this feed began may miss what was written meanwhile.
    this.forget();
    const detach = liveQueues.attach(this.cache);
    return () => {
      detach();
      this.forget();
    };
  }

  /** Changes may have been missed (the feed paused or lost its place): read everything again. */
  forget(): void {
    this.cache.clear();
  }

  /** Resolves once every presentation queued so far has gone out (tests). */
  idle(): Promise<void> {
    return this.line.idle();
  }

  /** Meetings with sockets on this process. */
  private localMeetings(): string[] {
    const ids = new Set<string>();
    for (const room of this.io.of('/').adapter.rooms.keys()) {
      const id = MEETING_ROOM.exec(room)?.[1];
      if (id) ids.add(id);
    }
    return [...ids];
  }

  /**
   * The views with sockets here, the smallest room first: a large room is
   * written in turns (emit), and the few screens of the facilitators' view
   * need not wait for them.
   */
  private localViews(meetingId: string): MeetingView[] {
    const rooms = this.io.of('/').adapter.rooms;
    const size = (view: MeetingView) => rooms.get(meetingRoom(meetingId, view))?.size ?? 0;
    return MEETING_VIEWS.filter((view) => size(view) > 0).sort((a, b) => size(a) - size(b));
  }

  /** Queues one presentation of the meeting for its views here (coalescing with a queued one). */
  schedule(meetingId: string): void {
    if (this.queued.has(meetingId) || this.localViews(meetingId).length === 0) return;
    this.queued.add(meetingId);
    void this.line.push(meetingId, async () => {
      // The other changes of the same write (a speaker called: two hands and the meeting) are
      // delivered in the same turn: one presentation shows them together.
      await new Promise((resolve) => setImmediate(resolve));
      // So are the hands raised here a moment later, already on their way (a burst of raises),
      // with the rest of the write whose change ended the wait.
      if (await this.cache.landed(meetingId, this.gatherMs))
        await new Promise((resolve) => setImmediate(resolve));
      this.queued.delete(meetingId);
      await this.broadcast(meetingId);
    });
  }

  private async broadcast(meetingId: string): Promise<void> {
    const views = this.localViews(meetingId);
    const shown = this.shown.get(meetingId);
    for (const view of shown?.keys() ?? []) if (!views.includes(view)) shown?.delete(view);
    if (views.length === 0) {
      this.shown.delete(meetingId);
      this.cache.drop(meetingId);
      return;
    }
    const parts = await this.cache.parts(meetingId, this.records);
    if (!parts) return;
    // One read of the quick vote's ballots for every view of this presentation.
    let shared: ReturnType<typeof ballots> | null = null;
    const loadBallots: typeof ballots = (ids) =>
      ids.length === 0 ? ballots(ids) : (shared ??= ballots(ids));
    // While the hands have not moved, each view's queue is the one it was last shown.
    let queues = this.presentedQueues.get(parts.queue);
    if (!queues)
      this.presentedQueues.set(parts.queue, (queues = new Map<MeetingView, HandDto[]>()));
    for (const view of views) {
      const last = this.shown.get(meetingId)?.get(view);
      let hands = this.presentedHands.get(view);
      if (!hands) this.presentedHands.set(view, (hands = new WeakMap()));
      const dto = await presentMeetingFor(view, parts, {
        loadBallots,
        presentedQueue: queues.get(view),
        presentedHands: hands,
      });
      if (last && !queues.has(view)) dto.queue = sameHands(last.queue, dto.queue);
      queues.set(view, dto.queue);
      await this.emit(meetingId, view, dto);
    }
  }

  /**
   * Sends a view's new presentation: whole to a new stream, else only what
   * changed; to a large room in turns (realtime/room-turns.ts), so the actions
   * arriving meanwhile are read, not queued behind every screen.
   */
  private async emit(meetingId: string, view: MeetingView, dto: MeetingDto): Promise<void> {
    let streams = this.shown.get(meetingId);
    if (!streams) this.shown.set(meetingId, (streams = new Map<MeetingView, MeetingDto>()));
    const room = meetingRoom(meetingId, view);
    const last = streams.get(view);
    if (!last) {
      const first = { ...dto, version: 1 };
      streams.set(view, first);
      return emitInTurns(this.io, room, 'meeting:state', first);
    }
    const patch = diffMeeting(last, dto, last.version);
    if (!patch) return;
    streams.set(view, { ...dto, version: patch.version });
    await emitInTurns(this.io, room, 'meeting:patch', patch);
  }

  /** Puts the socket in the room of its view and answers with the whole state, in line with broadcasts. */
  async watch(socket: QuorumSocket, meetingId: string): Promise<MeetingDto> {
    const viewer = socket.data.viewer;
    const { meeting, view } = await loadReadableMeeting(viewer, meetingId);
    if (viewer.user) this.cache.warm(meetingId, meeting, String(viewer.user._id));
    await this.enter(socket, meetingId, view);
    let reply: MeetingDto | null = null;
    await this.line.push(meetingId, async () => {
      const loaded = await loadMeeting(meetingId);
      if (!loaded) return;
      const current = meetingViewOf(socket.data.viewer, loaded.meeting, loaded.group);
      if (!current) return;
      if (current !== view) await this.enter(socket, meetingId, current);
      // Brings every stream here up to date, so the reply is the version the next patch applies to.
      await this.broadcast(meetingId);
      const shown = this.shown.get(meetingId)?.get(current);
      if (!shown) return;
      reply = { ...shown, mySignal: await ownSignal(loaded.meeting, socket.data.viewer) };
    });
    if (!reply) throw new Error('meeting vanished while watching');
    return reply;
  }

  async unwatch(socket: QuorumSocket, meetingId: string): Promise<void> {
    for (const view of MEETING_VIEWS) await socket.leave(meetingRoom(meetingId, view));
  }

  private async enter(socket: QuorumSocket, meetingId: string, view: MeetingView | null) {
    for (const other of MEETING_VIEWS)
      if (other !== view) await socket.leave(meetingRoom(meetingId, other));
    if (view) await socket.join(meetingRoom(meetingId, view));
  }

  /** Handles one change from the feed (after access has refreshed sockets' viewers). */
  async onChange(change: FeedChange): Promise<void> {
    const doc = change.fullDocument;
    switch (change.collection) {
      case 'meetings':
        this.cache.meetingChanged(String(change.documentKey), doc as unknown as Meeting | null);
        this.schedule(String(change.documentKey));
        this.holdAgain(String(change.documentKey));
        this.toMinutes(change, String(change.documentKey));
        if (doc && (change.operationType === 'insert' || summaryChanged(change)))
          this.announce(doc as unknown as Meeting);
        return;
      case 'meeting_hands':
        if (!doc) return;
        this.cache.handChanged(String(doc.meetingId), {
          hand: doc as unknown as MeetingHand,
          inserted: change.operationType === 'insert',
        });
        return this.schedule(String(doc.meetingId));
      case 'meeting_signals':
        if (!doc) return;
        this.cache.moved(String(doc.meetingId), 'signals');
        return this.schedule(String(doc.meetingId));
      case 'polls': {
        if (doc) this.pollTimers.schedule(doc as unknown as Poll);
        const presented = this.schedulePoll(
          change.documentKey as Types.ObjectId,
          countedVoters(change),
          doc as unknown as Poll | null,
        );
        this.toMinutes(change, this.pollMeetings.get(String(change.documentKey)));
        return presented;
      }
    }
    if (ACCESS.includes(change.collection)) {
      this.cache.clear();
      await this.recheckAll();
    }
  }

  /**
   * The minutes' blocks a change brings (minutes-blocks.ts: a result revealed,
   * a decision, attendance) are worked out once the change's presentation
   * here has gone out, where this process presents the meeting: their reads
   * and writes would otherwise run between that broadcast's shares.
   */
  private toMinutes(change: FeedChange, meetingId: string | undefined): void {
    if (meetingId === undefined) return this.minutes.onChange(change);
    this.afterPresentations(meetingId, () => this.minutes.onChange(change));
  }

  /** Starts `work` once the meeting's presentations queued so far have gone out (not awaited there). */
  private afterPresentations(meetingId: string, work: () => void): void {
    void this.line.push(meetingId, () => Promise.resolve(work()));
  }

  /**
   * The feed dropped the meeting this process held for checking actions
   * (load.ts): where it is watched, it is read again rather than on the
   * facilitator's next click, which would otherwise wait for the read. Once
   * the change's presentation (queued before) has gone out: its answer would
   * otherwise be decoded between the shares of that broadcast.
   */
  private holdAgain(meetingId: string): void {
    if (this.localViews(meetingId).length === 0) return;
    // Dropped on failure; read when asked.
    this.afterPresentations(
      meetingId,
      () => void this.records.meeting(meetingId).catch(() => undefined),
    );
  }

  /**
   * A quick vote's poll (or its tally) moved: its meeting re-presents, with
   * the poll as the feed delivered it (`fed`, read where it is missing), or
   * as held with its new count where only that moved (`voterCount`).
   */
  private async schedulePoll(
    pollId: Types.ObjectId,
    voterCount: number | null,
    fed: Poll | null,
  ): Promise<void> {
    const known = this.pollMeetings.get(String(pollId));
    if (known) {
      if (voterCount === null || !this.cache.counted(known, String(pollId), voterCount))
        this.cache.pollChanged(known, fed);
      return this.schedule(known);
    }
    // No meeting is watched here: none to present (and no lookup for every vote of every poll).
    if (this.localMeetings().length === 0) return;
    const meeting = await MeetingModel.findOne({ 'quickVotes.pollId': pollId }, { _id: 1 }).lean();
    if (!meeting) return;
    this.pollMeetings.set(String(pollId), String(meeting._id));
    this.cache.pollChanged(String(meeting._id), fed);
    this.schedule(String(meeting._id));
  }

  /**
   * A meeting scheduled, started, ended or rescheduled: the group's watched
   * lists hear of it (banners, the meetings tab), where meetings are visible.
   */
  private announce(meeting: Meeting): void {
    const summary = presentMeetingSummary(meeting);
    const groupId = String(meeting.groupId);
    this.io.local
      .to([groupRoom(groupId, 'member'), groupRoom(groupId, 'coordinator')])
      .emit('meeting:summary', summary);
    void loadMeeting(String(meeting._id)).then((loaded) => {
      if (loaded && canReadGroupContent(VISITOR, loaded.group))
        this.io.local.to(groupRoom(groupId, 'visitor')).emit('meeting:summary', summary);
    });
  }

  /**
   * Someone's rights changed: every meeting socket here gets the view it may
   * have now, or none; one whose view changed gets that view's whole state
   * (its patches belong to another stream).
   */
  private async recheckAll(): Promise<void> {
    for (const meetingId of this.localMeetings()) {
      const rooms = MEETING_VIEWS.map((view) => meetingRoom(meetingId, view));
      const sockets = (await this.io.local.in(rooms).fetchSockets()) as unknown as QuorumSocket[];
      const loaded = await loadMeeting(meetingId);
      const moved: Array<[QuorumSocket, MeetingView]> = [];
      for (const socket of sockets) {
        const view = loaded
          ? meetingViewOf(socket.data.viewer, loaded.meeting, loaded.group)
          : null;
        const before = MEETING_VIEWS.find((v) => socket.rooms.has(meetingRoom(meetingId, v)));
        await this.enter(socket, meetingId, view);
        if (!view) socket.emit('access:revoked', { meetingId, reason: 'access_removed' });
        else if (view !== before) moved.push([socket, view]);
      }
      void this.line.push(meetingId, async () => {
        await this.broadcast(meetingId);
        for (const [socket, view] of moved) {
          const shown = this.shown.get(meetingId)?.get(view);
          if (shown && socket.rooms.has(meetingRoom(meetingId, view)))
            socket.emit('meeting:state', shown);
        }
      });
    }
  }

  async close(): Promise<void> {
    this.pollTimers.close();
    await this.line.idle(); // what it holds for the minutes is handed over
    await this.minutes.idle();
    await this.attendance.close();
  }
}
