import { expect } from 'chai';
import type { CommentDto } from '../../../shared/dto.js';
import { GroupModel } from '../models/group.js';
import { PollModel } from '../models/poll.js';
import { addMember, buildDiscussion, buildGroup } from '../test/factories.js';
import { buildPoll } from '../test/factories-polls.js';
import { startTestApp, type TestApp } from '../test/harness.js';
import type { FeedChange } from './change-feed.js';
import { FanoutRecords } from './fanout-records.js';
import { nextComment, nextEvent, TestClients } from './test-clients.js';

/**
 * The fan-out keeps discussions, groups and people between changes
 * (fanout-records.ts). These changes are ones the feed drops as unobservable
 * (a person's name, a group's permissions, a discussion's bookkeeping), so
 * they prove that the held copies are dropped before that filter: the next
 * live comment shows them.
 */
describe('records the fan-out keeps between changes', () => {
  let app: TestApp;
  let clients: TestClients;

  before(async () => {
    app = await startTestApp();
    await app.server.realtime.ready;
    clients = new TestClients(app);
  });
  afterEach(() => clients.closeAll());
  after(() => app.close());

  const post = async (discussionId: string, body: string, as: Parameters<TestApp['post']>[2]) => {
    const res = await app.post<{ comment: CommentDto }>(
      `/api/discussions/${discussionId}/comments`,
      { body },
      as,
    );
    expect(res.status).to.equal(201);
    return res.body.comment;
  };

  it("shows a person's new name on the next live comment", async () => {
    const group = await buildGroup();
    const author = await addMember(group);
    const id = String(await buildDiscussion({ group }).then((d) => d._id));
    const reader = await clients.watching(group.coordinator, id);

    const first = nextComment(reader, (c) => c.body === 'Before');
    await post(id, 'Before', { as: author });
    expect((await first).author.name).to.equal(author.name);

    const renamed = await app.patch('/api/me', { name: 'Ada Renamed' }, { as: author });
    expect(renamed.status).to.equal(200);
    const second = nextComment(reader, (c) => c.body === 'After');
    const event = nextEvent(reader, 'timeline:event');
    await post(id, 'After', { as: author });
    expect((await second).author.name).to.equal('Ada Renamed');
    expect((await event).actor?.name).to.equal('Ada Renamed');
  });

  it("follows a group's permissions in the author's own copy of a new comment", async () => {
    const group = await buildGroup();
    const author = await addMember(group);
    const id = String(await buildDiscussion({ group }).then((d) => d._id));
    const own = await clients.watching(author, id);

    const first = nextEvent(own, 'comment:upserted');
    await post(id, 'Editable', { as: author });
    expect((await first).abilities.canEdit).to.equal(true);

    const changed = await app.patch(
      `/api/groups/${String(group._id)}`,
      { permissions: { membersCanEditComments: false } },
      { as: group.coordinator },
    );
    expect(changed.status).to.equal(200);
    const second = nextEvent(own, 'comment:upserted');
    await post(id, 'Not editable', { as: author });
    const comment = await second;
    expect(comment.body).to.equal('Not editable');
    expect(comment.abilities.canEdit).to.equal(false);
  });

  it('presents a discussion closed after many comments as closed to its watchers', async () => {
    const group = await buildGroup();
    const member = await addMember(group);
    const id = String(await buildDiscussion({ group }).then((d) => d._id));
    const reader = await clients.watching(member, id);
    for (const body of ['one', 'two', 'three']) {
      const seen = nextComment(reader, (c) => c.body === body);
      await post(id, body, { as: group.coordinator });
      expect((await seen).abilities.canReply).to.equal(true);
    }
    const updated = nextEvent(reader, 'discussion:upserted');
    const closed = await app.post(`/api/discussions/${id}/close`, {}, { as: group.coordinator });
    expect(closed.status).to.equal(200);
    const discussion = await updated;
    expect(discussion).to.include({ closed: true, lastSequence: 4 });
    const reopened = await app.post(`/api/discussions/${id}/reopen`, {}, { as: group.coordinator });
    expect(reopened.status).to.equal(200);
    const again = nextComment(reader, (c) => c.body === 'four');
    await post(id, 'four', { as: group.coordinator });
    expect((await again).abilities.canReply).to.equal(true);
  });

  describe('what a change drops', () => {
    const update = (
      collection: string,
      id: unknown,
      updatedFields: Record<string, unknown>,
    ): FeedChange => ({
      collection,
      operationType: 'update',
      documentKey: id,
      fullDocument: null,
      updatedFields,
      removedFields: [],
    });

    it("keeps a poll's rules through its counts, and reads them again when they change", async () => {
      const group = await buildGroup();
      const poll = await buildPoll({ discussion: await buildDiscussion({ group }) });
      const records = new FanoutRecords();
      const held = records.pollRules(poll._id);
      expect((await held)?.closedAt).to.equal(null);
      await PollModel.updateOne({ _id: poll._id }, { $inc: { voterCount: 1 } });
      records.forget(update('polls', poll._id, { voterCount: 1, unpublishedVotes: 1 }));
      expect(records.pollRules(poll._id)).to.equal(held);
      const closedAt = new Date();
      await PollModel.updateOne({ _id: poll._id }, { $set: { closedAt } });
      records.forget(update('polls', poll._id, { closedAt }));
      expect((await records.pollRules(poll._id))?.closedAt).to.deep.equal(closedAt);
    });

    it('keeps a poll as its last change brought it, counts included, until a change brings none', () => {
      const records = new FanoutRecords();
      const id = '64b000000000000000000002';
      expect(records.fedPoll(id)).to.equal(undefined);
      const counted = { _id: id, voterCount: 3, unpublishedVotes: 3 };
      records.forget({ ...update('polls', id, { voterCount: 3 }), fullDocument: counted });
      expect(records.fedPoll(id)).to.equal(counted);
      // A change whose document could not be looked up (deleted since) leaves nothing to go by.
      records.forget(update('polls', id, { voterCount: 4 }));
      expect(records.fedPoll(id)).to.equal(undefined);
      records.forget({ ...update('polls', id, { voterCount: 4 }), fullDocument: counted });
      records.forget({
        collection: 'polls',
        operationType: 'delete',
        documentKey: id,
        fullDocument: null,
      });
      expect(records.fedPoll(id)).to.equal(undefined);
      records.forget({ ...update('polls', id, { voterCount: 4 }), fullDocument: counted });
      records.clear();
      expect(records.fedPoll(id)).to.equal(undefined);
    });

    it("follows a discussion's last sequence as its changes carry it, never from a looked-up document", () => {
      const records = new FanoutRecords();
      const id = '64b000000000000000000001';
      expect(records.fedSequence(id)).to.equal(undefined);
      records.forget({
        collection: 'discussions',
        operationType: 'insert',
        documentKey: id,
        fullDocument: { _id: id, lastSequence: 0 },
      });
      expect(records.fedSequence(id)).to.equal(0);
      // An update's looked-up document may already show appends still on their way: not taken.
      records.forget({
        ...update('discussions', id, { lastSequence: 3, lastActivityAt: new Date() }),
        fullDocument: { _id: id, lastSequence: 7 },
      });
      expect(records.fedSequence(id)).to.equal(3);
      // Replayed changes (a feed resuming) never move it back.
      records.forget(update('discussions', id, { lastSequence: 2 }));
      expect(records.fedSequence(id)).to.equal(3);
      records.forget(update('discussions', id, { title: 'Renamed' }));
      expect(records.fedSequence(id)).to.equal(3);
      records.clear();
      expect(records.fedSequence(id)).to.equal(undefined);
      records.forget(update('discussions', id, { lastSequence: 4 }));
      records.forget({
        collection: 'discussions',
        operationType: 'delete',
        documentKey: id,
        fullDocument: null,
      });
      expect(records.fedSequence(id)).to.equal(undefined);
    });

    it("reads a discussion's group again when the group changes, whatever changed", async () => {
      const group = await buildGroup();
      const discussion = await buildDiscussion({ group });
      const records = new FanoutRecords();
      expect((await records.discussion(discussion._id))?.group?.name).to.equal(group.name);
      expect((await records.group(group._id))?.name).to.equal(group.name);
      await GroupModel.updateOne({ _id: group._id }, { $set: { name: 'Renamed group' } });
      records.forget(update('groups', group._id, { name: 'Renamed group' }));
      expect((await records.discussion(discussion._id))?.group?.name).to.equal('Renamed group');
      expect((await records.group(group._id))?.name).to.equal('Renamed group');
    });
  });
});
