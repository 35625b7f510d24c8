import { expect } from 'chai';
import mongoose from 'mongoose';
import type { ChangeStream, ChangeStreamDocument } from 'mongodb';
import { PollModel } from '../models/poll.js';
import { buildPoll } from '../test/factories-polls.js';
import { startTestApp, type TestApp } from '../test/harness.js';
import { MeetingModel } from '../models/meeting.js';
import { MEETING_CHANGES_WITHOUT_RIGHTS, POLL_CHANGES_WITHOUT_RIGHTS } from './index.js';

/**
 * The collab feed's filters for polls and meetings, run by the database as
 * the feed runs them (`$nor`, realtime/change-feed.ts): only changes of a
 * poll's or a meeting's minutes' rights reach the feed, as its own check
 * (isObservable) would keep them.
 */
describe('collab feed: poll and meeting changes that move no rights stay in the database', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(() => app.close());

  it('passes closing, reopening and a new closing time; not votes’ counts, edits, inserts or deletes', async () => {
    const stream = mongoose.connection.db!.watch<Record<string, unknown>, ChangeStreamDocument>([
      { $match: { 'ns.coll': 'polls', $nor: [POLL_CHANGES_WITHOUT_RIGHTS] } },
    ]);
    try {
      await stream.tryNext(); // opens the stream: what follows is seen
      const poll = await buildPoll();
      const id = poll._id;
      await PollModel.updateOne({ _id: id }, { $inc: { voterCount: 1, unpublishedVotes: 1 } });
      await PollModel.updateOne({ _id: id }, { $set: { title: 'Edited' } });
      await PollModel.updateOne({ _id: id }, { $set: { closedAt: new Date() } });
      await PollModel.updateOne({ _id: id }, { $inc: { unpublishedVotes: 1 } });
      await PollModel.updateOne({ _id: id }, { $set: { closedAt: null } });
      await PollModel.updateOne({ _id: id }, { $set: { closesAt: new Date(Date.now() + 60_000) } });
      await PollModel.deleteOne({ _id: id });
      // A marker after them all: once it arrives, everything before it has been decided.
      const marker = await buildPoll();
      await PollModel.updateOne({ _id: marker._id }, { $set: { closedAt: new Date() } });
      const seen = await changesBefore(stream, marker._id);
      // Each with its updatedAt (mongoose timestamps); no insert, no delete, no other update.
      expect(seen).to.deep.equal([
        'update closedAt,updatedAt',
        'update closedAt,updatedAt',
        'update closesAt,updatedAt',
      ]);
    } finally {
      await stream.close();
    }
  });

  it('passes a minute-taker, facilitators, minutes and discussions changed; not a speaker, a timer or an item', async () => {
    const stream = mongoose.connection.db!.watch<Record<string, unknown>, ChangeStreamDocument>([
      { $match: { 'ns.coll': 'meetings', $nor: [MEETING_CHANGES_WITHOUT_RIGHTS] } },
    ]);
    // Raw writes: the shapes of change the filter must tell apart, whatever the app writes today.
    const meetings = mongoose.connection.db!.collection<MeetingRow>(
      MeetingModel.collection.collectionName,
    );
    try {
      await stream.tryNext(); // opens the stream: what follows is seen
      const id = new mongoose.Types.ObjectId();
      const someone = new mongoose.Types.ObjectId();
      await meetings.insertOne({ _id: id, facilitatorIds: [someone], minuteTakerId: null });
      await meetings.updateOne(
        { _id: id },
        { $set: { speaker: { handId: someone } }, $inc: { revision: 1 } },
      );
      await meetings.updateOne({ _id: id }, { $set: { minuteTakerId: someone } });
      await meetings.updateOne({ _id: id }, { $set: { 'timer.pausedAt': new Date() } });
      await meetings.updateOne({ _id: id }, { $unset: { minuteTakerId: '' } });
      await meetings.updateOne({ _id: id }, { $push: { facilitatorIds: someone } });
      await meetings.updateOne({ _id: id }, { $set: { currentItemId: 'item2', speaker: null } });
      await meetings.updateOne({ _id: id }, { $set: { minutes: { markdown: 'Done' } } });
      await meetings.updateOne({ _id: id }, { $set: { 'minutes.markdown': 'Redone' } });
      await meetings.updateOne({ _id: id }, { $pop: { facilitatorIds: 1 } });
      await meetings.updateOne({ _id: id }, { $set: { discussionIds: [someone] } });
      await meetings.updateOne({ _id: id }, { $unset: { speaker: '' } });
      const marker = new mongoose.Types.ObjectId();
      await meetings.insertOne({ _id: marker });
      await meetings.updateOne({ _id: marker }, { $set: { minuteTakerId: someone } });
      const seen = await changesBefore(stream, marker);
      // A new meeting is rare and reaches the feed (which drops it); every other update here does not.
      expect(seen).to.deep.equal([
        'insert ',
        'update minuteTakerId',
        'update -minuteTakerId',
        'update facilitatorIds.1',
        'update minutes',
        'update minutes.markdown',
        'update facilitatorIds',
        'update discussionIds',
      ]);
    } finally {
      await stream.close();
    }
  });

  it('never fails on an update that leaves out a list (a failing filter would end the stream)', async () => {
    // Change events as another server may shape them, matched by the same filter.
    const events = mongoose.connection.db!.collection<{ _id: number }>('feed_filter_events');
    const update = (id: number, updateDescription: object) => ({
      _id: id,
      ns: { coll: 'meetings' },
      operationType: 'update',
      updateDescription,
    });
    await events.insertMany([
      update(1, {}),
      update(2, { updatedFields: { speaker: null } }),
      update(3, { removedFields: ['minuteTakerId'] }),
      update(4, {
        updatedFields: {},
        removedFields: [],
        truncatedArrays: [{ field: 'facilitatorIds', newSize: 1 }],
      }),
      update(5, {
        updatedFields: { 'minutes.markdown': 'x' },
        removedFields: [],
        truncatedArrays: [],
      }),
    ]);
    const passed = await events
      .aggregate<{ _id: number }>([
        { $match: { $nor: [MEETING_CHANGES_WITHOUT_RIGHTS] } },
        { $sort: { _id: 1 } },
      ])
      .toArray();
    expect(passed.map((event) => event._id)).to.deep.equal([3, 4, 5]);
  });
});

