import { expect } from 'chai';
import { onRestrictionWrite, RestrictionModel } from '../models/restriction.js';
import { startTestApp, type TestApp } from '../test/harness.js';
import { viewerFromToken } from '../auth/authenticate.js';
import { commandsOf } from '../test/driver-commands.js';
import { HeldRestrictions, heldRestrictions } from './restrictions-held.js';
import { act, moderationWorld, postAs } from './test-support.js';

/**
 * Restrictions held per process (restrictions-held.ts). A write through the
 * driver's own collection skips the model's hooks, as another process's write
 * would: only this process's change feed can tell of it.
 */
describe('restrictions held on a process', () => {
  let app: TestApp;

  before(async () => {
    app = await startTestApp();
    await app.server.realtime.ready;
  });
  after(() => app.close());

  const comment = (w: Awaited<ReturnType<typeof moderationWorld>>, body: string) =>
    app.post(`/api/discussions/${w.discussionId}/comments`, { body }, { as: w.author });

  /** A mute stored the way another process would store it. */
  const muteElsewhere = async (w: Awaited<ReturnType<typeof moderationWorld>>) => {
    const now = new Date();
    const { insertedId } = await RestrictionModel.collection.insertOne({
      kind: 'mute',
      groupId: w.group._id,
      userId: w.author._id,
      until: null,
      reason: 'Muted on another process',
      byId: w.coordinator._id,
      liftedAt: null,
      createdAt: now,
      updatedAt: now,
    });
    return insertedId;
  };

  it("holds a mute imposed on another process once this process's feed has carried it, and its lifting", async () => {
    const w = await moderationWorld();
    await postAs(app, w.author, w.discussionId, 'Before');
    const id = await muteElsewhere(w);
    await app.server.realtime.barrier();
    const refused = await comment(w, 'Muted');
    expect(refused.status).to.equal(403);
    expect(refused.body).to.have.nested.property('error.id', 'muted');

    await RestrictionModel.collection.updateOne({ _id: id }, { $set: { liftedAt: new Date() } });
    await app.server.realtime.barrier();
    await postAs(app, w.author, w.discussionId, 'Lifted');
  });

  it("holds this process's own writes at once, without waiting for the feed", async () => {
    const w = await moderationWorld();
    await postAs(app, w.author, w.discussionId, 'Before');
    await act(app, w.coordinator, w.groupId, {
      target: { kind: 'person', id: String(w.author._id) },
      action: 'mute',
      minutes: 10,
      reason: 'Cool down',
    });
    const refused = await comment(w, 'Muted at once');
    expect(refused.body).to.have.nested.property('error.id', 'muted');
  });

  it("answers one's own restrictions from the gate's copy: the first write after reads none", async () => {
    const w = await moderationWorld();
    await act(app, w.coordinator, w.groupId, {
      target: { kind: 'person', id: String(w.author._id) },
      action: 'mute',
      minutes: 10,
      reason: 'Cool down',
    });
    // What the web client asks for as it opens.
    const mine = await app.get<{ restrictions: Array<{ kind: string }> }>('/api/moderation/me', {
      as: w.author,
    });
    expect(mine.body.restrictions.map((r) => r.kind)).to.deep.equal(['mute']);
    const find = RestrictionModel.find.bind(RestrictionModel);
    let reads = 0;
    RestrictionModel.find = ((...args: Parameters<typeof find>) => {
      reads++;
      return find(...args);
    }) as typeof RestrictionModel.find;
    try {
      const refused = await comment(w, 'Muted, known already');
      expect(refused.body).to.have.nested.property('error.id', 'muted');
    } finally {
      RestrictionModel.find = find;
    }
    expect(reads).to.equal(0);
    // Lifted here: the copy goes with the write, and the list shows it at once.
    await RestrictionModel.updateMany(
      { userId: w.author._id, liftedAt: null },
      { $set: { liftedAt: new Date() } },
    );
    const after = await app.get<{ restrictions: unknown[] }>('/api/moderation/me', {
      as: w.author,
    });
    expect(after.body.restrictions).to.deep.equal([]);
  });

  it("drops a person's copy as soon as this process writes one of their restrictions", async () => {
    const w = await moderationWorld();
    // A copy of its own, which only the model's word about writes can keep true (no feed).
    const held = new HeldRestrictions();
    const release = held.attach();
    const stop = onRestrictionWrite((userId) => held.forget(userId));
    try {
      expect(await held.inForce(w.author._id)).to.deep.equal([]);
      await RestrictionModel.create({
        kind: 'suspension',
        userId: w.author._id,
        reason: 'Written here',
      });
      expect(await held.inForce(w.author._id)).to.have.length(1);
      await RestrictionModel.updateMany(
        { userId: w.author._id, liftedAt: null },
        { $set: { liftedAt: new Date() } },
      );
      expect(await held.inForce(w.author._id)).to.deep.equal([]);
    } finally {
      stop();
      release();
    }
  });

  it('ends a timed restriction at its time, with nothing written', async () => {
    const w = await moderationWorld();
    const held = new HeldRestrictions();
    const release = held.attach();
    try {
      const until = new Date(Date.now() + 60_000);
      await RestrictionModel.create({
        kind: 'mute',
        groupId: w.group._id,
        userId: w.author._id,
        until,
        reason: 'One minute',
      });
      expect(await held.inForce(w.author._id)).to.have.length(1);
      expect(await held.inForce(w.author._id, new Date(until.getTime() + 1))).to.deep.equal([]);
    } finally {
      release();
    }
  });

  it("reads a writer's restrictions alongside the person, so the gate reads nothing after", async () => {
    const w = await moderationWorld();
    await muteElsewhere(w);
    await app.server.realtime.barrier();
    const token = app.tokenFor(w.author);
    const asked: string[] = [];
    const inForce = heldRestrictions.inForce.bind(heldRestrictions);
    heldRestrictions.inForce = (userId, now) => {
      asked.push(String(userId));
      return inForce(userId, now);
    };
    try {
      // A request that only reads leaves them to the first write.
      await viewerFromToken(token, app.jwtSecret, { writing: false });
      expect(asked).to.deep.equal([]);
      // A write's: asked before the person is known, and held for the gate.
      await viewerFromToken(token, app.jwtSecret, { writing: true });
      expect(asked).to.deep.equal([String(w.author._id)]);
      const { result, commands } = await commandsOf(() => inForce(w.author._id));
      expect(result).to.have.length(1);
      expect(commands['find restrictions'] ?? 0).to.be.at.most(1);
      expect((await commandsOf(() => inForce(w.author._id))).commands).to.deep.equal({});
      // Through the API, read afresh alongside the person: the mute still refuses the write.
      heldRestrictions.forget(String(w.author._id));
      expect((await comment(w, 'Muted')).body).to.have.nested.property('error.id', 'muted');
    } finally {
      delete (heldRestrictions as Partial<HeldRestrictions>).inForce;
    }
  });

  it('reads the database at every check while no change feed keeps copies true', async () => {
    const w = await moderationWorld();
    const held = new HeldRestrictions();
    expect(await held.inForce(w.author._id)).to.deep.equal([]);
    await muteElsewhere(w);
    expect(await held.inForce(w.author._id)).to.have.length(1);
  });
});
