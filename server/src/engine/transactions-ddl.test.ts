import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Long, type ClientSession, type Db, type Document } from 'mongodb';
import { errorOf, startTestEngine, type EngineFixture } from './testing.js';

/**
 * What MongoDB 7.0 allows inside a multi-document transaction, and how the
 * collections and indexes a transaction creates stay its own until commit.
 */
describe('engine: commands and DDL inside transactions', () => {
  let fx: EngineFixture;
  let db: Db;

  before(async () => {
    fx = await startTestEngine();
    db = fx.client.db('txnddl');
  });
  after(() => fx.close());

  async function collectionNames(): Promise<string[]> {
    return (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
  }

  async function inTransaction<T>(run: (session: ClientSession) => Promise<T>): Promise<T> {
    const session = fx.client.startSession();
    try {
      session.startTransaction();
      return await run(session);
    } finally {
      if (session.inTransaction()) await session.abortTransaction().catch(() => undefined);
      await session.endSession();
    }
  }

  describe('commands MongoDB forbids in a transaction', () => {
    it('refuses count with OperationNotSupportedInTransaction without aborting the transaction', async () => {
      const coll = db.collection('counted');
      const session = fx.client.startSession();
      session.startTransaction();
      await coll.insertOne({ n: 1 }, { session });
      const err = await errorOf(db.command({ count: 'counted' }, { session }));
      expect(err.code).to.equal(263);
      expect(err.codeName).to.equal('OperationNotSupportedInTransaction');
      expect(err.errmsg).to.match(/^Cannot run 'count' in a multi-document transaction\./);
      // countDocuments (an aggregation) is the way to count inside one.
      expect(await coll.countDocuments({}, { session })).to.equal(1);
      await session.commitTransaction();
      await session.endSession();
      expect(await coll.countDocuments()).to.equal(1);
    });

    it('does not start a transaction with a refused command', async () => {
      const session = fx.client.startSession();
      session.startTransaction();
      const err = await errorOf(db.command({ count: 'counted' }, { session }));
      expect(err.code).to.equal(263);
      const commit = await errorOf(session.commitTransaction());
      expect(commit.code).to.equal(251);
      await session.endSession();
    });

    it('refuses listCollections, listIndexes, drop, dropDatabase and the handshake commands', async () => {
      await db.collection('counted').insertOne({ n: 2 });
      const refused: Document[] = [
        { listCollections: 1 },
        { listIndexes: 'counted' },
        { drop: 'counted' },
        { dropDatabase: 1 },
        { ping: 1 },
        { buildInfo: 1 },
        { dropIndexes: 'counted', index: '*' },
      ];
      await inTransaction(async (session) => {
        await db.collection('counted').findOne({}, { session });
        for (const command of refused) {
          const err = await errorOf(db.command(command, { session }));
          expect(err.code, Object.keys(command)[0]).to.equal(263);
          expect(err.errmsg).to.equal(
            `Cannot run '${Object.keys(command)[0]}' in a multi-document transaction.`,
          );
        }
      });
      expect(await collectionNames()).to.include('counted');
    });

    it('refuses change streams and $out inside a transaction', async () => {
      await inTransaction(async (session) => {
        const stream = await errorOf(
          db.command(
            { aggregate: 'counted', pipeline: [{ $changeStream: {} }], cursor: {} },
            { session },
          ),
        );
        expect(stream.code).to.equal(263);
        const out = await errorOf(
          db.command(
            { aggregate: 'counted', pipeline: [{ $out: 'elsewhere' }], cursor: {} },
            { session },
          ),
        );
        expect(out.code).to.equal(263);
      });
    });

    it('refuses the config and local databases, system.views and system.profile (263)', async () => {
      await db.createCollection('counted_view', { viewOn: 'counted', pipeline: [] });
      await inTransaction(async (session) => {
        await db.collection('counted').findOne({}, { session });
        const refusals: [() => Promise<unknown>, string][] = [
          [
            () => fx.client.db('config').collection('things').insertOne({ a: 1 }, { session }),
            'Cannot run command against the config database in a transaction.',
          ],
          [
            () => fx.client.db('local').collection('things').findOne({}, { session }),
            "Cannot run command against the 'local' database in a transaction.",
          ],
          [
            () => db.collection('system.views').find({}, { session }).toArray(),
            `Cannot run command against the '${db.databaseName}.system.views' collection in a transaction.`,
          ],
          [
            () =>
              db
                .collection('counted')
                .aggregate([{ $lookup: { from: 'system.profile', pipeline: [], as: 'p' } }], {
                  session,
                })
                .toArray(),
            `Cannot run command against the '${db.databaseName}.system.profile' collection in a transaction.`,
          ],
        ];
        for (const [attempt, message] of refusals) {
          const err = await errorOf(attempt());
          expect(err).to.include({ code: 263, errmsg: message });
        }
        // The transaction goes on.
        await db.collection('counted').insertOne({ n: 3 }, { session });
      });
      expect(await fx.client.db('config').collection('things').countDocuments()).to.equal(0);
      await db.dropCollection('counted_view');
    });

    it('refuses a getMore in a transaction on a cursor opened outside it', async () => {
      await db.collection('paged').insertMany([{ i: 1 }, { i: 2 }, { i: 3 }]);
      const session = fx.client.startSession();
      const opened = await db.command({ find: 'paged', batchSize: 1 }, { session });
      const id = (opened.cursor as { id: Long }).id;
      session.startTransaction();
      await db.collection('paged').findOne({}, { session });
      const err = await errorOf(db.command({ getMore: id, collection: 'paged' }, { session }));
      expect(err.code).to.equal(50739);
      expect(err.errmsg).to.match(/which was not created in a transaction/);
      await session.abortTransaction();
      // Outside the transaction the cursor still serves its session.
      const more = await db.command({ getMore: id, collection: 'paged' }, { session });
      expect((more.cursor as { nextBatch: Document[] }).nextBatch).to.have.length(2);
      await session.endSession();
    });

    it('refuses a getMore naming another collection than the cursor reads (Unauthorized)', async () => {
      const session = fx.client.startSession();
      const opened = await db.command({ find: 'paged', batchSize: 1 }, { session });
      const id = (opened.cursor as { id: Long }).id;
      const err = await errorOf(db.command({ getMore: id, collection: 'counted' }, { session }));
      expect(err.code).to.equal(13);
      expect(err.errmsg).to.match(/cursor belongs to a different namespace txnddl\.paged/);
      await session.endSession();
    });

    it('refuses a getMore from another session (50738)', async () => {
      const owner = fx.client.startSession();
      const other = fx.client.startSession();
      const opened = await db.command({ find: 'paged', batchSize: 1 }, { session: owner });
      const id = (opened.cursor as { id: Long }).id;
      const err = await errorOf(
        db.command({ getMore: id, collection: 'paged' }, { session: other }),
      );
      expect(err.code).to.equal(50738);
      await owner.endSession();
      await other.endSession();
    });

    it('refuses a writeConcern on a statement inside a transaction', async () => {
      await inTransaction(async (session) => {
        await db.collection('counted').findOne({}, { session });
        const err = await errorOf(
          db.command(
            { insert: 'counted', documents: [{ n: 9 }], writeConcern: { w: 1 } },
            { session },
          ),
        );
        expect(err.code).to.equal(72);
      });
      expect(await db.collection('counted').countDocuments({ n: 9 })).to.equal(0);
    });
  });

  describe('collections and indexes created in a transaction', () => {
    it('keeps an explicitly created collection invisible outside until commit', async () => {
      const session = fx.client.startSession();
      session.startTransaction();
      await db.createCollection('made', { session });
      await db.collection('made').insertOne({ inside: true }, { session });
      expect(await collectionNames()).not.to.include('made');
      expect(await db.collection('made').countDocuments()).to.equal(0);
      expect(await db.collection('made').countDocuments({}, { session })).to.equal(1);
      await session.commitTransaction();
      await session.endSession();
      expect(await collectionNames()).to.include('made');
      expect(await db.collection('made').countDocuments()).to.equal(1);
    });

    it('forgets a created collection on abort: it can be created again afterwards', async () => {
      await inTransaction(async (session) => {
        await db.createCollection('fleeting', { session });
        await db.collection('fleeting').insertOne({ x: 1 }, { session });
      });
      expect(await collectionNames()).not.to.include('fleeting');
      await db.createCollection('fleeting');
      expect(await db.collection('fleeting').countDocuments()).to.equal(0);
    });

    it('isolates and forgets a collection created implicitly by an insert', async () => {
      const session = fx.client.startSession();
      session.startTransaction();
      await db.collection('implicit').insertOne({ a: 1 }, { session });
      expect(await collectionNames()).not.to.include('implicit');
      await session.abortTransaction();
      await session.endSession();
      expect(await collectionNames()).not.to.include('implicit');
    });

    it('enforces a unique index built in the transaction, and keeps it after commit', async () => {
      const coll = db.collection('indexed');
      const session = fx.client.startSession();
      session.startTransaction();
      await coll.createIndex({ email: 1 }, { unique: true, name: 'email_unique', session });
      await coll.insertOne({ email: 'a@example.test' }, { session });
      const dup = await errorOf(coll.insertOne({ email: 'a@example.test' }, { session }));
      expect(dup.code).to.equal(11000);
      // The duplicate aborted the transaction, as any failed statement does.
      await session.abortTransaction().catch(() => undefined);
      expect(await collectionNames()).not.to.include('indexed');

      session.startTransaction();
      await coll.createIndex({ email: 1 }, { unique: true, name: 'email_unique', session });
      await coll.insertOne({ email: 'b@example.test' }, { session });
      await session.commitTransaction();
      await session.endSession();
      const names = (await coll.listIndexes().toArray()).map((i) => i.name);
      expect(names).to.deep.equal(['_id_', 'email_unique']);
      const after = await errorOf(coll.insertOne({ email: 'b@example.test' }));
      expect(after.code).to.equal(11000);
    });

    it('refuses an index on an existing collection inside a transaction (263)', async () => {
      await db.collection('existing').insertOne({ a: 1 });
      await inTransaction(async (session) => {
        const err = await errorOf(db.collection('existing').createIndex({ a: 1 }, { session }));
        expect(err.code).to.equal(263);
        expect(err.errmsg).to.match(/existing collection txnddl\.existing/);
      });
      const names = (await db.collection('existing').listIndexes().toArray()).map((i) => i.name);
      expect(names).to.deep.equal(['_id_']);
    });

    it('refuses creating a collection that already exists (NamespaceExists)', async () => {
      await inTransaction(async (session) => {
        const err = await errorOf(db.createCollection('existing', { session }));
        expect(err.code).to.equal(48);
      });
    });

    it('lets only one of two transactions create the same collection (WriteConflict)', async () => {
      const first = fx.client.startSession();
      const second = fx.client.startSession();
      first.startTransaction();
      second.startTransaction();
      await db.createCollection('contested', { session: first });
      const err = await errorOf(db.createCollection('contested', { session: second }));
      expect(err.code).to.equal(112);
      expect(err.errorLabels).to.include('TransientTransactionError');
      await first.commitTransaction();
      await second.abortTransaction().catch(() => undefined);
      await first.endSession();
      await second.endSession();
      expect(await collectionNames()).to.include('contested');
    });

    it('fails the commit when the collection was created outside meanwhile', async () => {
      const session = fx.client.startSession();
      session.startTransaction();
      await db.collection('raced').insertOne({ from: 'txn' }, { session });
      await db.collection('raced').insertOne({ from: 'outside' });
      const err = await errorOf(session.commitTransaction());
      expect(err.code).to.equal(112);
      await session.endSession();
      expect(
        await db
          .collection('raced')
          .find({}, { projection: { _id: 0 } })
          .toArray(),
      ).to.deep.equal([{ from: 'outside' }]);
    });
  });

  describe('across a restart', () => {
    let dataDir: string;
    beforeEach(() => {
      dataDir = mkdtempSync(path.join(tmpdir(), 'quorum-txn-ddl-'));
    });
    afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

    it('journals a committed collection with its index, and nothing of an aborted one', async () => {
      let engine = await startTestEngine({ dataDir, port: 0 });
      const store = engine.client.db('durable');
      const session = engine.client.startSession();
      session.startTransaction();
      await store.createCollection('kept', { session });
      await store.collection('kept').createIndex({ k: 1 }, { unique: true, name: 'k_1', session });
      await store.collection('kept').insertOne({ k: 1 }, { session });
      await session.commitTransaction();
      session.startTransaction();
      await store.createCollection('dropped', { session });
      await store.collection('dropped').insertOne({ k: 1 }, { session });
      await session.abortTransaction();
      await session.endSession();
      await engine.close();

      engine = await startTestEngine({ dataDir, port: 0 });
      const again = engine.client.db('durable');
      const names = (await again.listCollections().toArray()).map((c) => c.name);
      expect(names).to.deep.equal(['kept']);
      const indexes = (await again.collection('kept').listIndexes().toArray()).map((i) => i.name);
      expect(indexes).to.deep.equal(['_id_', 'k_1']);
      expect(await again.collection('kept').countDocuments()).to.equal(1);
      await engine.close();
    });
  });
});
