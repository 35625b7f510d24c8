import { expect } from 'chai';
import type { ChangeStream, ChangeStreamDocument, Db, Document, ResumeToken } from 'mongodb';
import { startTestEngine, type EngineFixture } from './testing.js';

/** Collects the next `n` events of a stream. */
async function take(
  stream: ChangeStream<Document, ChangeStreamDocument>,
  n: number,
): Promise<ChangeStreamDocument[]> {
  const out: ChangeStreamDocument[] = [];
  while (out.length < n) out.push(await stream.next());
  return out;
}

/** Waits until the server has registered the stream's cursor. */
async function ready(stream: ChangeStream<Document, ChangeStreamDocument>): Promise<void> {
  await stream.tryNext();
}

describe('engine: change streams', () => {
  let fx: EngineFixture;
  let db: Db;

  before(async () => {
    fx = await startTestEngine();
    db = fx.client.db('cs');
  });
  after(() => fx.close());

  it('delivers insert, update, replace and delete with their details', async () => {
    const coll = db.collection('ops');
    const stream = coll.watch([], { maxAwaitTimeMS: 50, fullDocument: 'updateLookup' });
    await ready(stream);
    const { insertedId } = await coll.insertOne({ a: 1, nested: { b: 1 }, drop: true });
    await coll.updateOne({ _id: insertedId }, { $set: { 'nested.b': 2 }, $unset: { drop: '' } });
    await coll.replaceOne({ _id: insertedId }, { replaced: true });
    await coll.deleteOne({ _id: insertedId });
    const events = await take(stream, 4);
    await stream.close();
    expect(events.map((e) => e.operationType)).to.deep.equal([
      'insert',
      'update',
      'replace',
      'delete',
    ]);
    const [ins, upd, rep, del] = events as Document[];
    expect(ins.fullDocument).to.include({ a: 1 });
    expect(ins.ns).to.deep.equal({ db: 'cs', coll: 'ops' });
    expect(upd.updateDescription.updatedFields).to.deep.equal({ 'nested.b': 2 });
    expect(upd.updateDescription.removedFields).to.deep.equal(['drop']);
    // updateLookup returns the document as it is at delivery time (already deleted here).
    expect(
      upd.fullDocument === null || upd.fullDocument.replaced === true || upd.fullDocument.a === 1,
    ).to.equal(true);
    expect(rep.fullDocument).to.deep.equal({ _id: insertedId, replaced: true });
    expect(del.documentKey).to.deep.equal({ _id: insertedId });
    expect(del).not.to.have.property('fullDocument');
  });

  it('looks up the current document for updates', async () => {
    const coll = db.collection('lookup');
    const stream = coll.watch([], { maxAwaitTimeMS: 50, fullDocument: 'updateLookup' });
    await ready(stream);
    const { insertedId } = await coll.insertOne({ n: 1 });
    await coll.updateOne({ _id: insertedId }, { $inc: { n: 1 } });
    const [, update] = (await take(stream, 2)) as Document[];
    await stream.close();
    expect(update.fullDocument).to.deep.equal({ _id: insertedId, n: 2 });
  });

  it('filters with a $match stage after $changeStream', async () => {
    const coll = db.collection('matched');
    const stream = coll.watch(
      [{ $match: { operationType: 'insert', 'fullDocument.keep': true } }],
      { maxAwaitTimeMS: 50 },
    );
    await ready(stream);
    await coll.insertMany([
      { keep: false, i: 1 },
      { keep: true, i: 2 },
      { keep: true, i: 3 },
    ]);
    const events = (await take(stream, 2)) as Document[];
    await stream.close();
    expect(events.map((e) => e.fullDocument.i)).to.deep.equal([2, 3]);
  });

  it('runs stages after a $match on a copy: another stream sees the event unchanged', async () => {
    const coll = db.collection('reshaped');
    const reshaping = coll.watch(
      [
        { $match: { operationType: 'insert' } },
        { $match: { 'fullDocument.i': { $gte: 2 } } },
        { $set: { 'fullDocument.tag': 'seen' } },
        { $unset: 'fullDocument.secret' },
      ],
      { maxAwaitTimeMS: 50 },
    );
    const plain = coll.watch([], { maxAwaitTimeMS: 50 });
    await Promise.all([ready(reshaping), ready(plain)]);
    await coll.insertMany([
      { i: 1, secret: 'a' },
      { i: 2, secret: 'b' },
    ]);
    const [reshaped] = (await take(reshaping, 1)) as Document[];
    const untouched = (await take(plain, 2)) as Document[];
    await Promise.all([reshaping.close(), plain.close()]);
    expect(reshaped.fullDocument).to.include({ i: 2, tag: 'seen' });
    expect(reshaped.fullDocument).not.to.have.property('secret');
    expect(untouched.map((e) => e.fullDocument)).to.deep.equal([
      { _id: untouched[0].fullDocument._id, i: 1, secret: 'a' },
      { _id: untouched[1].fullDocument._id, i: 2, secret: 'b' },
    ]);
    expect(await coll.findOne({ i: 2 }, { projection: { _id: 0 } })).to.deep.equal({
      i: 2,
      secret: 'b',
    });
  });

  it('runs $jsonSchema, the collation and MongoDB’s ordering in the stages after $changeStream', async () => {
    const coll = db.collection('schemed');
    const stages = [
      { $match: { $jsonSchema: { properties: { fullDocument: { required: ['name'] } } } } },
      { $match: { 'fullDocument.name': 'CAFE' } },
      // BSON order puts every string after every number, whatever the values.
      { $set: { 'fullDocument.top': { $max: ['$fullDocument.name', 1000] } } },
    ];
    const folded = coll.watch(stages, {
      maxAwaitTimeMS: 50,
      collation: { locale: 'en', strength: 1 },
    });
    const binary = coll.watch(stages, { maxAwaitTimeMS: 50 });
    await Promise.all([ready(folded), ready(binary)]);
    await coll.insertMany([{ i: 1 }, { i: 2, name: 'café' }, { i: 3, name: 'CAFE' }]);
    const [first, second] = (await take(folded, 2)) as Document[];
    const [only] = (await take(binary, 1)) as Document[];
    await Promise.all([folded.close(), binary.close()]);
    expect([first.fullDocument.i, second.fullDocument.i]).to.deep.equal([2, 3]);
    expect(first.fullDocument.top).to.equal('café');
    expect(only.fullDocument.i).to.equal(3);
  });

  it('refuses a malformed $match when the stream opens', async () => {
    const stream = db.collection('bad').watch([{ $match: { $bogus: 1 } }], { maxAwaitTimeMS: 50 });
    const error = await stream.tryNext().then(
      () => null,
      (err: unknown) => err as { codeName?: string },
    );
    await stream.close();
    expect(error?.codeName).to.equal('BadValue');
  });

  it('watches a whole database and the whole deployment', async () => {
    const dbStream = db.watch([], { maxAwaitTimeMS: 50 });
    const clusterStream = fx.client.watch([], { maxAwaitTimeMS: 50 });
    await Promise.all([ready(dbStream), ready(clusterStream)]);
    await db.collection('one').insertOne({ x: 1 });
    await fx.client.db('other').collection('two').insertOne({ x: 2 });
    const [dbEvent] = (await take(dbStream, 1)) as Document[];
    const clusterEvents = (await take(clusterStream, 2)) as Document[];
    await Promise.all([dbStream.close(), clusterStream.close()]);
    expect(dbEvent.ns).to.deep.equal({ db: 'cs', coll: 'one' });
    expect(clusterEvents.map((e) => e.ns.db)).to.deep.equal(['cs', 'other']);
  });

  it('resumes exactly after a token: nothing missed, nothing twice', async () => {
    const coll = db.collection('resume');
    const stream = coll.watch([], { maxAwaitTimeMS: 50 });
    await ready(stream);
    await coll.insertMany([{ i: 1 }, { i: 2 }]);
    const [first] = (await take(stream, 1)) as Document[];
    await stream.close();
    await coll.insertOne({ i: 3 });
    const resumed = coll.watch([], { maxAwaitTimeMS: 50, resumeAfter: first._id as ResumeToken });
    const events = (await take(resumed, 2)) as Document[];
    await resumed.close();
    expect(events.map((e) => e.fullDocument.i)).to.deep.equal([2, 3]);
  });

  it('starts at an operation time', async () => {
    const coll = db.collection('optime');
    const session = fx.client.startSession();
    await coll.insertOne({ i: 1 }, { session });
    const time = session.operationTime!;
    await session.endSession();
    await coll.insertOne({ i: 2 });
    const stream = coll.watch([], { maxAwaitTimeMS: 50, startAtOperationTime: time });
    const events = (await take(stream, 2)) as Document[];
    await stream.close();
    expect(events.map((e) => e.fullDocument.i)).to.deep.equal([1, 2]);
  });

  it('shows a transaction only when it commits, all events at one cluster time', async () => {
    const coll = db.collection('txnevents');
    const stream = coll.watch([], { maxAwaitTimeMS: 50 });
    await ready(stream);
    const aborted = fx.client.startSession();
    aborted.startTransaction();
    await coll.insertOne({ from: 'aborted' }, { session: aborted });
    await aborted.abortTransaction();
    await aborted.endSession();
    const session = fx.client.startSession();
    await session.withTransaction(async () => {
      await coll.insertOne({ from: 'committed', i: 1 }, { session });
      await coll.insertOne({ from: 'committed', i: 2 }, { session });
    });
    await session.endSession();
    await coll.insertOne({ from: 'after' });
    const events = (await take(stream, 3)) as Document[];
    await stream.close();
    expect(events.map((e) => e.fullDocument.from)).to.deep.equal([
      'committed',
      'committed',
      'after',
    ]);
    expect(events[0].clusterTime.equals(events[1].clusterTime)).to.equal(true);
    expect(events[0].txnNumber).to.exist;
  });

  it('ends a collection stream with invalidate when the collection is dropped', async () => {
    const coll = db.collection('dropped');
    await coll.insertOne({});
    const stream = coll.watch([], { maxAwaitTimeMS: 50 });
    await ready(stream);
    await coll.drop();
    const events = await take(stream, 2);
    expect(events.map((e) => e.operationType)).to.deep.equal(['drop', 'invalidate']);
    await stream.close();
  });

  it('refuses a token it never issued with ChangeStreamHistoryLost', async () => {
    const coll = db.collection('lost');
    const stream = coll.watch([], { maxAwaitTimeMS: 50, resumeAfter: { _data: 'ffff' } });
    const err = await stream.next().catch((e: unknown) => e);
    await stream.close();
    expect(err).to.have.property('code', 286);
  });

  it('issues a post-batch resume token before any event, and resuming from it misses nothing', async () => {
    const coll = db.collection('pbrt');
    const stream = coll.watch([], { maxAwaitTimeMS: 50 });
    await stream.tryNext();
    const token = stream.resumeToken;
    expect(token).to.have.property('_data');
    await stream.close();
    await coll.insertOne({ i: 1 });
    const resumed = coll.watch([], { maxAwaitTimeMS: 50, resumeAfter: token });
    const [event] = (await take(resumed, 1)) as Document[];
    await resumed.close();
    expect(event.fullDocument.i).to.equal(1);
  });

  it('starts after an invalidate with startAfter, and refuses resumeAfter on it', async () => {
    const coll = db.collection('reborn');
    await coll.insertOne({});
    const stream = coll.watch([], { maxAwaitTimeMS: 50 });
    await ready(stream);
    await coll.drop();
    const [, invalidate] = await take(stream, 2);
    await stream.close();
    await coll.insertOne({ again: true });
    const refused = coll.watch([], { maxAwaitTimeMS: 50, resumeAfter: invalidate._id });
    expect(await refused.next().catch((e: { code: number }) => e.code)).to.equal(72);
    await refused.close();
    const after = coll.watch([], { maxAwaitTimeMS: 50, startAfter: invalidate._id });
    const [event] = (await take(after, 1)) as Document[];
    await after.close();
    expect(event.operationType).to.equal('insert');
    expect(event.fullDocument.again).to.equal(true);
  });
});
