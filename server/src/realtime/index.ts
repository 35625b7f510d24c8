/**
 * Live updates for one process: Socket.IO on the HTTP server, the watch
 * handlers, and this process's own change feed, whose changes are fanned out to
 * the rooms of this process's sockets (`io.local`).
 */
import type { Server as HttpServer } from 'node:http';
import type { Types } from 'mongoose';
import { hostname } from 'node:os';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { startChangeFeed, type ChangeFeedOptions } from './change-feed.js';
import {
  FANOUT_COLLECTIONS,
  fanOut,
  isVisibleDiscussionChange,
  type FanoutState,
} from './fanout.js';
import { attachRecords, processRecords } from './fanout-records.js';
import { fanOutPoll } from './fanout-polls.js';
import { FanoutContext } from './fanout-context.js';
import { PollPublishing } from './poll-publishing.js';
import { createSocketServer, type QuorumServer } from './io.js';
import { discussionWatchHandlers } from './watch.js';
import {
  registerClientEvents,
  type ClientEventHandlers,
  type ExtendClientEvents,
} from './client-events.js';
import type { CollabClientEvent } from '../../../shared/events.js';
import { ACCESS_COLLECTIONS, AccessTracker } from './access.js';
import { fanOutDiscussionLists, fanOutGuest, fanOutMembership } from './fanout-groups.js';
import { GroupRooms } from './group-rooms.js';
import { TimelineGate } from './timeline-gate.js';
import type { Guest } from '../models/guest.js';
import { PRESENCE_COLLECTION, PresenceTracker, type PresenceOptions } from './presence.js';
import { fanOutModeration, MODERATION_COLLECTIONS } from '../moderation/fanout.js';
import { heldRestrictions } from '../moderation/restrictions-held.js';
import { heldViewers } from '../auth/viewers-held.js';
import { moderationHandlers } from '../moderation/socket.js';
import { MEETING_COLLECTIONS, MeetingsLive } from '../meetings/live.js';
import { meetingHandlers } from '../meetings/handlers.js';

export interface Realtime {
  io: QuorumServer;
  /** Resolves when the change feed is open (tests wait for it before writing). */
  ready: Promise<void>;
  /** Resolves once every change committed before the call has been fanned out here (tests). */
  barrier(): Promise<void>;
  /** Who is viewing and typing, across processes. */
  presence: PresenceTracker;
  /** Meetings live on this process (and the timers that close polls on time). */
  meetings: MeetingsLive;
  /** The id under which this process's feed position is stored (models/feed-position.ts). */
  feedId: string;
  /**
   * Stops this process's change feed while Socket.IO stays up, its position
   * persisted: changes written meanwhile reach no socket until `resumeFeed()`.
   * For tests of what clients do after a gap (e.g. `feed:resync`); do not call
   * `barrier()` while paused.
   */
  pauseFeed(): Promise<void>;
  /**
   * Opens the change feed again from its persisted position, as a restart
   * would: it delivers what was missed, or, when that position is no longer in
   * the database's history, starts from now and sends `feed:resync` to this
   * process's sockets. Resolves once the feed is open (and any resync sent).
   */
  resumeFeed(): Promise<void>;
  /**
   * The first step of a shutdown: refuses new connections and closes every
   * open one at its transport (WebSocket or long poll). Clients see
   * `transport close`, not `io server disconnect`, so they show that they are
   * reconnecting and connect again by themselves once a server is back.
   */
  disconnectClients(): void;
  /** Where collaboration (started after realtime, on the same sockets) hands in its event handlers. */
  extendClientEvents: ExtendClientEvents;
  close(): Promise<void>;
}

