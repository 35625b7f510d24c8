/**
 * Collaborative documents for one process (Yjs over the existing Socket.IO
 * connection; see hub.ts, sessions.ts, awareness.ts, persistence.ts): the
 * socket events, and this process's own change feed of the document logs,
 * the awareness rows, polls (a closed poll's details become read-only) and
 * meetings (a minute-taker named or unnamed, minutes published) and
 * restrictions (a muted or suspended editor's updates are refused), so what
 * another process accepted reaches this process's sockets.
 */
import { hostname } from 'node:os';
import type { Logger } from '../logger.js';
import { heldRestrictions } from '../moderation/restrictions-held.js';
import { startChangeFeed, type ChangeFeed, type FeedChange } from '../realtime/change-feed.js';
import type { QuorumServer } from '../realtime/io.js';
import type { ExtendClientEvents } from '../realtime/client-events.js';
import type { Types } from 'mongoose';
import { DocUpdateModel } from '../models/doc-update.js';
import { RestrictionModel } from '../models/restriction.js';
import { AWARENESS_COLLECTION, AwarenessRelay } from './awareness.js';
import { collabHandlers, releaseOnDisconnect } from './handlers.js';
import { CollabHub, type HubSettings } from './hub.js';
import { bytesOf } from './persistence.js';
import { CollabSessions } from './sessions.js';

const UPDATES_COLLECTION = DocUpdateModel.collection.collectionName;
const RESTRICTIONS_COLLECTION = RestrictionModel.collection.collectionName;
const POLL_RIGHTS_FIELDS = ['closedAt', 'closesAt', 'authorId', 'discussionId'];
/**
 * The poll changes that move no rights (every vote moves its counts), as a
 * change stream's filter: what isObservable drops, left in the database.
 */
export const POLL_CHANGES_WITHOUT_RIGHTS = {
  'ns.coll': 'polls',
  $nor: [
    {
      operationType: 'update',
      $or: POLL_RIGHTS_FIELDS.map((field) => ({
        [`updateDescription.updatedFields.${field}`]: { $exists: true },
      })),
    },
  ],
};
/** Fields of a meeting its minutes' rights depend on (collab/documents.ts, `canWriteMinutes`). */
const MEETING_RIGHTS_FIELDS = ['minuteTakerId', 'facilitatorIds', 'minutes', 'discussionIds'];
/** The top-level fields a meeting's change names (set, removed, or an array cut short). */
const meetingFieldsOf = (change: FeedChange) =>
  [
    ...Object.keys(change.updatedFields ?? {}),
    ...(change.removedFields ?? []),
    ...(change.truncatedArrays ?? []),
  ].map((field) => field.split('.')[0]);
/**
 * The meeting updates that move no rights (a speaker called, a timer paused,
 * a hand's item moved on: every queue change of a live meeting), as a change
 * stream's filter. Fields are named by path ("minutes.publishedAt"), so each
 * is cut at its first dot, as isObservable does. Every list the update may
 * leave out counts as empty: a filter that fails would end the stream.
 */
export const MEETING_CHANGES_WITHOUT_RIGHTS = {
  'ns.coll': 'meetings',
  operationType: 'update',
  $expr: {
    $not: [
      {
        $anyElementTrue: [
          {
            $map: {
              input: {
                $concatArrays: [
                  {
                    $map: {
                      input: {
                        $objectToArray: { $ifNull: ['$updateDescription.updatedFields', {}] },
                      },
                      in: '$$this.k',
                    },
                  },
                  { $ifNull: ['$updateDescription.removedFields', []] },
                  {
                    $map: {
                      input: { $ifNull: ['$updateDescription.truncatedArrays', []] },
                      in: '$$this.field',
                    },
                  },
                ],
              },
              in: {
                $in: [{ $arrayElemAt: [{ $split: ['$$this', '.'] }, 0] }, MEETING_RIGHTS_FIELDS],
              },
            },
          },
        ],
      },
    ],
  },
};

