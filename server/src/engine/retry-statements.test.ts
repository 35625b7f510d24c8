/**
 * Retryable writes, statement by statement, as MongoDB 7.0 keys them: a retry
 * is matched to its record by (lsid, txnNumber, stmtId) alone, and when that
 * record belongs to another command the answer comes from the kind of write it
 * made, never from the other command's reply. stmtId -1 is never recorded, and
 * a newer txnNumber aborts the transaction open on the session.
 */
import { expect } from 'chai';
import { Long, type ClientSession, type Db, type MongoClient } from 'mongodb';
import { errorOf, startTestEngine, type EngineFixture } from './testing.js';
import { RawClient, command, expectOk } from './wire/raw-client.js';
import {
  closeRetrySession,
  openRetrySession,
  send,
  type Loose,
  type RetrySession,
} from './retry-test-support.js';

describe('engine: retryable-write statements across commands', function () {
  this.timeout(60_000);
  let fixture: EngineFixture;
  let client: MongoClient;
  let db: Db;
  let session: ClientSession;
  let opened: RetrySession;

  before(async () => {
    fixture = await startTestEngine();
  });
  after(() => fixture.close());
  beforeEach(async () => {
    opened = await openRetrySession(fixture.engine.uri, 'retry_statements');
    ({ client, db, session } = opened);
  });
  afterEach(() => closeRetrySession(opened));

  it('answers another command retried under a recorded stmtId from the write it made, without running it', async () => {
    const coll = db.collection<Loose>('c');
    await send(db, session, 1, { insert: 'c', documents: [{ _id: 1 }, { _id: 2 }] });

    // stmtId 0 inserted _id 1: an update retried there reports that write as an upsert.
    const update = await send(db, session, 1, {
      update: 'c',
      updates: [{ q: { _id: 2 }, u: { $set: { touched: true } } }],
    });
    expect(update).to.include({ n: 1, nModified: 0, ok: 1 });
    expect(update.upserted).to.deep.equal([{ index: 0, _id: 1 }]);
    expect(update.retriedStmtIds).to.deep.equal([0]);

    // stmtId 1: a delete retried there counts one document and deletes nothing.
    const removed = await send(db, session, 1, {
      delete: 'c',
      deletes: [{ q: { _id: 2 }, limit: 1 }],
      stmtId: 1,
    });
    expect(removed).to.include({ n: 1, ok: 1 });
    expect(removed.retriedStmtIds).to.deep.equal([1]);
    expect(await coll.find().sort({ _id: 1 }).toArray()).to.deep.equal([{ _id: 1 }, { _id: 2 }]);

    // stmtId 2 was never used: it runs.
    const third = await send(db, session, 1, {
      update: 'c',
      updates: [{ q: { _id: 2 }, u: { $set: { touched: true } } }],
      stmtId: 2,
    });
    expect(third).to.include({ n: 1, nModified: 1 }).and.not.have.property('retriedStmtIds');
    expect(await coll.findOne({ _id: 2 })).to.deep.equal({ _id: 2, touched: true });
  });

  it('refuses an update or findAndModify retry its record cannot answer, failing the command (40638, 40606-40612)', async () => {
    const coll = db.collection<Loose>('c');
    await coll.insertMany([
      { _id: 1, v: 1 },
      { _id: 2, v: 2 },
    ]);
    await send(db, session, 7, { delete: 'c', deletes: [{ q: { _id: 1 }, limit: 1 }] });
    const update = await errorOf(
      send(db, session, 7, { update: 'c', updates: [{ q: { _id: 2 }, u: { $set: { v: 9 } } }] }),
    );
    expect(update).to.include({ code: 40638 });
    expect(update.errmsg).to.match(/update retry request is not compatible .* of type: d/);
    const fam = await errorOf(
      send(db, session, 7, { findAndModify: 'c', query: { _id: 2 }, update: { $set: { v: 9 } } }),
    );
    expect(fam).to.include({ code: 40606 });
    const removing = await errorOf(
      send(db, session, 7, { findAndModify: 'c', query: { _id: 2 }, remove: true }),
    );
    expect(removing).to.include({ code: 40607 });

    await send(db, session, 8, {
      update: 'c',
      updates: [{ q: { _id: 2 }, u: { $inc: { v: 1 } } }],
    });
    for (const [options, code] of [
      [{ new: true }, 40611],
      [{}, 40612],
    ] as const) {
      const err = await errorOf(
        send(db, session, 8, {
          findAndModify: 'c',
          query: { _id: 2 },
          update: { $inc: { v: 1 } },
          ...options,
        }),
      );
      expect(err).to.include({ code });
    }

    await send(db, session, 9, { insert: 'c', documents: [{ _id: 3 }] });
    const noUpsert = await errorOf(
      send(db, session, 9, { findAndModify: 'c', query: { _id: 2 }, update: { $inc: { v: 1 } } }),
    );
    expect(noUpsert).to.include({ code: 40608 });
    const upsert = await send(db, session, 9, {
      findAndModify: 'c',
      query: { _id: 4 },
      update: { $set: { v: 4 } },
      upsert: true,
    });
    expect(upsert.lastErrorObject).to.deep.equal({ n: 1, updatedExisting: false, upserted: 3 });
    expect(upsert).to.include({ retriedStmtId: 0 });

    // None of the refused or answered retries wrote anything.
    expect(await coll.find().sort({ _id: 1 }).toArray()).to.deep.equal([
      { _id: 2, v: 3 },
      { _id: 3 },
    ]);
  });

  it('runs again a statement recorded as writing nothing when another command retries its stmtId', async () => {
    const coll = db.collection<Loose>('c');
    await coll.insertOne({ _id: 1 });
    // Matches nothing: mongod writes no oplog entry, so it holds no record for stmtId 0.
    await send(db, session, 3, { delete: 'c', deletes: [{ q: { _id: 99 }, limit: 1 }] });
    const update = await send(db, session, 3, {
      update: 'c',
      updates: [{ q: { _id: 1 }, u: { $set: { ran: true } } }],
    });
    expect(update).to.include({ n: 1, nModified: 1 }).and.not.have.property('retriedStmtIds');
    expect(await coll.findOne({ _id: 1 })).to.deep.equal({ _id: 1, ran: true });
  });

  it('never records a statement with stmtId -1: it runs on every retry', async () => {
    const coll = db.collection<Loose>('c');
    await coll.insertMany([
      { _id: 'a', n: 0 },
      { _id: 'b', n: 0 },
    ]);
    const command = {
      update: 'c',
      updates: [
        { q: { _id: 'a' }, u: { $inc: { n: 1 } } },
        { q: { _id: 'b' }, u: { $inc: { n: 1 } } },
      ],
      stmtIds: [-1, 0],
    };
    await send(db, session, 4, command);
    const retried = await send(db, session, 4, command);
    expect(retried).to.include({ n: 2, nModified: 2 });
    expect(retried.retriedStmtIds).to.deep.equal([0]);
    expect(await coll.find().sort({ _id: 1 }).toArray()).to.deep.equal([
      { _id: 'a', n: 2 },
      { _id: 'b', n: 1 },
    ]);
  });

  it('refuses a retryable write at a transaction’s txnNumber (217) and a transaction started at the active one (117)', async () => {
    const coll = db.collection<Loose>('c');
    await db.createCollection('c');
    const begin = (txnNumber: number, id: string) =>
      db.command(
        {
          insert: 'c',
          documents: [{ _id: id }],
          txnNumber: Long.fromNumber(txnNumber),
          autocommit: false,
          startTransaction: true,
        },
        { session },
      );
    await begin(3, 'in-txn');
    const converted = await errorOf(
      send(db, session, 3, { insert: 'c', documents: [{ _id: 'x' }] }),
    );
    expect(converted).to.include({ code: 217, codeName: 'IncompleteTransactionHistory' });
    const restarted = await errorOf(begin(3, 'again'));
    expect(restarted).to.include({ code: 117, codeName: 'ConflictingOperationInProgress' });

    await send(db, session, 4, { insert: 'c', documents: [{ _id: 'retryable' }] });
    const onRetryable = await errorOf(begin(4, 'txn-at-4'));
    expect(onRetryable).to.include({ code: 117, codeName: 'ConflictingOperationInProgress' });
    expect(await coll.find().toArray()).to.deep.equal([{ _id: 'retryable' }]);
  });

  it('aborts the open transaction of a session when a newer retryable write starts on it', async () => {
    const coll = db.collection<Loose>('c');
    await db.createCollection('c');
    // The driver numbers this transaction 1 on the fresh session.
    session.startTransaction();
    await coll.insertOne({ _id: 'in-txn' }, { session });
    // The driver would fold a command of this session into its transaction: send it as it is.
    const raw = await RawClient.connect(Number(new URL(fixture.engine.uri).port));
    try {
      const write = { insert: 'c', documents: [{ _id: 'retryable' }], $db: db.databaseName };
      const reply = expectOk(
        await raw.request(
          command(1, { ...write, lsid: session.id, txnNumber: Long.fromNumber(6) }),
        ),
      );
      expect(reply).to.include({ n: 1 });
    } finally {
      raw.destroy();
    }

    const more = await errorOf(coll.insertOne({ _id: 'later' }, { session }));
    expect(more).to.include({ code: 225, codeName: 'TransactionTooOld' });
    expect(more.errmsg).to.match(/newer retryable write with txnNumber 6/);
    const commit = await errorOf(session.commitTransaction());
    expect(commit).to.include({ code: 225, codeName: 'TransactionTooOld' });
    expect(await coll.find().toArray()).to.deep.equal([{ _id: 'retryable' }]);

    // Aborted, it let go of its locks: another transaction may take the same _id.
    const other = client.startSession();
    try {
      other.startTransaction();
      await coll.insertOne({ _id: 'in-txn' }, { session: other });
      await other.commitTransaction();
    } finally {
      await other.endSession();
    }
    expect(await coll.countDocuments({ _id: 'in-txn' })).to.equal(1);
  });
});
