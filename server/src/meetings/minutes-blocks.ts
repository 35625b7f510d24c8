/**
 * The blocks the server writes into a meeting's minutes, as things happen:
 *
 * - a decision when a quick vote (or an agenda item's poll) closes, with its
 *   result only when every reader of the minutes may see it, and the result
 *   added to it once a hidden one is revealed;
 * - an outcome when one is stated for such a poll;
 * - attendance (who was present, joined and left: attendance.ts) when the
 *   meeting ends.
 *
 * Each process's change feed calls `onChange`; every block has a key claimed
 * on the meeting (`minutesBlocks`) in the same transaction that appends the
 * block's Yjs update to the document's log (collab/server-edit.ts), so of
 * several processes exactly one inserts it, and nothing is inserted into
 * minutes already published. A poll whose discussion some reader of the
 * minutes may not read (a private discussion in an open group, whose
 * meeting visitors watch) gets no block: the minutes would tell them of it.
 */
import mongoose, { type Types } from 'mongoose';
import * as Y from 'yjs';
import {
  appendMarkdown,
  appendMarkdownElement,
  FRAGMENT,
  MINUTES_BLOCK,
} from '../../../shared/collab-markdown.js';
import { minutesDocKey, type MinutesBlockKind } from '../../../shared/meetings.js';
import type { PollResults } from '../../../shared/polls.js';
import { VISITOR } from '../auth/viewer.js';
import { parseDocKey } from '../collab/documents.js';
import { editStoredDocument, prepareServerEdit } from '../collab/server-edit.js';
import { loadDiscussion, type LoadedDiscussion } from '../commands/discussions/load.js';
import { loadPeople } from '../commands/discussions/people.js';
import type { Logger } from '../logger.js';
import { MeetingAttendanceModel } from '../models/meeting-attendance.js';
import { MeetingModel, type Meeting } from '../models/meeting.js';
import { meetingWritten } from './load.js';
import { PollModel, type PollDocument } from '../models/poll.js';
import { canReadDiscussion } from '../policies/discussion.js';
import { canReadGroupContent } from '../policies/group.js';
import { canSeeResults } from '../policies/poll.js';
import type { FeedChange } from '../realtime/change-feed.js';
import { KeyedQueue } from '../realtime/keyed-queue.js';
import { viewerOfView } from '../realtime/rooms.js';
import { presentPollFor } from '../routes/polls/present.js';
import {
  attendanceMarkdown,
  decisionMarkdown,
  outcomeMarkdown,
  revealedMarkdown,
  type Attendee,
} from './minutes-text.js';

class AlreadyClaimed extends Error {}

/** What a block does to the document: a new block, or a paragraph added to the block `ref`. */
type BlockEdit =
  { kind: MinutesBlockKind; ref: string; markdown: string } | { addTo: string; markdown: string };

function blockWithRef(doc: Y.Doc, ref: string): Y.XmlElement | null {
  for (const node of doc.getXmlFragment(FRAGMENT).toArray())
    if (
      node instanceof Y.XmlElement &&
      node.nodeName === MINUTES_BLOCK &&
      node.getAttribute('ref') === ref
    )
      return node;
  return null;
}

/** Applies a block edit to the document (a new block goes last, with an empty line after it to type on). */
function applyEdit(doc: Y.Doc, edit: BlockEdit, fallback: BlockEdit | null): void {
  const fragment = doc.getXmlFragment(FRAGMENT);
  if ('addTo' in edit) {
    const block = blockWithRef(doc, edit.addTo);
    if (block) return appendMarkdown(block, edit.markdown);
    // The decision was deleted by hand: the result comes as a block of its own.
    if (fallback) return applyEdit(doc, fallback, null);
    return;
  }
  appendMarkdownElement(fragment, MINUTES_BLOCK, { kind: edit.kind, ref: edit.ref }, edit.markdown);
  const line = new Y.XmlElement('paragraph');
  fragment.insert(fragment.length, [line]);
}

/** What one block does; `alsoClaims` are keys it makes unnecessary (a result already in its decision). */
interface Decided {
  edit: BlockEdit;
  fallback?: BlockEdit | null;
  alsoClaims?: string[];
}

/**
 * Inserts one block, once: claims `key` on the meeting and appends the
 * block's update in one transaction. `decide` reads what the block says (or
 * null for none).
 */
