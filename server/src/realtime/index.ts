/**
 * Live updates for one process: Socket.IO on the HTTP server, the watch
 * handlers, and this process's own change feed, whose changes are fanned out to
 * the rooms of this process's sockets (`io.local`).
 */
import type { Server as HttpServer } from 'node:http';
import { hostname } from 'node:os';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { startChangeFeed, type ChangeFeedOptions } from './change-feed.js';
import { FANOUT_COLLECTIONS, fanOut, isVisibleDiscussionChange } from './fanout.js';
import { createSocketServer, type QuorumServer } from './io.js';
import { registerWatchHandlers } from './watch.js';
import { ACCESS_COLLECTIONS, AccessTracker } from './access.js';
import { fanOutDiscussionLists, fanOutGuest, fanOutMembership } from './fanout-groups.js';
import { GroupRooms } from './group-rooms.js';
import { TimelineGate } from './timeline-gate.js';
import type { Guest } from '../models/guest.js';
import { PRESENCE_COLLECTION, PresenceTracker, type PresenceOptions } from './presence.js';
import { MEETING_COLLECTIONS, MeetingsLive } from '../meetings/live.js';
import { registerMeetingHandlers } from '../meetings/handlers.js';

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
  const io = createSocketServer(props.httpServer, props.config);
  const access = new AccessTracker(io);
  io.on('connection', (socket) => access.track(socket.data.viewer));
  const gate = new TimelineGate(io);
  registerWatchHandlers(io, gate);
  const groups = new GroupRooms(io);
  const presence = new PresenceTracker(io, props.logger, props.presence);
  const meetings = new MeetingsLive(io, props.logger);
  registerMeetingHandlers(io, meetings);
  await meetings.pollTimers.load();
  const feedOptions: ChangeFeedOptions = {
    feedId: `realtime:${hostname()}:${props.config.port}`,
    collections: [
      ...new Set([
        ...FANOUT_COLLECTIONS,
        ...ACCESS_COLLECTIONS,
        PRESENCE_COLLECTION,
        ...MEETING_COLLECTIONS,
      ]),
    ],
    isObservable: (change) => {
      if (change.collection === PRESENCE_COLLECTION) return PresenceTracker.isObservable(change);
      if (change.collection === 'discussions') return isVisibleDiscussionChange(change);
      return AccessTracker.isObservable(change);
    },
    // Access first: a socket that just lost its right must not receive the change that removed it.
    onChange: async (change) => {
      if (ACCESS_COLLECTIONS.includes(change.collection)) await access.onChange(change);
      if (FANOUT_COLLECTIONS.includes(change.collection)) await fanOut(io, change, gate);
      if (change.collection === 'discussions') await fanOutDiscussionLists(io, groups, change);
      if (change.collection === 'memberships') await fanOutMembership(io, groups, change);
      if (
        change.collection === 'guests' &&
        change.operationType === 'insert' &&
        change.fullDocument
      )
        await fanOutGuest(io, change.fullDocument as unknown as Guest);
      if (change.collection === PRESENCE_COLLECTION) presence.onChange(change);
      await meetings.onChange(change);
    },
    onResync: (reason) => {
      props.logger.warn(
        `change feed could not resume (${reason}); asking clients to resynchronise`,
      );
      io.local.emit('feed:resync', { reason });
    },
    logger: props.logger,
    maxAwaitTimeMS: props.maxAwaitTimeMS,
  };
  let feed = await startChangeFeed(feedOptions);
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
      await feed.stop();
    },
    async resumeFeed() {
      if (!paused) return;
      paused = false;
      feed = await startChangeFeed(feedOptions);
      await feed.ready;
    },
    async close() {
      await feed.stop();
      meetings.close();
      // Before the sockets go: their presences leave with this process's, in one delete.
      await presence.close();
      await io.close();
    },
  };
}
