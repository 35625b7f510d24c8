import { expect } from 'chai';
import type { ChangeStream, ChangeStreamOptions, Db, Document } from 'mongodb';
import { errorOf, startTestEngine, type EngineFixture } from './testing.js';

type Stream = ChangeStream<Document, Document>;
type Doc = { _id: number } & Document;
interface Granular {
  _id: number;
  arr: number[];
  sub: { x: number; y?: number };
  tags?: string[];
  deep?: Document;
}

async function take(stream: Stream, n: number): Promise<Document[]> {
  const out: Document[] = [];
  while (out.length < n) out.push(await stream.next());
  return out;
}

describe('engine: change streams (DDL events, update granularity, images)', () => {
  let fx: EngineFixture;
  let db: Db;

  before(async () => {
    fx = await startTestEngine();
    db = fx.client.db('csddl');
  });
  after(() => fx.close());

  async function open(
    target: string,
    options: ChangeStreamOptions = {},
    pipeline: Document[] = [],
  ): Promise<Stream> {
    const stream = (target === 'db' ? db : db.collection(target)).watch<Document, Document>(
      pipeline,
      { maxAwaitTimeMS: 50, ...options },
    );
    await stream.tryNext();
    return stream;
  }

  describe('DDL events', () => {
    it('shows create, createIndexes, dropIndexes, modify, rename and drop with showExpandedEvents', async () => {
      const stream = await open('db', { showExpandedEvents: true });
      await db.createCollection('ddl1');
      await db.collection<Doc>('ddl1').insertOne({ _id: 1 });
      await db.collection('ddl1').createIndex({ a: 1 }, { name: 'a_1' });
      await db.collection('ddl1').dropIndex('a_1');
      await db.command({ collMod: 'ddl1', validator: { a: { $exists: true } } });
      await db.collection('ddl1').rename('ddl2');
      await db.collection('ddl2').drop();
      const events = await take(stream, 7);
      await stream.close();
      expect(events.map((e) => e.operationType)).to.deep.equal([
        'create',
        'insert',
        'createIndexes',
        'dropIndexes',
        'modify',
        'rename',
        'drop',
      ]);
      const [create, insert, createIndexes, dropIndexes, modify, rename, drop] = events;
      expect(create.ns).to.deep.equal({ db: 'csddl', coll: 'ddl1' });
      expect(create.operationDescription.idIndex).to.deep.include({
        key: { _id: 1 },
        name: '_id_',
      });
      expect(create.collectionUUID.sub_type).to.equal(4);
      // Every event of the collection names the same UUID until it is dropped.
      for (const event of [insert, createIndexes, dropIndexes, modify, rename, drop])
        expect(event.collectionUUID.toString('hex')).to.equal(
          create.collectionUUID.toString('hex'),
        );
      expect(createIndexes.operationDescription.indexes).to.have.length(1);
      expect(createIndexes.operationDescription.indexes[0]).to.include({ name: 'a_1' });
      expect(createIndexes.operationDescription.indexes[0].key).to.deep.equal({ a: 1 });
      expect(dropIndexes.operationDescription.indexes[0]).to.include({ name: 'a_1' });
      expect(modify.operationDescription).to.deep.equal({ validator: { a: { $exists: true } } });
      expect(modify.stateBeforeChange.collectionOptions).to.deep.equal({});
      expect(rename.ns).to.deep.equal({ db: 'csddl', coll: 'ddl1' });
      expect(rename.to).to.deep.equal({ db: 'csddl', coll: 'ddl2' });
      expect(rename.operationDescription.to).to.deep.equal({ db: 'csddl', coll: 'ddl2' });
      expect(drop.ns).to.deep.equal({ db: 'csddl', coll: 'ddl2' });
    });

    it('describes a TTL change with the index before and after', async () => {
      await db.collection<Doc>('ttl_mod').createIndex({ at: 1 }, { expireAfterSeconds: 3600 });
      const stream = await open('ttl_mod', { showExpandedEvents: true });
      await db.command({ collMod: 'ttl_mod', index: { name: 'at_1', expireAfterSeconds: 60 } });
      const [modify] = await take(stream, 1);
      await stream.close();
      expect(modify.operationType).to.equal('modify');
      expect(modify.operationDescription).to.deep.equal({
        index: { name: 'at_1', expireAfterSeconds: 60 },
      });
      expect(modify.stateBeforeChange.indexOptions).to.deep.equal({ expireAfterSeconds: 3600 });
    });

    it('shows creating and dropping a view to expanded streams only', async () => {
      const expanded = await open('db', { showExpandedEvents: true });
      const plain = await open('db');
      await db.createCollection('a_view', { viewOn: 'base', pipeline: [{ $match: { x: 1 } }] });
      await db.collection('a_view').drop();
      await db.collection<Doc>('after_view').insertOne({ _id: 1 });
      const [create, drop] = await take(expanded, 2);
      const [first] = await take(plain, 1);
      await expanded.close();
      await plain.close();
      expect(create.operationType).to.equal('create');
      expect(create.operationDescription).to.deep.equal({
        viewOn: 'base',
        pipeline: [{ $match: { x: 1 } }],
      });
      expect(create).not.to.have.property('collectionUUID');
      expect(drop.operationType).to.equal('drop');
      expect(drop.ns).to.deep.equal({ db: 'csddl', coll: 'a_view' });
      expect(first.operationType).to.equal('insert');
    });

    it('reports an implicit creation (first insert) as create too', async () => {
      const stream = await open('db', { showExpandedEvents: true });
      await db.collection<Doc>('implicit').insertOne({ _id: 1 });
      const [create, insert] = await take(stream, 2);
      await stream.close();
      expect(create.operationType).to.equal('create');
      expect(create.ns).to.deep.equal({ db: 'csddl', coll: 'implicit' });
      expect(insert.operationType).to.equal('insert');
    });

    it('hides create and index events from streams without showExpandedEvents, but not rename', async () => {
      const stream = await open('db');
      await db.createCollection('quiet');
      await db.collection('quiet').createIndex({ b: 1 });
      await db.collection<Doc>('quiet').insertOne({ _id: 1 });
      await db.collection('quiet').rename('quieter');
      const [insert, rename] = await take(stream, 2);
      await stream.close();
      expect(insert.operationType).to.equal('insert');
      expect(insert).not.to.have.property('collectionUUID');
      expect(rename.operationType).to.equal('rename');
      expect(rename.to).to.deep.equal({ db: 'csddl', coll: 'quieter' });
      expect(rename).not.to.have.property('operationDescription');
    });

    it('ends a collection stream with invalidate when its collection is renamed', async () => {
      await db.collection<Doc>('renamed_src').insertOne({ _id: 1 });
      const stream = await open('renamed_src');
      await db.collection<Doc>('renamed_src').insertOne({ _id: 2 });
      await db.collection('renamed_src').rename('renamed_dst');
      const events = await take(stream, 3);
      expect(events.map((e) => e.operationType)).to.deep.equal(['insert', 'rename', 'invalidate']);
      expect(stream.closed).to.equal(true);
      // startAfter the invalidate opens a new stream on the (now empty) name.
      const again = db.collection('renamed_src').watch([], {
        startAfter: events[2]._id,
        maxAwaitTimeMS: 50,
      });
      await again.tryNext();
      await db.collection<Doc>('renamed_src').insertOne({ _id: 3 });
      const [next] = await take(again, 1);
      await again.close();
      expect(next.operationType).to.equal('insert');
      expect(next.documentKey).to.deep.equal({ _id: 3 });
    });
  });

  describe('updateDescription', () => {
    it('names appended elements (arr.3), whole arrays for $pull, and the set path as written', async () => {
      const coll = db.collection<Granular>('granular');
      await coll.insertOne({ _id: 1, arr: [1, 2, 3], sub: { x: 1, y: 2 }, tags: ['a', 'b', 'c'] });
      const stream = await open('granular');
      await coll.updateOne({ _id: 1 }, { $push: { arr: 4 } });
      await coll.updateOne({ _id: 1 }, { $push: { arr: { $each: [5, 6] } } });
      await coll.updateOne({ _id: 1 }, { $pull: { tags: 'b' } });
      await coll.updateOne({ _id: 1 }, { $set: { sub: { x: 1 } } });
      await coll.updateOne({ _id: 1 }, { $set: { 'deep.er.est': true } });
      await coll.updateOne({ _id: 1 }, { $set: { 'sub.x': 2 }, $unset: { tags: '' } });
      const events = await take(stream, 6);
      await stream.close();
      const uds = events.map((e) => e.updateDescription);
      expect(uds[0].updatedFields).to.deep.equal({ 'arr.3': 4 });
      expect(uds[1].updatedFields).to.deep.equal({ 'arr.4': 5, 'arr.5': 6 });
      expect(uds[2].updatedFields).to.deep.equal({ tags: ['a', 'c'] });
      expect(uds[3]).to.deep.equal({
        updatedFields: { sub: { x: 1 } },
        removedFields: [],
        truncatedArrays: [],
      });
      expect(uds[4].updatedFields).to.deep.equal({ deep: { er: { est: true } } });
      expect(uds[5].updatedFields).to.deep.equal({ 'sub.x': 2 });
      expect(uds[5].removedFields).to.deep.equal(['tags']);
    });

    it('reports truncatedArrays for a pipeline update that shortens an array', async () => {
      const coll = db.collection<Doc>('truncating');
      await coll.insertOne({ _id: 1, arr: [1, 2, 3, 4, 5], keep: 1 });
      const stream = await open('truncating');
      await coll.updateOne({ _id: 1 }, [{ $set: { arr: { $slice: ['$arr', 2] } } }]);
      await coll.updateOne({ _id: 1 }, [{ $set: { arr: [1, 9] } }]);
      const [shrunk, changed] = await take(stream, 2);
      await stream.close();
      expect(shrunk.updateDescription).to.deep.equal({
        updatedFields: {},
        removedFields: [],
        truncatedArrays: [{ field: 'arr', newSize: 2 }],
      });
      expect(changed.updateDescription.updatedFields).to.deep.equal({ 'arr.1': 9 });
    });

    it('adds disambiguatedPaths for a numeric field name, with showExpandedEvents only', async () => {
      const coll = db.collection<Doc>('ambiguous');
      await coll.insertOne({ _id: 1, a: { '0': 0 }, list: [{ n: 1 }] });
      const expanded = await open('ambiguous', { showExpandedEvents: true });
      const plain = await open('ambiguous');
      await coll.updateOne({ _id: 1 }, { $inc: { 'a.0': 1 } });
      await coll.updateOne({ _id: 1 }, { $set: { 'list.0.n': 2 } });
      const [withPaths, arrayOnly] = await take(expanded, 2);
      const [withoutPaths] = await take(plain, 1);
      await expanded.close();
      await plain.close();
      expect(withPaths.updateDescription.updatedFields).to.deep.equal({ 'a.0': 1 });
      expect(withPaths.updateDescription.disambiguatedPaths).to.deep.equal({ 'a.0': ['a', '0'] });
      // An array index alone is not ambiguous.
      expect(arrayOnly.updateDescription.updatedFields).to.deep.equal({ 'list.0.n': 2 });
      expect(arrayOnly.updateDescription).not.to.have.property('disambiguatedPaths');
      expect(withoutPaths.updateDescription).not.to.have.property('disambiguatedPaths');
    });
  });

  describe('pre- and post-images', () => {
    it('gives fullDocumentBeforeChange and fullDocument as of each change once collMod enables them', async () => {
      await db.createCollection('imaged');
      await db.command({ collMod: 'imaged', changeStreamPreAndPostImages: { enabled: true } });
      const coll = db.collection<Doc>('imaged');
      await coll.insertOne({ _id: 1, v: 1 });
      const stream = await open('imaged', {
        fullDocument: 'required',
        fullDocumentBeforeChange: 'required',
      });
      await coll.updateOne({ _id: 1 }, { $set: { v: 2 } });
      await coll.updateOne({ _id: 1 }, { $set: { v: 3 } });
      await coll.replaceOne({ _id: 1 }, { v: 10 });
      await coll.deleteOne({ _id: 1 });
      const [first, second, replace, remove] = await take(stream, 4);
      await stream.close();
      // Unlike updateLookup, each event carries the document as it was right after that change.
      expect(first.fullDocumentBeforeChange).to.deep.equal({ _id: 1, v: 1 });
      expect(first.fullDocument).to.deep.equal({ _id: 1, v: 2 });
      expect(second.fullDocumentBeforeChange).to.deep.equal({ _id: 1, v: 2 });
      expect(second.fullDocument).to.deep.equal({ _id: 1, v: 3 });
      expect(replace.fullDocumentBeforeChange).to.deep.equal({ _id: 1, v: 3 });
      expect(replace.fullDocument).to.deep.equal({ _id: 1, v: 10 });
      expect(remove.fullDocumentBeforeChange).to.deep.equal({ _id: 1, v: 10 });
    });

    it('gives null with whenAvailable and fails with 47 NoMatchingDocument with required when images are off', async () => {
      const coll = db.collection<Doc>('unimaged');
      await coll.insertOne({ _id: 1, v: 1 });
      const lenient = await open('unimaged', {
        fullDocument: 'whenAvailable',
        fullDocumentBeforeChange: 'whenAvailable',
      });
      const strict = await open('unimaged', { fullDocumentBeforeChange: 'required' });
      await coll.updateOne({ _id: 1 }, { $set: { v: 2 } });
      const [event] = await take(lenient, 1);
      await lenient.close();
      expect(event.fullDocument).to.equal(null);
      expect(event.fullDocumentBeforeChange).to.equal(null);
      const err = await errorOf(strict.next());
      await strict.close();
      expect(err.code).to.equal(47);
      expect(err.codeName).to.equal('NoMatchingDocument');
    });
  });

  describe('errors', () => {
    it('refuses an unknown stage with 40324 and a stage not allowed there with 20', async () => {
      const unknown = await errorOf(
        db
          .collection('x')
          .watch([{ $bogus: {} }])
          .tryNext(),
      );
      expect(unknown.code).to.equal(40324);
      const group = await errorOf(
        db
          .collection('x')
          .watch([{ $group: { _id: null } }])
          .tryNext(),
      );
      expect(group.code).to.equal(20);
      expect(group.message).to.equal('$group is not permitted in a $changeStream pipeline');
    });

    it('labels a token it cannot resume from NonResumableChangeStreamError', async () => {
      const reply = await errorOf(
        db.command({
          aggregate: 'x',
          pipeline: [{ $changeStream: { resumeAfter: { _data: 'not-a-token' } } }],
          cursor: {},
        }),
      );
      expect(reply.code).to.equal(286);
      expect(reply.errorLabels).to.include('NonResumableChangeStreamError');
    });

    it('refuses an unknown fullDocumentBeforeChange mode', async () => {
      const err = await errorOf(
        db.collection('x').watch([], { fullDocumentBeforeChange: 'sometimes' }).tryNext(),
      );
      expect(err.code).to.equal(2);
    });
  });
});

describe('engine: change history retention and catalog events', () => {
  let fx: EngineFixture;
  before(async () => {
    fx = await startTestEngine({ historyMaxEvents: 2 });
  });
  after(() => fx.close());

  it('does not count create and index events against historyMaxEvents', async () => {
    const db = fx.client.db('retention');
    const stream = db.watch<Document, Document>([], { maxAwaitTimeMS: 50 });
    await stream.tryNext();
    await db.createCollection('c');
    for (const field of ['a', 'b', 'c', 'd']) await db.collection('c').createIndex({ [field]: 1 });
    await db.collection<Doc>('c').insertOne({ _id: 1 });
    const event = await stream.next();
    await stream.close();
    expect(event.operationType).to.equal('insert');
    expect(event.documentKey).to.deep.equal({ _id: 1 });
  });
});