export async function insertBlock(
  meetingId: Types.ObjectId,
  key: string,
  decide: (meeting: Meeting) => Promise<Decided | null>,
): Promise<boolean> {
  const ref = parseDocKey(minutesDocKey(String(meetingId)));
  await prepareServerEdit(ref);
  const unclaimed = { _id: meetingId, minutesBlocks: { $ne: key }, minutes: null };
  try {
    return await mongoose.connection.transaction(async (session) => {
      const meeting = await MeetingModel.findOne(unclaimed).session(session).lean<Meeting>();
      if (!meeting) return false;
      const decided = await decide(meeting);
      if (!decided) return false;
      await editStoredDocument({
        ref,
        session,
        edit: (doc) => {
          applyEdit(doc, decided.edit, decided.fallback ?? null);
          return true;
        },
      });
      const claimed = await MeetingModel.updateOne(
        unclaimed,
        { $push: { minutesBlocks: { $each: [key, ...(decided.alsoClaims ?? [])] } } },
        { session },
      );
      if (claimed.modifiedCount !== 1) throw new AlreadyClaimed();
      return true;
    });
    meetingWritten(meetingId);
  } catch (error) {
    if (error instanceof AlreadyClaimed) return false;
    throw error;
  }
}

/** Whether everyone who may read the meeting's minutes may read the discussion. */
function readableByEveryReader(loaded: LoadedDiscussion, meeting: Meeting): boolean {
  const group = loaded.group;
  if (!group || !loaded.discussion.groupId?.equals(meeting.groupId)) return false;
  // Visitors watch an open group's meetings, and read its minutes.
  if (canReadGroupContent(VISITOR, group))
    return canReadDiscussion(VISITOR, loaded.discussion, group);
  // Members read every discussion of the group; guests take part through the first one only.
  const main = meeting.discussionIds[0];
  return main !== undefined && loaded.discussion._id.equals(main);
}

/** The poll's results when every reader may see them now (a reader who has not voted), else null. */
async function visibleResults(
  poll: PollDocument,
  loaded: LoadedDiscussion,
): Promise<PollResults | null> {
  if (!canSeeResults(poll, false)) return null;
  const dto = await presentPollFor(viewerOfView('member', loaded.discussion), poll, loaded);
  return dto.results ?? null;
}

/** The decision of a closed poll (and its result, once every reader may see it). */
async function decision(meeting: Meeting, pollId: Types.ObjectId) {
  const poll = await PollModel.findById(pollId);
  const loaded = poll ? await loadDiscussion(String(poll.discussionId)) : null;
  if (!poll?.closedAt || !loaded || !readableByEveryReader(loaded, meeting)) return null;
  const results = await visibleResults(poll, loaded);
  const ref = `poll:${String(poll._id)}`;
  const edit: BlockEdit = {
    kind: 'decision',
    ref,
    markdown: decisionMarkdown({
      title: poll.title,
      kind: poll.kind,
      closedAt: poll.closedAt,
      results,
    }),
  };
  return { edit, results };
}

/** Started meetings (minutes not yet published) a poll belongs to: a quick vote, or an agenda item's. */
function meetingsOfPoll(pollId: Types.ObjectId) {
  return MeetingModel.find(
    {
      $or: [{ 'quickVotes.pollId': pollId }, { 'agenda.pollId': pollId }],
      startedAt: { $ne: null },
      minutes: null,
    },
    { _id: 1 },
  ).lean();
}

export class MinutesScribe {
  private readonly line: KeyedQueue;

  constructor(logger: Logger) {
    this.line = new KeyedQueue((error) => logger.error('minutes: inserting a block failed', error));
  }

  /** Resolves once every block queued so far is written (tests). */
  idle(): Promise<void> {
    return this.line.idle();
  }

  /** One change from the feed: a poll closed, revealed or given an outcome; a meeting ended. */
  onChange(change: FeedChange): void {
    const fields = Object.keys(change.updatedFields ?? {}).map((f) => f.split('.')[0]);
    if (change.operationType !== 'update') return;
    const id = change.documentKey as Types.ObjectId;
    if (change.collection === 'meetings' && change.fullDocument?.state === 'ended')
      if (fields.includes('state')) return this.queue(id, () => insertAttendance(id));
    if (change.collection !== 'polls') return;
    const poll = change.fullDocument as { closedAt?: Date | null; outcome?: unknown } | undefined;
    if (fields.includes('closedAt') && poll?.closedAt) this.forPoll(id, 'decision');
    if (fields.includes('revealedAt')) this.forPoll(id, 'result');
    if (fields.includes('outcome') && poll?.outcome) this.forPoll(id, 'outcome');
  }