export async function startRealtime(props: {
  httpServer: HttpServer;
  config: Pick<Config, 'jwtSecret' | 'publicUrl' | 'port'>;
  logger: Logger;
  /** Tests shorten the server-side wait of the feed. */
  maxAwaitTimeMS?: number;
  /** Presence and typing timings (tests shorten them). */
  presence?: PresenceOptions;
}): Promise<Realtime> {
  let accepting = true;
  const io = createSocketServer(props.httpServer, {
    ...props.config,
    accepting: () => accepting,
  });
  const access = new AccessTracker(io);
  io.on('connection', (socket) => access.track(socket.data.viewer));
  const gate = new TimelineGate(io);
  const records = processRecords;
  // Each publish reads the poll afresh, in a context of its own.
  const polls = new PollPublishing(
    (pollId, cause) => fanOutPoll(new FanoutContext(io, records), pollId, cause),
    (error) => props.logger.error('polls live: a publish failed', error),
  );
  const fanout: FanoutState = { io, gate, records, polls };
  const groups = new GroupRooms(io);
  const presence = new PresenceTracker(io, props.logger, props.presence);
  const meetings = new MeetingsLive(io, props.logger, records);
  // Every client event but collaboration's, which server/src/collab/ adds when it starts.
  const own: Omit<ClientEventHandlers, CollabClientEvent> = {
    ...discussionWatchHandlers(gate),
    ...groups.handlers(),
    ...presence.handlers(),
    ...moderationHandlers(),
    ...meetingHandlers(meetings),
  };
  const extendClientEvents = registerClientEvents(io, own, { logger: props.logger });
  await meetings.pollTimers.load();
  const feedOptions: ChangeFeedOptions = {
    feedId: `realtime:${hostname()}:${props.config.port}`,
    announce: 'live updates ready',
    collections: [
      ...new Set([
        ...FANOUT_COLLECTIONS,
        ...ACCESS_COLLECTIONS,
        PRESENCE_COLLECTION,
        ...MODERATION_COLLECTIONS,
        ...MEETING_COLLECTIONS,
      ]),
    ],
    // Before any filtering: what this process holds of a changed record is dropped first.
    observe: (change) => {
      fanout.records.forget(change);
      heldViewers.observe(change);
      if (change.collection !== 'restrictions') return;
      // A deletion names no one (the document is gone): everyone's copies go.
      const userId = change.fullDocument?.userId as Types.ObjectId | undefined;
      heldRestrictions.forget(userId ? String(userId) : null);
    },
    isObservable: (change) => {
      if (change.collection === PRESENCE_COLLECTION) return PresenceTracker.isObservable(change);
      if (change.collection === 'discussions') return isVisibleDiscussionChange(change);
      return AccessTracker.isObservable(change);
    },
    // Access first: a socket that just lost its right must not receive the change that removed it.
    onChange: async (change) => {
      if (ACCESS_COLLECTIONS.includes(change.collection)) await access.onChange(change);
      if (FANOUT_COLLECTIONS.includes(change.collection)) await fanOut(fanout, change);
      if (change.collection === 'discussions') await fanOutDiscussionLists(io, groups, change);
      if (change.collection === 'memberships') await fanOutMembership(io, groups, change);
      if (
        change.collection === 'guests' &&
        change.operationType === 'insert' &&
        change.fullDocument
      )
        await fanOutGuest(io, change.fullDocument as unknown as Guest);
      if (change.collection === PRESENCE_COLLECTION) presence.onChange(change);
      if (MODERATION_COLLECTIONS.includes(change.collection)) await fanOutModeration(io, change);
      await meetings.onChange(change);
    },
    onResync: (reason) => {
      fanout.records.clear();
      meetings.forget();
      heldRestrictions.forget(null);
      heldViewers.forget(null);
      props.logger.warn(
        `change feed could not resume (${reason}); asking clients to resynchronise`,
      );
      io.local.emit('feed:resync', { reason });
    },
    logger: props.logger,
    maxAwaitTimeMS: props.maxAwaitTimeMS,
  };
  let feed = await startChangeFeed(feedOptions);
  // Restrictions, viewers and (for REST writes) records are held only while this feed keeps them true.
  const attach = () => {
    const releases = [
      heldRestrictions.attach(),
      heldViewers.attach(),
      attachRecords(),
      meetings.holdQueues(),
    ];
    return () => releases.forEach((release) => release());
  };
  let release = attach();
  let paused = false;
  return {
    io,
    ready: feed.ready,
    barrier: () => feed.barrier(),
    presence,
    meetings,
    feedId: feedOptions.feedId,
    async pauseFeed() {
      paused = true;
      release();
      await feed.stop();
      // Changes written meanwhile reach no one here: nothing held may outlive them.
      fanout.records.clear();
    },
    async resumeFeed() {
      if (!paused) return;
      paused = false;
      fanout.records.clear();
      feed = await startChangeFeed(feedOptions);
      release = attach();
      await feed.ready;
    },
    extendClientEvents,
    disconnectClients() {
      accepting = false;
      // Every engine connection, including any not yet connected to a namespace.
      io.engine.close();
    },
    async close() {
      accepting = false;
      release();
      await feed.stop();
      polls.close();
      await meetings.close();
      // Before the sockets go: their presences leave with this process's, in one delete.
      await presence.close();
      await io.close();
    },
  };
}
