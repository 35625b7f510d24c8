import { expect } from 'chai';
import { Long, MongoWriteConcernError, type Db, type Document } from 'mongodb';
import { errorOf, startTestEngine, type EngineFixture } from './testing.js';
import { COMMAND_NAMES } from './commands/dispatch.js';
import { COMMAND_FIELDS } from './commands/fields.js';

/**
 * "Never silently wrong": what MongoDB 7.0 refuses, the engine refuses the same
 * way (code, codeName, the field named), and nothing is written by a refused
 * request. Written from MongoDB's documentation of each behaviour.
 */
describe('engine: never silently wrong', () => {
  let fx: EngineFixture;
  let db: Db;

  before(async () => {
    fx = await startTestEngine();
    db = fx.client.db('strict');
  });
  after(() => fx.close());

  async function collectionIndexNames(name: string): Promise<string[]> {
    const exists = await db.listCollections({ name }).hasNext();
    if (!exists) return [];
    return (await db.collection(name).listIndexes().toArray()).map((i) => i.name as string);
  }

  describe('command fields', () => {
    it('has a row in the allowed-fields table for every command it serves', () => {
      const missing = COMMAND_NAMES.filter((name) => !Object.hasOwn(COMMAND_FIELDS, name));
      expect(missing).to.deep.equal([]);
    });

    it('refuses sort on an update statement (7.0 has none) with 40415, updating nothing', async () => {
      const coll = db.collection('upd');
      await coll.insertMany([
        { _id: 1 as never, rank: 2, x: 0 },
        { _id: 2 as never, rank: 1, x: 0 },
      ]);
      const err = await errorOf(
        db.command({
          update: 'upd',
          updates: [{ q: {}, u: { $set: { x: 1 } }, sort: { rank: 1 } }],
        }),
      );
      expect(err.code).to.equal(40415);
      expect(err.codeName).to.equal('Location40415');
      expect(err.errmsg).to.equal("BSON field 'update.updates.sort' is an unknown field.");
      expect(await coll.countDocuments({ x: 1 })).to.equal(0);
    });

    it('refuses a misspelt find field instead of returning every document', async () => {
      await db.collection('misspelt').insertMany([{ a: 1 }, { a: 2 }]);
      const err = await errorOf(db.command({ find: 'misspelt', filtr: { a: 1 } }));
      expect(err.code).to.equal(40415);
      expect(err.errmsg).to.equal("BSON field 'find.filtr' is an unknown field.");
    });

    it('refuses a misspelt upsert flag, inserting nothing', async () => {
      const err = await errorOf(
        db.command({
          update: 'upserts',
          updates: [{ q: { k: 1 }, u: { $set: { v: 1 } }, upsret: true }],
        }),
      );
      expect(err.errmsg).to.equal("BSON field 'update.updates.upsret' is an unknown field.");
      expect(await db.collection('upserts').countDocuments()).to.equal(0);
    });

    it('refuses unknown fields on delete statements and on the command itself', async () => {
      await db.collection('dels').insertMany([{ a: 1 }, { a: 1 }]);
      const statement = await errorOf(
        db.command({ delete: 'dels', deletes: [{ q: { a: 1 }, limit: 0, justOne: true }] }),
      );
      expect(statement.errmsg).to.equal("BSON field 'delete.deletes.justOne' is an unknown field.");
      const top = await errorOf(
        db.command({ delete: 'dels', deletes: [{ q: { a: 1 }, limit: 0 }], multi: true }),
      );
      expect(top.errmsg).to.equal("BSON field 'delete.multi' is an unknown field.");
      expect(await db.collection('dels').countDocuments()).to.equal(2);
    });

    it('requires the fields MongoDB requires (40414): a delete statement without limit', async () => {
      const err = await errorOf(db.command({ delete: 'dels', deletes: [{ q: {} }] }));
      expect(err.code).to.equal(40414);
      expect(err.errmsg).to.equal(
        "BSON field 'delete.deletes.limit' is missing but a required field",
      );
      expect(await db.collection('dels').countDocuments()).to.equal(2);
    });

    it('refuses a field of the wrong type with TypeMismatch (14) naming it', async () => {
      const err = await errorOf(
        db.command({ insert: 'typed', documents: [{ a: 1 }], ordered: 'no' }),
      );
      expect(err.code).to.equal(14);
      expect(err.errmsg).to.match(/^BSON field 'insert\.ordered' is the wrong type 'string'/);
      expect(await db.collection('typed').countDocuments()).to.equal(0);
    });

    it('refuses what 7.0 no longer reads the old way: a negative find limit, an aggregate without cursor', async () => {
      const limit = await errorOf(db.command({ find: 'misspelt', limit: -1 }));
      expect(limit.code).to.equal(51024);
      expect(limit.errmsg).to.equal("BSON field 'limit' value must be >= 0, actual value '-1'");
      const cursorless = await errorOf(db.command({ aggregate: 'misspelt', pipeline: [] }));
      expect(cursorless.code).to.equal(9);
      const cursorField = await errorOf(
        db.command({ aggregate: 'misspelt', pipeline: [], cursor: { batchSize: 1, size: 5 } }),
      );
      expect(cursorField.errmsg).to.equal(
        "BSON field 'aggregate.cursor.size' is an unknown field.",
      );
      // The driver's own negative limit still means "one batch": it sends limit 1 with singleBatch.
      expect(await db.collection('misspelt').find().limit(-1).toArray()).to.have.length(1);
    });

    it('refuses a txnNumber outside a transaction on a command that is not a retryable write', async () => {
      const err = await errorOf(db.command({ find: 'misspelt', txnNumber: Long.fromNumber(1) }));
      expect(err.code).to.equal(50768);
    });

    it('refuses features it does not implement with CommandNotSupported naming the field', async () => {
      const returnKey = await errorOf(
        db.collection('misspelt').find({}, { returnKey: true }).toArray(),
      );
      expect(returnKey.code).to.equal(115);
      expect(returnKey.codeName).to.equal('CommandNotSupported');
      expect(returnKey.errmsg).to.match(/'find\.returnKey'/);
      const capped = await errorOf(db.createCollection('ring', { capped: true, size: 4096 }));
      expect(capped.code).to.equal(115);
      expect(capped.errmsg).to.match(/'create\.capped'/);
      const names = (await db.listCollections().toArray()).map((c) => c.name);
      expect(names).not.to.include('ring');
    });

    it('accepts the default behaviour of an unimplemented feature (simple collation)', async () => {
      const docs = await db
        .collection('misspelt')
        .find({ a: 1 }, { collation: { locale: 'simple' } })
        .toArray();
      expect(docs).to.have.length(1);
    });

    it('accepts the generic fields every command takes', async () => {
      const reply = await db.command({
        find: 'misspelt',
        filter: { a: 2 },
        comment: 'audit me',
        maxTimeMS: 5000,
        readConcern: { level: 'majority' },
        $readPreference: { mode: 'primary' },
        apiVersion: '1',
      });
      expect((reply.cursor as { firstBatch: Document[] }).firstBatch).to.have.length(1);
    });

    it('passes every option the driver maps onto find, update, delete and findAndModify', async () => {
      const coll = db.collection('options');
      await coll.createIndex({ n: 1 }, { name: 'by_n' });
      await coll.insertMany([{ n: 1 }, { n: 2 }, { n: 3 }]);
      const found = await coll
        .find(
          { n: { $gte: 1 } },
          {
            sort: { n: -1 },
            projection: { _id: 0, n: 1 },
            skip: 1,
            limit: 1,
            batchSize: 10,
            comment: 'c',
            maxTimeMS: 1000,
            allowDiskUse: true,
            noCursorTimeout: false,
            hint: 'by_n',
          },
        )
        .toArray();
      expect(found).to.deep.equal([{ n: 2 }]);
      await coll.updateMany({ n: 1 }, { $set: { t: 1 } }, { upsert: false, hint: { n: 1 } });
      await coll.deleteOne({ n: 3 }, { hint: 'by_n', comment: 'bye' });
      const modified = await coll.findOneAndUpdate(
        { n: 2 },
        { $inc: { n: 10 } },
        { sort: { n: 1 }, returnDocument: 'after', projection: { _id: 0 }, hint: { n: 1 } },
      );
      expect(modified).to.deep.equal({ n: 12 });
      expect(await coll.countDocuments({}, { hint: '_id_' })).to.equal(2);
    });

    it('refuses a hint naming an index that does not exist (BadValue)', async () => {
      const coll = db.collection('options');
      const err = await errorOf(coll.find({}, { hint: 'no_such_index' }).toArray());
      expect(err.code).to.equal(2);
      expect(String(err.errmsg)).to.match(/hint provided does not correspond to an existing index/);
      const update = await errorOf(coll.updateOne({}, { $set: { z: 1 } }, { hint: { z: 1 } }));
      expect(update.code).to.equal(2);
      expect(await coll.countDocuments({ z: 1 })).to.equal(0);
    });
  });

  describe('index specifications', () => {
    it('refuses an unknown index option (a misspelt TTL) with 197, building nothing', async () => {
      const coll = db.collection('ttl');
      const err = await errorOf(
        db.command({
          createIndexes: 'ttl',
          indexes: [{ key: { at: 1 }, name: 'at_1', expireAfterSecond: 60 }],
        }),
      );
      expect(err.code).to.equal(197);
      expect(err.codeName).to.equal('InvalidIndexSpecificationOption');
      expect(err.errmsg).to.match(
        /^The field 'expireAfterSecond' is not valid for an index specification/,
      );
      expect(await collectionIndexNames('ttl')).to.deep.equal([]);
      expect(await coll.countDocuments()).to.equal(0);
    });

    it('drops unknown options when asked to (ignoreUnknownIndexOptions)', async () => {
      await db.command({
        createIndexes: 'ttl',
        indexes: [{ key: { at: 1 }, name: 'at_1', expireAfterSeconds: 60, madeUp: true }],
        ignoreUnknownIndexOptions: true,
      });
      const index = (await db.collection('ttl').listIndexes().toArray()).find(
        (i) => i.name === 'at_1',
      );
      expect(index).to.include({ expireAfterSeconds: 60 });
      expect(index).not.to.have.property('madeUp');
    });

    it('refuses an index option it cannot honour (115), naming it', async () => {
      const err = await errorOf(
        db.command({
          createIndexes: 'ttl',
          indexes: [{ key: { label: 1 }, name: 'label_1', prepareUnique: true }],
        }),
      );
      expect(err.code).to.equal(115);
      expect(err.errmsg).to.match(/prepareUnique/);
    });
  });

  describe('write concerns a one-node set cannot satisfy', () => {
    it('answers w: 2 with UnsatisfiableWriteConcern (100), the write itself applied', async () => {
      const coll = db.collection('wc');
      const err = await errorOf(coll.insertOne({ k: 'two' }, { writeConcern: { w: 2 } }));
      expect(err).to.be.instanceOf(MongoWriteConcernError);
      expect(err.code).to.equal(100);
      expect(err.codeName).to.equal('UnsatisfiableWriteConcern');
      expect(await coll.countDocuments({ k: 'two' })).to.equal(1);
    });

    it('answers an unknown tag with UnknownReplWriteConcern (79), the write applied', async () => {
      const err = await errorOf(
        db.command({
          update: 'wc',
          updates: [{ q: { k: 'two' }, u: { $set: { tagged: true } } }],
          writeConcern: { w: 'east-coast' },
        }),
      );
      expect(err).to.be.instanceOf(MongoWriteConcernError);
      expect(err).to.include({
        code: 79,
        codeName: 'UnknownReplWriteConcern',
        message: "No write concern mode named 'east-coast' found in replica set configuration",
      });
      expect(await db.collection('wc').countDocuments({ tagged: true })).to.equal(1);
    });

    it('satisfies w: 1, w: majority and j: true without a writeConcernError', async () => {
      for (const writeConcern of [{ w: 1 }, { w: 'majority' }, { w: 1, j: true }]) {
        const reply = await db.command({ insert: 'wc', documents: [{ ok: 1 }], writeConcern });
        expect(reply.writeConcernError).to.equal(undefined);
      }
    });

    it('reports the unsatisfiable concern on commitTransaction, the transaction committed', async () => {
      const session = fx.client.startSession();
      session.startTransaction({ writeConcern: { w: 3 } });
      await db.collection('wc').insertOne({ k: 'txn' }, { session });
      const err = await errorOf(session.commitTransaction());
      await session.endSession();
      expect(err.code).to.equal(100);
      expect(await db.collection('wc').countDocuments({ k: 'txn' })).to.equal(1);
    });

    it('refuses malformed write concerns and write concerns on reads', async () => {
      const negative = await errorOf(
        db.command({ insert: 'wc', documents: [{ k: 'neg' }], writeConcern: { w: -1 } }),
      );
      expect(negative.code).to.equal(9);
      const unknown = await errorOf(
        db.command({ insert: 'wc', documents: [{ k: 'unk' }], writeConcern: { w: 1, x: 1 } }),
      );
      expect(unknown.errmsg).to.equal("BSON field 'writeConcern.x' is an unknown field.");
      const onFind = await errorOf(db.command({ find: 'wc', writeConcern: { w: 1 } }));
      expect(onFind.code).to.equal(72);
      expect(onFind.codeName).to.equal('InvalidOptions');
      expect(await db.collection('wc').countDocuments({ k: { $in: ['neg', 'unk'] } })).to.equal(0);
    });
  });

  describe('_id values MongoDB refuses', () => {
    it('refuses arrays, regexes and $-prefixed fields in _id on insert, storing nothing', async () => {
      const coll = db.collection('ids');
      const cases: Array<[unknown, number]> = [
        [[9], 53],
        [/a/, 53],
        [{ $b: 1 }, 52],
        [{ a: 1, $b: 1 }, 52],
      ];
      for (const [id, code] of cases) {
        const err = await errorOf(coll.insertOne({ _id: id as never, v: 1 }));
        expect(err.code, JSON.stringify(String(id))).to.equal(code);
      }
      expect(await coll.countDocuments()).to.equal(0);
    });

    it('stores the _id values MongoDB allows, and arrays or regexes under a nested _id', async () => {
      const coll = db.collection('ids-ok');
      await coll.insertMany([
        { _id: { 'a.b': 1 } as never },
        { _id: { a: 1, b: [2, 3] } as never },
        { a: { _id: [9] } },
        { a: { _id: /a/ } },
      ]);
      expect(await coll.countDocuments()).to.equal(4);
    });

    it('refuses an upsert whose _id MongoDB would not store, however the _id was chosen', async () => {
      const coll = db.collection('ids-upsert');
      const viaSet = await errorOf(
        coll.updateOne({ k: 1 }, { $set: { _id: { $bad: 1 } } }, { upsert: true }),
      );
      expect(viaSet.code).to.equal(52);
      const viaSetOnInsert = await errorOf(
        coll.updateOne({ k: 1 }, { $setOnInsert: { _id: /x/ } }, { upsert: true }),
      );
      expect(viaSetOnInsert.code).to.equal(53);
      const viaReplacement = await errorOf(
        coll.replaceOne({ k: 1 }, { _id: [1, 2] as never, k: 1 }, { upsert: true }),
      );
      expect(viaReplacement.code).to.equal(53);
      const viaQuery = await errorOf(
        coll.updateOne({ _id: [1] as never }, { $set: { k: 1 } }, { upsert: true }),
      );
      expect(viaQuery.code).to.equal(53);
      const viaFindAndModify = await errorOf(
        coll.findOneAndUpdate({ k: 2 }, { $set: { _id: [2] } }, { upsert: true }),
      );
      expect(viaFindAndModify.code).to.equal(53);
      expect(await coll.countDocuments()).to.equal(0);
    });
  });

  describe('pipeline updates', () => {
    it('keep _id when $replaceWith or $replaceRoot omits it', async () => {
      const coll = db.collection('pipes');
      await coll.insertMany([
        { _id: 1 as never, inner: { a: 1 } },
        { _id: 2 as never, inner: { a: 2 } },
      ]);
      await coll.updateOne({ _id: 1 as never }, [{ $replaceWith: { b: 'new' } }]);
      await coll.updateOne({ _id: 2 as never }, [{ $replaceRoot: { newRoot: '$inner' } }]);
      expect(await coll.find().sort({ _id: 1 }).toArray()).to.deep.equal([
        { _id: 1, b: 'new' },
        { _id: 2, a: 2 },
      ]);
    });

    it('keep _id when the pipeline unsets it, and refuse changing it (ImmutableField)', async () => {
      const coll = db.collection('pipes');
      await coll.updateOne({ _id: 1 as never }, [{ $unset: '_id' }, { $set: { c: 1 } }]);
      expect(await coll.findOne({ _id: 1 as never })).to.deep.equal({ _id: 1, b: 'new', c: 1 });
      const err = await errorOf(
        coll.updateOne({ _id: 1 as never }, [{ $replaceWith: { _id: 5 } }]),
      );
      expect(err.code).to.equal(66);
      expect(await coll.countDocuments({ _id: 5 as never })).to.equal(0);
    });

    it('refuse stages MongoDB does not run in an update ($match, $group), changing nothing', async () => {
      const coll = db.collection('pipes');
      for (const stage of [{ $match: { d: 4 } }, { $group: { _id: null, n: { $sum: 1 } } }]) {
        const err = await errorOf(coll.updateOne({ _id: 2 as never }, [stage]));
        expect(err.code).to.equal(72);
        expect(err.errmsg).to.equal(
          `${Object.keys(stage)[0]} is not allowed to be used within an update`,
        );
      }
      expect(await coll.findOne({ _id: 2 as never })).to.deep.equal({ _id: 2, a: 2 });
    });

    it('keep _id in findAndModify with a pipeline too', async () => {
      const coll = db.collection('pipes');
      const after = await coll.findOneAndUpdate({ _id: 2 as never }, [{ $replaceWith: { d: 4 } }], {
        returnDocument: 'after',
      });
      expect(after).to.deep.equal({ _id: 2, d: 4 });
    });
  });

  describe('read concerns', () => {
    it('refuses an unknown level (BadValue) and snapshot reads on commands that have none (72)', async () => {
      const bogus = await errorOf(db.command({ find: 'wc', readConcern: { level: 'bogus' } }));
      expect(bogus.code).to.equal(2);
      const snapshot = await errorOf(
        db.command({ count: 'wc', readConcern: { level: 'snapshot' } }),
      );
      expect(snapshot.code).to.equal(72);
      expect(snapshot.errmsg).to.match(/count does not support/);
    });

    it('serves causally consistent sessions (afterClusterTime)', async () => {
      const session = fx.client.startSession({ causalConsistency: true });
      await db.collection('causal').insertOne({ v: 1 }, { session });
      expect(await db.collection('causal').findOne({ v: 1 }, { session })).to.include({ v: 1 });
      await session.endSession();
    });
  });
});