  private forPoll(pollId: Types.ObjectId, what: 'decision' | 'result' | 'outcome'): void {
    const ops = {
      decision: (meetingId: Types.ObjectId) => this.decide(meetingId, pollId),
      result: (meetingId: Types.ObjectId) => this.reveal(meetingId, pollId),
      outcome: (meetingId: Types.ObjectId) => this.outcome(meetingId, pollId),
    };
    // In the feed's order per poll, so a decision is queued before its reveal.
    void this.line.push(`poll:${String(pollId)}`, async () => {
      for (const { _id } of await meetingsOfPoll(pollId)) this.queue(_id, () => ops[what](_id));
    });
  }

  /** Blocks of one meeting go in one after another (their claims would conflict). */
  private queue(meetingId: Types.ObjectId, op: () => Promise<unknown>): void {
    void this.line.push(`meeting:${String(meetingId)}`, op);
  }

  /** A poll closed: its decision, with its result when visible (then its reveal adds nothing). */
  private async decide(meetingId: Types.ObjectId, pollId: Types.ObjectId): Promise<void> {
    await insertBlock(meetingId, `decision:${String(pollId)}`, async (meeting) => {
      const decided = await decision(meeting, pollId);
      if (!decided) return null;
      return {
        edit: decided.edit,
        alsoClaims: decided.results ? [`result:${String(pollId)}`] : [],
      };
    });
  }

  /** A hidden result revealed after its poll closed: added to its decision. */
  private async reveal(meetingId: Types.ObjectId, pollId: Types.ObjectId): Promise<void> {
    const meeting = await MeetingModel.findById(meetingId, { minutesBlocks: 1 }).lean();
    // Not yet decided (still open, or its decision is on its way with the result in it).
    if (!meeting?.minutesBlocks.includes(`decision:${String(pollId)}`)) return;
    await insertBlock(meetingId, `result:${String(pollId)}`, async (current) => {
      const poll = await PollModel.findById(pollId);
      const loaded = poll ? await loadDiscussion(String(poll.discussionId)) : null;
      if (!poll?.closedAt || !poll.revealedAt || !loaded) return null;
      if (!readableByEveryReader(loaded, current)) return null;
      const results = await visibleResults(poll, loaded);
      if (!results) return null;
      const markdown = revealedMarkdown(results, poll.revealedAt);
      const fallback = await decision(current, pollId);
      return { edit: { addTo: `poll:${String(pollId)}`, markdown }, fallback: fallback?.edit };
    });
  }

  private async outcome(meetingId: Types.ObjectId, pollId: Types.ObjectId): Promise<void> {
    const poll = await PollModel.findById(pollId, { outcome: 1, title: 1, discussionId: 1 });
    const stated = poll?.outcome;
    if (!poll || !stated) return;
    const key = `outcome:${String(pollId)}:${stated.createdAt.getTime()}`;
    await insertBlock(meetingId, key, async (meeting) => {
      const loaded = await loadDiscussion(String(poll.discussionId));
      if (!loaded || !readableByEveryReader(loaded, meeting)) return null;
      const markdown = outcomeMarkdown({ title: poll.title, statement: stated.statement });
      return { edit: { kind: 'outcome', ref: `outcome:${String(pollId)}`, markdown } };
    });
  }
}

/**
 * The meeting ended: who was present, from its start to its end (once; the
 * scribe inserts it when the end comes through the feed, publishing makes
 * sure of it first).
 */
export async function insertAttendance(meetingId: Types.ObjectId): Promise<void> {
  await insertBlock(meetingId, 'attendance', async (meeting) => {
    const { startedAt, endedAt } = meeting;
    if (!startedAt || !endedAt) return null;
    const rows = await MeetingAttendanceModel.find({ meetingId }).lean();
    const people = await loadPeople(rows.map((r) => r.userId));
    const attendees: Attendee[] = rows
      // Present at some moment between the start and the end.
      .filter((r) => r.present > 0 || r.leftAt === null || r.leftAt > startedAt)
      .filter((r) => r.joinedAt < endedAt)
      .map((r) => ({
        name: people(r.userId).name,
        joinedAt: r.joinedAt > startedAt ? r.joinedAt : startedAt,
        leftAt: r.present > 0 || !r.leftAt || r.leftAt > endedAt ? endedAt : r.leftAt,
      }));
    return {
      edit: { kind: 'attendance', ref: 'attendance', markdown: attendanceMarkdown(attendees) },
    };
  });
}
