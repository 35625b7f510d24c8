import { expect } from 'chai';
import { EventModel } from '../models/event.js';
import { buildDiscussion } from '../test/factories.js';
import { startTestApp, type TestApp } from '../test/harness.js';
import { appendTimelineEvent, timelineTransaction } from './timeline.js';

describe('timeline transactions', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(async () => {
    await app.close();
  });

  it('runs a burst for one discussion one after another: gap-free sequences in the order started', async () => {
    const discussion = await buildDiscussion();
    const sequences = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        timelineTransaction(discussion._id, async (session) => {
          const event = await appendTimelineEvent(
            { discussionId: discussion._id, kind: 'comment_posted' },
            session,
          );
          return { i, sequence: event.sequence };
        }),
      ),
    );
    expect(sequences.map((s) => s.sequence)).to.deep.equal(sequences.map((s) => s.i + 1));
    expect(await EventModel.countDocuments({ discussionId: discussion._id })).to.equal(20);
  });

  it('goes on after a transaction that fails, which leaves nothing behind', async () => {
    const discussion = await buildDiscussion();
    const failing = timelineTransaction(discussion._id, async (session) => {
      await appendTimelineEvent({ discussionId: discussion._id, kind: 'comment_posted' }, session);
      throw new Error('refused');
    });
    const next = timelineTransaction(discussion._id, (session) =>
      appendTimelineEvent({ discussionId: discussion._id, kind: 'comment_posted' }, session),
    );
    const failure = await failing.then(
      () => null,
      (error: unknown) => error,
    );
    expect((failure as Error).message).to.equal('refused');
    const event = await next;
    expect(event.sequence).to.equal(1);
  });
});