export interface Collab {
  hub: CollabHub;
  /** Resolves once every change committed before the call has been handled here (tests). */
  barrier(): Promise<void>;
  close(): Promise<void>;
}

function isObservable(change: FeedChange): boolean {
  if (change.collection === UPDATES_COLLECTION) return change.operationType === 'insert';
  if (change.collection === 'polls')
    return (
      change.operationType === 'update' &&
      POLL_RIGHTS_FIELDS.some((field) => field in (change.updatedFields ?? {}))
    );
  if (change.collection === 'meetings')
    return (
      change.operationType === 'update' &&
      meetingFieldsOf(change).some((field) => MEETING_RIGHTS_FIELDS.includes(field))
    );
  return true;
}

export async function startCollab(props: {
  io: QuorumServer;
  /** Realtime's one door for client events (rate limits, validation) takes the collab events. */
  extendClientEvents: ExtendClientEvents;
  logger: Logger;
  settings: HubSettings;
  port: number;
  maxAwaitTimeMS?: number;
}): Promise<Collab> {
  const { io, logger } = props;
  const hub = new CollabHub(io, logger, props.settings);
  const relay = new AwarenessRelay(io, hub, logger);
  hub.onCreate = async (doc) => {
    relay.attach(doc);
    await relay.loadRemote(doc);
  };
  const sessions = new CollabSessions(io, hub, relay, logger);
  props.extendClientEvents(collabHandlers(sessions, props.settings));
  releaseOnDisconnect(io, sessions);
  const feed: ChangeFeed = await startChangeFeed({
    feedId: `collab:${hostname()}:${props.port}`,
    announce: 'shared editing ready',
    collections: [
      UPDATES_COLLECTION,
      AWARENESS_COLLECTION,
      'polls',
      'meetings',
      RESTRICTIONS_COLLECTION,
    ],
    isObservable,
    ignore: [
      // This process's own updates and carets are applied here already: the database keeps them.
      {
        'ns.coll': { $in: [UPDATES_COLLECTION, AWARENESS_COLLECTION] },
        'fullDocument.processId': hub.processId,
      },
      // So a room voting does not wake this feed for every vote, nor a meeting for every speaker.
      POLL_CHANGES_WITHOUT_RIGHTS,
      MEETING_CHANGES_WITHOUT_RIGHTS,
    ],
    onChange: async (change) => {
      if (change.collection === UPDATES_COLLECTION) {
        const row = change.fullDocument;
        if (row && row.processId !== hub.processId)
          hub.applyRemote(String(row.doc), bytesOf(row.update));
      } else if (change.collection === AWARENESS_COLLECTION) {
        relay.onChange(change);
      } else if (change.collection === 'meetings') {
        await sessions.recheckRecord(`meeting:${String(change.documentKey)}:`);
      } else if (change.collection === RESTRICTIONS_COLLECTION) {
        const userId = change.fullDocument?.userId as Types.ObjectId | undefined;
        if (userId) {
          // This feed may hear of it before the realtime feed drops the process's held copy.
          heldRestrictions.forget(String(userId));
          await sessions.recheckBlocks(String(userId));
        }
      } else {
        await sessions.recheckRecord(`poll:${String(change.documentKey)}:`);
      }
    },
    // Updates stored meanwhile never arrived: open documents reload and their sockets get what they lacked.
    onResync: async (reason) => {
      logger.warn(`collab feed could not resume (${reason}); reloading open documents`);
      const reloaded = await hub.reloadAll();
      logger.info(`collab: reloaded ${reloaded} open documents after a feed resync`);
    },
    logger,
    maxAwaitTimeMS: props.maxAwaitTimeMS,
  });
  await feed.ready;
  return {
    hub,
    barrier: () => feed.barrier(),
    async close() {
      await feed.stop();
      await hub.close();
      await relay.close();
    },
  };
}
