import { expect } from 'chai';
import mongoose from 'mongoose';
import type { ChangeStreamDocument } from 'mongodb';
import { PollModel } from '../models/poll.js';
import { buildPoll } from '../test/factories-polls.js';
import { startTestApp, type TestApp } from '../test/harness.js';
import { POLL_CHANGES_WITHOUT_RIGHTS } from './index.js';

/**
 * The collab feed's filter for polls, run by the database as the feed runs
 * it (`$nor`, realtime/change-feed.ts): only changes of a poll's rights reach
 * the feed, as its own check (isObservable) would keep them.
 */
describe('collab feed: poll changes that move no rights stay in the database', () => {
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
      const seen: string[] = [];
      for (;;) {
        const change = await stream.next();
        if (
          String((change as { documentKey?: { _id: unknown } }).documentKey?._id) ===
          String(marker._id)
        )
          break;
        const fields =
          change.operationType === 'update'
            ? Object.keys(change.updateDescription.updatedFields ?? {})
                .sort()
                .join()
            : '';
        seen.push(`${change.operationType} ${fields}`);
      }
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
});
