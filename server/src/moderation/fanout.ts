/**
 * Moderation records from the change feed to the sockets allowed to see them:
 * a group's queue count to its moderators' queue room (each socket's right
 * re-checked before it hears anything), a report's status to its reporter's
 * own room, restrictions and notices to the person concerned. Nothing of a
 * report (reporter, note) ever goes anywhere else.
 *
 * The queue count goes out when a report changes, and also after every
 * moderation action in the group (its audit entry): an action may change an
 * item without changing the count (hiding keeps it open pending review, a
 * warning adds to the author's history), and the other moderators' queues
 * reload on each count.
 */
import type { Types } from 'mongoose';
import type { AuditEntry } from '../models/audit-entry.js';
import type { Report } from '../models/report.js';
import type { Restriction } from '../models/restriction.js';
import type { ModerationNotice } from '../models/moderation-notice.js';
import { canModerateGroup } from '../policies/moderation.js';
import type { FeedChange } from '../realtime/change-feed.js';
import type { QuorumServer, QuorumSocket } from '../realtime/io.js';
import { userRoom } from '../realtime/rooms.js';
import { presentNotice } from './present.js';
import { openCount } from './queue.js';
import { presentOwnReport } from './reports.js';
import { ownRestrictions, presentRestriction } from './restrictions.js';
import { moderationRoom } from './rooms.js';

export const MODERATION_COLLECTIONS = [
  'reports',
  'restrictions',
  'moderationnotices',
  'auditentries',
];

const hasRoom = (io: QuorumServer, room: string) => io.of('/').adapter.rooms.has(room);

async function fanOutQueue(io: QuorumServer, groupId: string): Promise<void> {
  const room = moderationRoom(groupId);
  if (!hasRoom(io, room)) return;
  const sockets = (await io.local.in(room).fetchSockets()) as unknown as QuorumSocket[];
  for (const socket of sockets)
    if (!canModerateGroup(socket.data.viewer, { _id: groupId })) await socket.leave(room);
  io.local.to(room).emit('moderation:queue', { groupId, open: await openCount(groupId) });
}

async function fanOutRestrictions(io: QuorumServer, userId: Types.ObjectId): Promise<void> {
  const room = userRoom(String(userId));
  if (!hasRoom(io, room)) return;
  const restrictions = await ownRestrictions(userId);
  io.local.to(room).emit('restriction:changed', restrictions.map(presentRestriction));
}

/** Handles one change of a moderation collection. */
export async function fanOutModeration(io: QuorumServer, change: FeedChange): Promise<void> {
  const doc = change.fullDocument;
  if (!doc) return;
  if (change.collection === 'reports') {
    const report = doc as unknown as Report;
    if (report.groupId) await fanOutQueue(io, String(report.groupId));
    if (report.reporterId && hasRoom(io, userRoom(String(report.reporterId))))
      io.local
        .to(userRoom(String(report.reporterId)))
        .emit('report:updated', presentOwnReport(report));
  } else if (change.collection === 'restrictions') {
    const restriction = doc as unknown as Restriction;
    if (restriction.kind !== 'ban') await fanOutRestrictions(io, restriction.userId);
  } else if (change.collection === 'auditentries' && change.operationType === 'insert') {
    const entry = doc as unknown as Pick<AuditEntry, 'action' | 'groupId'>;
    if (entry.groupId && entry.action.startsWith('moderation_'))
      await fanOutQueue(io, String(entry.groupId));
  } else if (change.collection === 'moderationnotices' && change.operationType === 'insert') {
    const notice = doc as unknown as ModerationNotice;
    io.local.to(userRoom(String(notice.userId))).emit('moderation:notice', presentNotice(notice));
  }
}
