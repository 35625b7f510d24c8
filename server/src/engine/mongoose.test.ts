import { expect } from 'chai';
import mongoose, { Schema, type Connection } from 'mongoose';
import { startEngine, type RunningEngine } from './index.js';

describe('engine: mongoose runs on it unchanged', () => {
  let engine: RunningEngine;
  let conn: Connection;

  before(async () => {
    engine = await startEngine({ dataDir: null });
    conn = await mongoose.createConnection(engine.uri, { dbName: 'mongoose' }).asPromise();
  });
  after(async () => {
    await conn.close();
    await engine.close();
  });

  const userSchema = new Schema(
    {
      name: { type: String, required: true },
      email: { type: String, required: true, unique: true },
      tags: [String],
      profile: { bio: String, links: [{ label: String, url: String }] },
      visits: { type: Number, default: 0 },
    },
    { timestamps: true },
  );

  it('creates models and their indexes at init', async () => {
    const User = conn.model('User', userSchema);
    await User.init();
    const indexes = await User.collection.listIndexes().toArray();
    expect(indexes.map((i) => i.name)).to.include.members(['_id_', 'email_1']);
    expect(indexes.find((i) => i.name === 'email_1')).to.include({ unique: true });
  });

  it('reports a duplicate key the way it does for MongoDB', async () => {
    const User = conn.model('User');
    await User.create({ name: 'Ada', email: 'ada@example.org' });
    const err = await User.create({ name: 'Impostor', email: 'ada@example.org' }).catch(
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(mongoose.mongo.MongoServerError);
    expect(err).to.have.property('code', 11000);
    expect((err as { keyValue: unknown }).keyValue).to.deep.equal({ email: 'ada@example.org' });
    expect((err as { keyPattern: unknown }).keyPattern).to.deep.equal({ email: 1 });
    expect((err as Error).message).to.match(
      /E11000 duplicate key error collection: mongoose\.users index: email_1 dup key/,
    );
  });

  it('saves, finds, and updates with the operators mongoose emits', async () => {
    const User = conn.model('User');
    const user = await User.create({ name: 'Grace', email: 'grace@example.org', tags: ['navy'] });
    expect(user.get('createdAt')).to.be.instanceOf(Date);
    user.set('name', 'Grace Hopper');
    user.get('tags').push('cobol');
    user.set('profile.bio', 'compilers');
    await user.save();
    await User.updateOne({ _id: user._id }, { $inc: { visits: 2 }, $addToSet: { tags: 'navy' } });
    await User.updateOne(
      { _id: user._id },
      { $push: { 'profile.links': { label: 'home', url: 'https://x' } } },
    );
    await User.updateOne(
      { _id: user._id },
      { $pull: { tags: 'cobol' }, $unset: { 'profile.bio': 1 } },
    );
    const found = await User.findById(user._id).lean<Record<string, unknown>>();
    expect(found).to.include({ name: 'Grace Hopper', visits: 2 });
    expect(found!.tags).to.deep.equal(['navy']);
    expect((found!.profile as { links: unknown[]; bio?: string }).links).to.have.length(1);
    expect(found!.profile).not.to.have.property('bio');
    expect((found!.updatedAt as Date).getTime()).to.be.at.least(
      (found!.createdAt as Date).getTime(),
    );
  });

  it('finds with sort, skip, limit, select, countDocuments and distinct', async () => {
    const Score = conn.model('Score', new Schema({ player: String, points: Number }));
    await Score.insertMany([5, 3, 9, 1, 7].map((points, i) => ({ player: `p${i % 2}`, points })));
    const top = await Score.find()
      .sort({ points: -1 })
      .skip(1)
      .limit(2)
      .select('points -_id')
      .lean();
    expect(top).to.deep.equal([{ points: 7 }, { points: 5 }]);
    expect(await Score.countDocuments({ points: { $gte: 5 } })).to.equal(3);
    expect((await Score.distinct('player')).sort()).to.deep.equal(['p0', 'p1']);
    expect(await Score.exists({ points: 9 })).to.not.equal(null);
  });

  it('populates references', async () => {
    const Group = conn.model('Group', new Schema({ name: String }));
    const Member = conn.model(
      'Member',
      new Schema({ name: String, group: { type: Schema.Types.ObjectId, ref: 'Group' } }),
    );
    const group = await Group.create({ name: 'Coop' });
    await Member.create([
      { name: 'a', group: group._id },
      { name: 'b', group: group._id },
    ]);
    const members = await Member.find()
      .populate<{ group: { name: string } }>('group')
      .sort({ name: 1 });
    expect(members.map((m) => m.group.name)).to.deep.equal(['Coop', 'Coop']);
  });

  it('aggregates with $lookup, $group and $sort', async () => {
    const Group = conn.model('Group');
    const rows = await Group.aggregate([
      { $lookup: { from: 'members', localField: '_id', foreignField: 'group', as: 'members' } },
      { $project: { name: 1, count: { $size: '$members' } } },
      { $group: { _id: null, total: { $sum: '$count' } } },
      { $sort: { total: -1 } },
    ]);
    expect(rows).to.deep.equal([{ _id: null, total: 2 }]);
  });

  it('findOneAndUpdate with upsert and new, and deleteMany', async () => {
    const Setting = conn.model(
      'Setting',
      new Schema({ key: { type: String, unique: true }, value: String }),
    );
    await Setting.init();
    const created = await Setting.findOneAndUpdate(
      { key: 'theme' },
      { value: 'dark' },
      { upsert: true, returnDocument: 'after' },
    ).lean();
    expect(created).to.include({ key: 'theme', value: 'dark' });
    const updated = await Setting.findOneAndUpdate(
      { key: 'theme' },
      { value: 'light' },
      { returnDocument: 'after' },
    ).lean();
    expect(updated).to.include({ value: 'light' });
    expect((await Setting.deleteMany({})).deletedCount).to.equal(1);
  });

  it('validates before writing (nothing reaches the database)', async () => {
    const User = conn.model('User');
    const before = await User.countDocuments();
    const err = await User.create({ email: 'nameless@example.org' }).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(mongoose.Error.ValidationError);
    expect(await User.countDocuments()).to.equal(before);
  });

  it('watches a model with change streams', async () => {
    const Note = conn.model('Note', new Schema({ text: String }));
    await Note.init();
    const stream = Note.watch([], { fullDocument: 'updateLookup', maxAwaitTimeMS: 50 });
    await new Promise<void>((resolve) => stream.once('resumeTokenChanged', () => resolve()));
    const received = new Promise<Record<string, unknown>>((resolve) =>
      stream.once('change', resolve),
    );
    await Note.create({ text: 'hello' });
    const change = await received;
    await stream.close();
    expect(change.operationType).to.equal('insert');
    expect((change.fullDocument as { text: string }).text).to.equal('hello');
  });
});
