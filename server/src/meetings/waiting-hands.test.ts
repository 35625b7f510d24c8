import { expect } from 'chai';
import { Types } from 'mongoose';
import { MeetingHandModel } from '../models/meeting-hand.js';
import { startTestApp, type TestApp } from '../test/harness.js';
import { lowerDuplicateWaitingHands } from './waiting-hands.js';

describe('lowerDuplicateWaitingHands (a database from before one waiting hand per person was an index)', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(() => app.close());

  it('keeps the earlier of two waiting hands of a person on an item, so the index builds', async () => {
    const collection = MeetingHandModel.collection;
    await collection.dropIndex('meetingId_1_itemId_1_userId_1');
    const [meetingId, userId, other] = [
      new Types.ObjectId(),
      new Types.ObjectId(),
      new Types.ObjectId(),
    ];
    const hand = (user: Types.ObjectId, at: number, clientId: string) => ({
      meetingId,
      itemId: 'item1',
      userId: user,
      kind: 'speak' as const,
      clientId,
      state: 'waiting' as const,
      position: at,
      rank: null,
      raisedAt: new Date(at),
      calledAt: null,
      doneAt: null,
    });
    await collection.insertMany([
      hand(userId, 2000, 'b'),
      hand(userId, 1000, 'a'),
      hand(other, 1500, 'c'),
    ]);
    await lowerDuplicateWaitingHands();
    await MeetingHandModel.syncIndexes();
    const waiting = await MeetingHandModel.find({ meetingId, state: 'waiting' }).lean();
    expect(waiting.map((h) => h.clientId).sort()).to.deep.equal(['a', 'c']);
    expect((await MeetingHandModel.findOne({ clientId: 'b' }).lean())?.state).to.equal('lowered');
    // The index holds from now on, and running again changes nothing.
    let refused: unknown = null;
    await MeetingHandModel.create(hand(userId, 3000, 'd')).catch((e: unknown) => (refused = e));
    expect(refused).to.be.instanceOf(Error);
    await lowerDuplicateWaitingHands();
    expect(await MeetingHandModel.countDocuments({ meetingId, state: 'waiting' })).to.equal(2);
  });
});
