/**
 * Retryable writes as the driver specification and MongoDB 7.0 define them: a
 * write sent with lsid + txnNumber outside a transaction is applied at most once
 * per statement, whatever the number of times it is sent, and even across a
 * restart of the engine.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Long, MongoClient, UUID, type ClientSession, type Db, type Document } from 'mongodb';
import { startEngine } from './index.js';
import { errorOf, startTestEngine, type EngineFixture } from './testing.js';
import {
  closeRetrySession,
  openRetrySession,
  send,
  startLossyProxy,
  type Loose,
  type RetrySession,
} from './retry-test-support.js';
import { killed as killEngine, spawnEngine } from './test-engine-process.js';
import { RetryTable, SESSION_TIMEOUT_MS } from './storage/retry-table.js';
import { RawClient, command } from './wire/raw-client.js';

const portOf = (uri: string) => Number(new URL(uri).port);

describe('engine: retryable writes', function () {
  this.timeout(60_000);
  let fixture: EngineFixture;
  let db: Db;
  let session: ClientSession;
  let opened: RetrySession;

  before(async () => {
    fixture = await startTestEngine();
  });
  after(() => fixture.close());
  beforeEach(async () => {
    opened = await openRetrySession(fixture.engine.uri, 'retry');
    ({ db, session } = opened);
  });
  afterEach(() => closeRetrySession(opened));

  it('answers a retried insert, update and delete from the record without applying them again', async () => {
    const insert = { insert: 'c', documents: [{ _id: 1 }, { _id: 2, x: 1 }, { _id: 3, y: 1 }] };
    const first = await send(db, session, 1, insert);
    const again = await send(db, session, 1, insert);
    expect(first).to.include({ n: 3, ok: 1 }).and.not.have.property('writeErrors');
    expect(again).to.include({ n: 3, ok: 1 }).and.not.have.property('writeErrors');
    expect(again.retriedStmtIds).to.deep.equal([0, 1, 2]);

    const update = {
      update: 'c',
      updates: [
        { q: { _id: 1 }, u: { $inc: { count: 1 } } },
        { q: { _id: 9 }, u: { $inc: { count: 1 } }, upsert: true },
        { q: { _id: 2 }, u: { replaced: true } },
      ],
    };
    const updated = await send(db, session, 2, update);
    const updatedAgain = await send(db, session, 2, update);
    for (const reply of [updated, updatedAgain]) {
      expect(reply).to.include({ n: 3, nModified: 2, ok: 1 });
      expect(reply.upserted).to.deep.equal([{ index: 1, _id: 9 }]);
    }
    expect(updated).to.not.have.property('retriedStmtIds');
    expect(updatedAgain.retriedStmtIds).to.deep.equal([0, 1, 2]);
    const coll = db.collection<Loose>('c');
    expect(await coll.findOne({ _id: 1 })).to.deep.equal({ _id: 1, count: 1 });
    expect(await coll.findOne({ _id: 9 })).to.deep.equal({ _id: 9, count: 1 });

    await coll.insertOne({ _id: 4, y: 1 });
    const remove = { delete: 'c', deletes: [{ q: { y: 1 }, limit: 1 }] };
    expect(await send(db, session, 3, remove)).to.include({ n: 1 });
    const removedAgain = await send(db, session, 3, remove);
    expect(removedAgain).to.include({ n: 1, ok: 1 });
    expect(removedAgain.retriedStmtIds).to.deep.equal([0]);
    expect(await coll.countDocuments({ y: 1 })).to.equal(1);
  });

  it('answers a retried findAndModify with the image it returned the first time', async () => {
    const coll = db.collection<Loose>('c');
    await coll.insertOne({ _id: 1, n: 1 });
    const pre = { findAndModify: 'c', query: { _id: 1 }, update: { $inc: { n: 1 } } };
    const post = { ...pre, new: true };
    const preFirst = await send(db, session, 1, pre);
    const preAgain = await send(db, session, 1, pre);
    expect(preFirst.value).to.deep.equal({ _id: 1, n: 1 });
    expect(preAgain.value).to.deep.equal({ _id: 1, n: 1 });
    expect(preAgain.lastErrorObject).to.deep.equal(preFirst.lastErrorObject);
    expect(preAgain.retriedStmtId).to.equal(0);

    expect((await send(db, session, 2, post)).value).to.deep.equal({ _id: 1, n: 3 });
    expect((await send(db, session, 2, post)).value).to.deep.equal({ _id: 1, n: 3 });
    expect(await coll.findOne({ _id: 1 })).to.deep.equal({ _id: 1, n: 3 });

    const upsert = { findAndModify: 'c', query: { _id: 2 }, update: { $inc: { n: 1 } } };
    const upserted = { ...upsert, upsert: true, new: true };
    expect((await send(db, session, 3, upserted)).lastErrorObject).to.deep.equal({
      n: 1,
      updatedExisting: false,
      upserted: 2,
    });
    const upsertedAgain = await send(db, session, 3, upserted);
    expect(upsertedAgain.lastErrorObject.upserted).to.equal(2);
    expect(upsertedAgain.value).to.deep.equal({ _id: 2, n: 1 });

    const removal = { findAndModify: 'c', query: {}, sort: { _id: 1 }, remove: true };
    expect((await send(db, session, 4, removal)).value).to.deep.equal({ _id: 1, n: 3 });
    expect((await send(db, session, 4, removal)).value).to.deep.equal({ _id: 1, n: 3 });
    expect(await coll.find().toArray()).to.deep.equal([{ _id: 2, n: 1 }]);
  });

  it('skips the executed statements of a partially executed batch and runs the rest', async () => {
    const coll = db.collection<Loose>('c');
    await coll.insertOne({ _id: 2, old: true });
    const insert = { insert: 'c', documents: [{ _id: 1 }, { _id: 2 }, { _id: 3 }] };
    const cut = await send(db, session, 1, insert);
    expect(cut.n).to.equal(1);
    expect(cut.writeErrors.map((e: Document) => [e.index, e.code])).to.deep.equal([[1, 11000]]);
    await coll.deleteOne({ _id: 2 });
    const finished = await send(db, session, 1, insert);
    expect(finished).to.include({ n: 3, ok: 1 }).and.not.have.property('writeErrors');
    expect(finished.retriedStmtIds).to.deep.equal([0]);
    expect(await coll.find().sort({ _id: 1 }).toArray()).to.deep.equal([
      { _id: 1 },
      { _id: 2 },
      { _id: 3 },
    ]);

    // An increment must not run twice: statement 0 is answered, statement 1 (failed) runs now.
    const other = db.collection<Loose>('d');
    await other.createIndex({ tag: 1 }, { unique: true });
    await other.insertMany([
      { _id: 'a', tag: 'ta', x: 0 },
      { _id: 'b', tag: 'tb' },
      { _id: 'holder', tag: 't' },
    ]);
    const update = {
      update: 'd',
      updates: [
        { q: { _id: 'a' }, u: { $inc: { x: 1 } } },
        { q: { _id: 'b' }, u: { $set: { tag: 't' } } },
      ],
    };
    const failed = await send(db, session, 2, update);
    expect(failed).to.include({ n: 1, nModified: 1 });
    expect(failed.writeErrors.map((e: Document) => [e.index, e.code])).to.deep.equal([[1, 11000]]);
    await other.deleteOne({ _id: 'holder' });
    const retried = await send(db, session, 2, update);
    expect(retried).to.include({ n: 2, nModified: 2 }).and.not.have.property('writeErrors');
    expect(retried.retriedStmtIds).to.deep.equal([0]);
    expect(await other.findOne({ _id: 'a' })).to.deep.equal({ _id: 'a', tag: 'ta', x: 1 });
    expect(await other.findOne({ _id: 'b' })).to.deep.equal({ _id: 'b', tag: 't' });
  });

  it('refuses a txnNumber older than the session has used with TransactionTooOld', async () => {
    await send(db, session, 5, { insert: 'c', documents: [{ _id: 1 }] });
    const err = await errorOf(send(db, session, 4, { insert: 'c', documents: [{ _id: 2 }] }));
    expect(err).to.include({ code: 225, codeName: 'TransactionTooOld' });
    expect(err.errmsg).to.match(
      /because a newer retryable write with txnNumber 5 has already started/,
    );
    expect(await db.collection<Loose>('c').countDocuments()).to.equal(1);

    // Transactions and retryable writes share the session's txnNumber.
    const started = await errorOf(
      db.command(
        {
          insert: 'c',
          documents: [{ _id: 3 }],
          txnNumber: Long.fromNumber(3),
          autocommit: false,
          startTransaction: true,
        },
        { session },
      ),
    );
    expect(started).to.include({ code: 225, codeName: 'TransactionTooOld' });
  });

  it('refuses multi:true updates and limit:0 deletes as retryable writes, statement by statement', async () => {
    const coll = db.collection<Loose>('c');
    await coll.insertMany([
      { _id: 1, x: 1 },
      { _id: 2, x: 2 },
    ]);
    const updated = await send(db, session, 1, {
      update: 'c',
      updates: [
        { q: { x: 1 }, u: { $set: { y: 1 } } },
        { q: { x: 2 }, u: { $set: { z: 1 } }, multi: true },
      ],
    });
    expect(updated).to.include({ n: 1, nModified: 1 });
    expect(updated.writeErrors).to.have.length(1);
    expect(updated.writeErrors[0]).to.include({
      index: 1,
      code: 72,
      codeName: 'InvalidOptions',
      errmsg: 'Cannot use (or request) retryable writes with multi=true',
    });
    expect(await coll.findOne({ _id: 2 })).to.deep.equal({ _id: 2, x: 2 });

    const removed = await send(db, session, 2, {
      delete: 'c',
      deletes: [
        { q: { x: 1 }, limit: 1 },
        { q: { x: 2 }, limit: 0 },
      ],
      ordered: false,
    });
    expect(removed.n).to.equal(1);
    expect(removed.writeErrors.map((e: Document) => [e.index, e.code])).to.deep.equal([[1, 72]]);
    expect(await coll.find().toArray()).to.deep.equal([{ _id: 2, x: 2 }]);
  });

  it('keeps the driver from applying a write twice when it retries after a lost reply', async () => {
    const proxy = await startLossyProxy(fixture.engine.port);
    const client = new MongoClient(proxy.uri, { serverSelectionTimeoutMS: 5000 });
    try {
      const coll = client.db('retry').collection<Loose>('c');
      await coll.insertOne({ _id: 'counter', n: 0 });

      proxy.loseNextReply('update');
      const updated = await coll.updateOne({ _id: 'counter' }, { $inc: { n: 1 } });
      expect(updated.modifiedCount).to.equal(1);

      proxy.loseNextReply('insert');
      await coll.insertOne({ _id: 'once' });

      proxy.loseNextReply('findAndModify');
      const before = await coll.findOneAndUpdate(
        { _id: 'counter' },
        { $inc: { n: 10 } },
        { returnDocument: 'before' },
      );
      expect(before).to.deep.equal({ _id: 'counter', n: 1 });

      proxy.loseNextReply('update');
      const bulk = await coll.bulkWrite([
        { insertOne: { document: { _id: 'bulk' } } },
        { updateOne: { filter: { _id: 'counter' }, update: { $inc: { n: 100 } } } },
        { deleteOne: { filter: { _id: 'once' } } },
      ]);
      expect(bulk.insertedCount + bulk.modifiedCount + bulk.deletedCount).to.equal(3);

      expect(proxy.dropped).to.equal(4);
      expect(await coll.find().sort({ _id: 1 }).toArray()).to.deep.equal([
        { _id: 'bulk' },
        { _id: 'counter', n: 111 },
      ]);
    } finally {
      await client.close();
      await proxy.close();
    }
  });
});

describe('engine: retryable writes survive a restart', function () {
  this.timeout(60_000);
  let dataDir: string;

  beforeEach(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'quorum-retry-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  /** One session per retried write: MongoDB remembers only a session's newest txnNumber. */
  const sessions = { bump: new UUID(), image: new UUID(), noop: new UUID() };
  const writes: Record<keyof typeof sessions, Document> = {
    bump: { update: 'c', updates: [{ q: { _id: 1 }, u: { $inc: { n: 1 } } }] },
    image: { findAndModify: 'c', query: { _id: 1 }, update: { $inc: { n: 1 } } },
    noop: { update: 'c', updates: [{ q: { _id: 7 }, u: { $set: { a: 1 } } }] },
  };

  /** Sends one write of `name`'s session on a connection of its own, as a driver retrying on a new socket does. */
  async function raw(
    port: number,
    name: keyof typeof sessions,
    txnNumber: number,
    body = writes[name],
  ): Promise<Document> {
    const client = await RawClient.connect(port);
    try {
      const lsid = { id: sessions[name] };
      const outcome = await client.request(
        command(1, { ...body, lsid, txnNumber: Long.fromNumber(txnNumber), $db: 'retry' }),
      );
      if (outcome.kind !== 'reply') throw new Error(`no reply: ${outcome.kind}`);
      return outcome.reply.doc;
    } finally {
      client.destroy();
    }
  }

  async function firstAttempt(port: number): Promise<void> {
    const seeded = await raw(port, 'bump', 1, { insert: 'c', documents: [{ _id: 1, n: 0 }] });
    expect(seeded).to.include({ n: 1 });
    expect(await raw(port, 'bump', 2)).to.include({ n: 1, nModified: 1 });
    expect((await raw(port, 'image', 7)).value).to.deep.equal({ _id: 1, n: 1 });
    expect(await raw(port, 'noop', 3)).to.include({ n: 0, nModified: 0 });
  }

  /** The same writes again after the restart: answered from the record, not applied. */
  async function retry(port: number): Promise<void> {
    const bumped = await raw(port, 'bump', 2);
    expect(bumped).to.include({ ok: 1, n: 1, nModified: 1 });
    expect(bumped.retriedStmtIds).to.deep.equal([0]);
    const image = await raw(port, 'image', 7);
    expect(image).to.include({ ok: 1, retriedStmtId: 0 });
    expect(image.value).to.deep.equal({ _id: 1, n: 1 });
    const noop = await raw(port, 'noop', 3);
    expect(noop).to.include({ ok: 1, n: 0, nModified: 0 });
    expect(noop.retriedStmtIds).to.deep.equal([0]);
    // What each statement wrote was kept too: another command's retry answers from it.
    const deleted = await raw(port, 'bump', 2, {
      delete: 'c',
      deletes: [{ q: { _id: 1 }, limit: 1 }],
    });
    expect(deleted).to.include({ ok: 1, n: 1 }).and.not.have.property('nModified');
    expect(deleted.retriedStmtIds).to.deep.equal([0]);
    const tooOld = await raw(port, 'bump', 1, { insert: 'c', documents: [{ _id: 2 }] });
    expect(tooOld).to.include({ ok: 0, code: 225, codeName: 'TransactionTooOld' });
    const client = await new MongoClient(
      `mongodb://127.0.0.1:${port}/?directConnection=true`,
    ).connect();
    try {
      expect(await client.db('retry').collection<Loose>('c').find().toArray()).to.deep.equal([
        { _id: 1, n: 2 },
      ]);
    } finally {
      await client.close();
    }
  }

  it('answers retries after kill -9 from the journal', async () => {
    const first = await spawnEngine(dataDir);
    await firstAttempt(portOf(first.uri));
    await killEngine(first.child);
    const second = await spawnEngine(dataDir);
    try {
      await retry(portOf(second.uri));
    } finally {
      await killEngine(second.child);
    }
  });

  it('answers retries after a clean restart from the snapshot', async () => {
    const first = await startEngine({ dataDir });
    await firstAttempt(first.port);
    await first.close();
    const second = await startEngine({ dataDir });
    try {
      await retry(second.port);
    } finally {
      await second.close();
    }
  });
});

