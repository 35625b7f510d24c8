/**
 * Which texts are collaborative documents, and who may read and write them.
 * A document is named by a key, `<record>:<id>:<field>`:
 *
 * - `discussion:<id>:context`: read as the discussion is read, written by
 *   those who may edit the discussion (REST's `canEditDiscussion`);
 * - `poll:<id>:details`: read as its discussion is read, written by those who
 *   may edit the poll (`canEditPoll`: its managers, while it is open);
 * - `poll:<id>:outcome`: the outcome being drafted before it is published,
 *   read and written by those who may manage the poll only (a draft is not
 *   public); publishing stays the REST route's job;
 * - `meeting:<id>:minutes`: a meeting's minutes, read by whoever may see the
 *   meeting (facilitators, participants, visitors of an open group), written
 *   by its facilitators and named minute-taker until published
 *   (`canWriteMinutes`); publishing is the meeting action's job.
 *
 * Rights come from the same policies as REST, evaluated for the socket's
 * current viewer, so a changed role changes them at the next check.
 */
import { Types, type ClientSession } from 'mongoose';
import type { Viewer } from '../auth/viewer.js';
import { loadDiscussion } from '../commands/discussions/load.js';
import { ValidationError } from '../errors.js';
import { DiscussionModel } from '../models/discussion.js';
import { PollModel } from '../models/poll.js';
import { canEditDiscussion, canReadDiscussion } from '../policies/discussion.js';
import { canEditPoll, canManagePoll } from '../policies/poll.js';
import { canWriteMinutes, meetingViewOf } from '../policies/meeting.js';
import { loadMeeting } from '../meetings/load.js';

export type DocField = 'context' | 'details' | 'outcome' | 'minutes';

/** A parsed document key. */
export interface DocRef {
  key: string;
  record: 'discussion' | 'poll' | 'meeting';
  recordId: string;
  field: DocField;
}

/**
 * What a viewer may do with a document now. `scope` is what the document
 * belongs to, `discussion:<id>` or `meeting:<id>`: a socket holds it while it
 * watches that (is in one of its rooms), and its rights are re-checked when
 * it moves between that's rooms.
 */
export interface DocRights {
  read: boolean;
  write: boolean;
  scope: string;
  /** The group the document's record belongs to; null for a discussion among guests only. */
  groupId: string | null;
}

const KEY =
  /^(discussion:[0-9a-f]{24}:context|poll:[0-9a-f]{24}:(details|outcome)|meeting:[0-9a-f]{24}:minutes)$/;

/** Parses a document key from a client; anything else is a validation error naming `doc`. */
export function parseDocKey(value: unknown): DocRef {
  if (typeof value !== 'string' || !KEY.test(value))
    throw ValidationError('doc', 'Must be a collaborative document key');
  const [record, recordId, field] = value.split(':') as [DocRef['record'], string, DocField];
  return { key: value, record, recordId, field };
}

/** The viewer's rights on a document; null when the record is gone (the same as no read right). */
export async function rightsOn(viewer: Viewer, ref: DocRef): Promise<DocRights | null> {
  if (ref.record === 'meeting') {
    const loaded = await loadMeeting(ref.recordId);
    if (!loaded) return null;
    const read = meetingViewOf(viewer, loaded.meeting, loaded.group) !== null;
    const write = read && canWriteMinutes(viewer, loaded.meeting, loaded.group);
    return {
      read,
      write,
      scope: `meeting:${ref.recordId}`,
      groupId: String(loaded.meeting.groupId),
    };
  }
  if (ref.record === 'discussion') {
    const loaded = await loadDiscussion(ref.recordId);
    if (!loaded) return null;
    const read = canReadDiscussion(viewer, loaded.discussion, loaded.group);
    const write = read && canEditDiscussion(viewer, loaded.discussion, loaded.group);
    return {
      read,
      write,
      scope: `discussion:${ref.recordId}`,
      groupId: groupIdOf(loaded.discussion),
    };
  }
  const poll = await PollModel.findById(ref.recordId);
  if (!poll) return null;
  const loaded = await loadDiscussion(String(poll.discussionId));
  if (!loaded) return null;
  const ctx = { discussion: loaded.discussion, group: loaded.group, hasVoted: false };
  const readsDiscussion = canReadDiscussion(viewer, loaded.discussion, loaded.group);
  const manages = readsDiscussion && canManagePoll(viewer, poll, ctx);
  const read = ref.field === 'outcome' ? manages : readsDiscussion;
  const write = ref.field === 'outcome' ? manages : read && canEditPoll(viewer, poll, ctx);
  return {
    read,
    write,
    scope: `discussion:${String(poll.discussionId)}`,
    groupId: groupIdOf(loaded.discussion),
  };
}

const groupIdOf = (discussion: { groupId: Types.ObjectId | null }) =>
  discussion.groupId ? String(discussion.groupId) : null;

/** The record's current plain text of the field (Markdown), to seed a document that has no state yet. */
export async function recordText(ref: DocRef): Promise<string> {
  // Minutes start empty; what is published is a copy, never read back.
  if (ref.record === 'meeting') return '';
  if (ref.record === 'discussion')
    return (await DiscussionModel.findById(ref.recordId, { context: 1 }).lean())?.context ?? '';
  const poll = await PollModel.findById(ref.recordId, { details: 1, outcome: 1 }).lean();
  if (ref.field === 'details') return poll?.details ?? '';
  return poll?.outcome?.statement ?? '';
}

/** The record's plain field of a document, read and written inside a compaction's transaction. */
export interface RecordField {
  read(session: ClientSession): Promise<string | null>;
  write(text: string, session: ClientSession): Promise<void>;
}

/**
 * The field that keeps the record's plain text equal to the document's (for
 * REST, email, exports, search): null for the outcome draft, which reaches the
 * record only when published.
 */
export function recordField(ref: DocRef): RecordField | null {
  // A draft outcome and minutes reach their record only when published.
  if (ref.field === 'outcome' || ref.field === 'minutes') return null;
  const _id = new Types.ObjectId(ref.recordId);
  if (ref.field === 'context')
    return {
      read: async (session) =>
        (await DiscussionModel.findById(_id, { context: 1 }).session(session).lean())?.context ??
        null,
      write: async (text, session) => {
        await DiscussionModel.updateOne({ _id }, { $set: { context: text } }, { session });
      },
    };
  return {
    read: async (session) =>
      (await PollModel.findById(_id, { details: 1 }).session(session).lean())?.details ?? null,
    write: async (text, session) => {
      await PollModel.updateOne({ _id }, { $set: { details: text } }, { session });
    },
  };
}