/** The fields of a meeting's document these raw writes touch. */
interface MeetingRow {
  _id: mongoose.Types.ObjectId;
  facilitatorIds?: mongoose.Types.ObjectId[];
  minuteTakerId?: mongoose.Types.ObjectId | null;
  speaker?: { handId: mongoose.Types.ObjectId } | null;
  revision?: number;
  timer?: { pausedAt: Date };
  currentItemId?: string;
  minutes?: { markdown: string };
  discussionIds?: mongoose.Types.ObjectId[];
}

/** The changes the stream shows before the marker's (fields set, "-" removed), in order. */
async function changesBefore(
  stream: ChangeStream<Record<string, unknown>, ChangeStreamDocument>,
  marker: unknown,
): Promise<string[]> {
  const seen: string[] = [];
  for (;;) {
    const change = await stream.next();
    if (String((change as { documentKey?: { _id: unknown } }).documentKey?._id) === String(marker))
      return seen;
    const fields =
      change.operationType === 'update'
        ? [
            ...Object.keys(change.updateDescription.updatedFields ?? {}),
            ...(change.updateDescription.removedFields ?? []).map((field) => `-${field}`),
            ...(change.updateDescription.truncatedArrays ?? []).map((cut) => `~${cut.field}`),
          ]
            .sort()
            .join()
        : '';
    seen.push(`${change.operationType} ${fields}`);
  }
}