describe('engine: retryable-write records expire with their session', () => {
  const record = (txnNumber: number, stmtId: number) => ({
    lsid: { id: 'session-a' },
    txnNumber,
    stmtId,
    result: { n: 1 },
  });

  it('forgets a session idle longer than the logical session timeout, and only then', () => {
    const table = new RetryTable();
    table.note(record(1, 0), 0);
    table.sweep(SESSION_TIMEOUT_MS);
    expect(table.get({ id: 'session-a' })?.results.get(0)?.result).to.deep.equal({ n: 1 });
    table.touch({ id: 'session-a' }, 20 * 60_000);
    table.sweep(SESSION_TIMEOUT_MS + 1);
    expect(table.size).to.equal(1);
    table.sweep(20 * 60_000 + SESSION_TIMEOUT_MS + 1);
    expect(table.size).to.equal(0);
  });

  it('keeps only the newest txnNumber of a session', () => {
    const table = new RetryTable();
    table.note(record(1, 0), 0);
    table.note(record(1, 1), 0);
    table.note(record(2, 0), 0);
    table.note(record(1, 2), 0);
    const entry = table.get({ id: 'session-a' })!;
    expect(entry.txnNumber).to.equal(2);
    expect([...entry.results.keys()]).to.deep.equal([0]);
    // A newer txnNumber becomes the active one as soon as a write starts with it.
    table.advance({ id: 'session-a' }, 3);
    expect(table.get({ id: 'session-a' })?.txnNumber).to.equal(3);
    expect(table.get({ id: 'session-a' })?.results.size).to.equal(0);
  });
});
